package dev.collect.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What a piece of code prints to {@code System.out}: the mains report there. */
final class StandardOutput {
  private StandardOutput() {}

  /** Code that prints. */
  interface Code {
    void run() throws Exception;
  }

  /** Runs {@code code} with {@code System.out} captured, and returns what it printed. */
  static String of(Code code) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      code.run();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
