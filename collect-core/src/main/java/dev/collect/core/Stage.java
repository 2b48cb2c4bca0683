package dev.collect.core;

/** Where in a pipeline a record failed; the {@code stage} tag and a dead letter's field. */
public enum Stage {
  SOURCE,
  COLLECT,
  VALIDATE,
  TRANSFORM,
  SINK;

  /** The lowercase name used in tags and dead letters. */
  public String tag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
