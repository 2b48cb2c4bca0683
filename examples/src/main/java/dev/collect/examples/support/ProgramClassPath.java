package dev.collect.examples.support;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The class path of this program, for starting child JVMs that run the same code. */
public final class ProgramClassPath {
  private ProgramClassPath() {}

  /**
   * This program's class path: under {@code mvn exec:java} the JVM's own is Maven's, and the
   * program's classes come from the plugin's class loader; under {@code java -cp} it is the JVM's.
   */
  public static String current() {
    if (Thread.currentThread().getContextClassLoader() instanceof URLClassLoader loader
        && loader.getURLs().length > 0) {
      List<String> entries = new ArrayList<>();
      for (URL url : loader.getURLs()) {
        try {
          entries.add(Path.of(url.toURI()).toString());
        } catch (URISyntaxException e) {
          throw new IllegalArgumentException("not a file class path entry: " + url, e);
        }
      }
      return String.join(File.pathSeparator, entries);
    }
    return System.getProperty("java.class.path");
  }
}
