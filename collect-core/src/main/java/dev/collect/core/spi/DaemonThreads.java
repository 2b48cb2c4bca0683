package dev.collect.core.spi;

import java.util.concurrent.ThreadFactory;

/**
 * Thread factories for the threads a connector or runtime part starts on its own (an engine, a
 * timer, a flusher): every thread is a daemon, so that it never keeps the JVM alive after its owner
 * was closed or abandoned, and carries the given name, so that a thread dump says whose it is
 * ({@code "collect-<pipeline>-<role>"}). Stateless and thread-safe.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** A factory of daemon threads, all named {@code name}. */
  public static ThreadFactory named(String name) {
    Checks.notBlank("name", name);
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
