package dev.collect.eventstore;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The long crash test, run by hand: {@code CrashSoak [rounds=500] [dir]}. Each round kills an
 * appending JVM with SIGKILL and checks the log, like {@code CrashRecoveryIT}.
 */
public final class CrashSoak {
  private CrashSoak() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("crash-soak");
    long seed = System.nanoTime();
    CrashLoop loop = new CrashLoop(dir.resolve("log"), seed);
    for (int i = 1; i <= rounds; i++) {
      loop.iteration();
      if (i % 25 == 0) {
        System.out.printf(
            "round %d: %d acknowledged, %d events in the log, all present%n",
            i, loop.acknowledgedCount(), loop.eventsChecked);
      }
    }
    System.out.printf("soak passed: %d SIGKILLs, seed %d, dir %s%n", rounds, seed, dir);
  }
}
