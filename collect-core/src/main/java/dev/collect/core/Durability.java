package dev.collect.core;

/**
 * When a file sink's {@link Sink#flush()} counts its writes as durable; the same choice as the
 * event store's file backend. The runtime commits source positions only after a flush returns, so
 * this decides what a power loss can cost.
 */
public enum Durability {
  /**
   * The default: {@code flush} (and {@code close}) force the file's bytes to the disk (fsync)
   * before they return. Survives a process crash and a power loss.
   */
  FSYNC,
  /**
   * {@code flush} hands the bytes to the operating system and returns without forcing them: they
   * survive a process crash, but a power loss may lose the newest lines although their positions
   * were committed. For scratch output, benchmarks, or files on storage that is replicated anyway.
   */
  OS_BUFFERED
}
