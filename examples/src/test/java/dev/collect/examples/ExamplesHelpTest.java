package dev.collect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every main in the examples has an execution in {@code examples/pom.xml} (so {@code mvn -q -pl
 * examples -am -DskipTests package exec:java@<id>} runs it from the repository root), and every
 * main answers {@code --help} with its usage, without failing.
 */
@Timeout(60)
class ExamplesHelpTest {
  private static final Path SOURCES = Path.of("src/main/java");

  /** Execution id to main class, from the pom. */
  private static Map<String, String> executions() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher m =
        Pattern.compile(
                "<id>([^<]+)</id>\\s*<configuration>\\s*(?:<mainClass>([^<]+)</mainClass>|"
                    + "<executable>java</executable>.*?<argument>(dev\\.collect[^<]+)</argument>)",
                Pattern.DOTALL)
            .matcher(pom);
    Map<String, String> out = new TreeMap<>();
    while (m.find()) {
      out.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
    }
    return out;
  }

  private static TreeSet<String> mains() throws IOException {
    TreeSet<String> out = new TreeSet<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        if (Files.readString(file).contains("public static void main(String[] args)")) {
          String name = SOURCES.relativize(file).toString().replace(".java", "");
          out.add(name.replace(file.getFileSystem().getSeparator(), "."));
        }
      }
    }
    return out;
  }

  @Test
  void everyMainHasAnExecution() throws IOException {
    assertThat(new TreeSet<>(executions().values())).isEqualTo(mains()).hasSize(20);
  }

  @Test
  void everyMainPrintsItsUsageForHelp() throws Exception {
    for (String main : mains()) {
      String usage = help(main);
      String simpleName = main.substring(main.lastIndexOf('.') + 1);
      assertThat(usage).as(main).startsWith("Usage: " + simpleName);
    }
  }

  /**
   * "every main answers {@code --help} with its options": each option a main's argument loop
   * accepts ({@code case "--x"} or {@code .equals("--x")} in its source) appears in its usage.
   */
  @Test
  void everyMainsHelpListsEveryOptionItAccepts() throws Exception {
    Map<String, TreeSet<String>> missing = new TreeMap<>();
    int options = 0;
    for (String main : mains()) {
      String source = Files.readString(SOURCES.resolve(main.replace('.', '/') + ".java"));
      String usage = help(main);
      Matcher m = OPTION.matcher(source);
      while (m.find()) {
        String option = m.group(1) != null ? m.group(1) : m.group(2);
        if (option.equals("--help") || INTERNAL.contains(main + " " + option)) {
          continue;
        }
        options++;
        if (!Pattern.compile(Pattern.quote(option) + "(?![a-z0-9-])").matcher(usage).find()) {
          missing.computeIfAbsent(main, k -> new TreeSet<>()).add(option);
        }
      }
    }

    assertThat(options).isGreaterThan(40);
    assertThat(missing).isEmpty();
  }

  private static final Pattern OPTION =
      Pattern.compile("case\\s+\"(--[a-z0-9-]+)\"|\\.equals\\(\"(--[a-z0-9-]+)\"\\)");

  /** Not user options: the scale-out demo starts its own worker processes with this one. */
  private static final java.util.Set<String> INTERNAL =
      java.util.Set.of("dev.collect.examples.scaleout.ScaleOutDemo --worker");

  private static String help(String main) throws Exception {
    Method method = Class.forName(main).getMethod("main", String[].class);
    assertThat(Modifier.isStatic(method.getModifiers())).isTrue();
    return StandardOutput.of(() -> method.invoke(null, (Object) new String[] {"--help"}));
  }
}
