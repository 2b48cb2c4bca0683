package dev.collect.examples.bench;

import dev.collect.core.privacy.Pseudonymizer;

/** Computes expected pseudonyms for tests. */
public final class ClickTransformProbe {
  public String userId(long id) {
    return Pseudonymizer.hmacSha256(ClickTransform.KEY).apply(Long.toString(id));
  }
}
