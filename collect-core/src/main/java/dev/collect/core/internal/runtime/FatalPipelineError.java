package dev.collect.core.internal.runtime;

/** Unwinds a worker when the pipeline must stop: the message says why and what to do. */
final class FatalPipelineError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  FatalPipelineError(String message, Throwable cause) {
    super(message, cause);
  }
}
