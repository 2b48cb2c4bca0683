package dev.collect.eventstore;

/** When the file backend acknowledges an append. */
public enum Durability {
  /**
   * The default: the group commit that holds the append is forced to disk (fsync) before {@code
   * append} returns. Survives a process crash and a power loss.
   */
  FSYNC,
  /**
   * The append is handed to the operating system before {@code append} returns, without fsync:
   * survives a process crash, but a power loss may lose the newest appends (never tear one).
   */
  OS_BUFFERED
}
