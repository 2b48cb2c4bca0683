package dev.collect.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Compiles every {@code ```java} block of the READMEs against the modules' real API.
 *
 * <p>Users copy README snippets, so a snippet naming a renamed method or a wrong type breaks in
 * their hands rather than in our build. Snippets are fragments: each block is wrapped in a
 * generated class of {@link #IMPORTS}, its README's context (the free variables and types its
 * snippets assume), the type declarations of all that README's blocks at class level, and the
 * block's statements in a method body. Diagnostics point at the README's own lines.
 */
class ReadmeSnippetsCompileTest {

  /** Every public package of the modules, and what snippets take from the JDK and libraries. */
  private static final String IMPORTS =
      """
      import dev.collect.batch.*;
      import dev.collect.cdc.*;
      import dev.collect.core.*;
      import dev.collect.core.privacy.*;
      import dev.collect.core.spi.*;
      import dev.collect.core.testing.*;
      import dev.collect.eventstore.*;
      import dev.collect.stream.*;
      import dev.collect.stream.avro.*;
      import dev.collect.stream.protobuf.*;
      import com.sun.net.httpserver.*;
      import jakarta.validation.constraints.*;
      import java.net.*;
      import java.nio.file.*;
      import java.time.*;
      import java.util.*;
      import java.util.concurrent.*;
      import javax.sql.*;
      import org.apache.avro.*;
      import org.apache.avro.generic.*;
      import dev.collect.core.Flow; // not java.util.concurrent.Flow
      import dev.collect.examples.proto.ClickMessage; // protoc-generated from src/test/proto
      """;

  /** The READMEs, each with the declarations its snippets take from the surrounding prose. */
  private static final List<Readme> READMES =
      List.of(
          new Readme(
              "README.md",
              """
              io.micrometer.core.instrument.MeterRegistry meterRegistry = null;
              DataSource dataSource = null;
              Sink<Map<String, FieldChange>> sink = null;
              Object view = null;
              Instant dayStart = Instant.EPOCH;
              Instant dayEnd = Instant.EPOCH;
              """),
          new Readme(
              "collect-core/README.md",
              """
              record Order(String id, double total, boolean test) {}
              """),
          new Readme(
              "collect-batch/README.md",
              """
              DataSource dataSource = null;
              int index = 0;
              Schema click = null;
              """),
          new Readme(
              "collect-stream/README.md",
              """
              record Click(String eventId, String userId, Instant time) {}
              KafkaSourceConfig in = null;
              KafkaSinkConfig dlq = null;
              KafkaSinkConfig sinkConfig = null;
              Schema clickV1 = null;
              Schema clickV2 = null;
              byte[] secret = null;
              char[] password = null;
              Path clicks = null;
              WebhookSource source = null;
              // Jetty ee10 and the servlet API are not on this module's class path: stubs of
              // what the servlet snippet calls, so that its WebhookServlet part is still checked.
              static class ServletHolder {
                ServletHolder(Object servlet) {}
              }
              static class ServletContextHandler {
                ServletContextHandler(String contextPath) {}
                void addServlet(ServletHolder holder, String pathSpec) {}
              }
              """),
          new Readme("collect-cdc/README.md", ""),
          new Readme(
              "collect-eventstore/README.md",
              """
              record OrderPlaced(String orderId, long amountCents) {}
              record OrderPaid(String orderId) {}
              void invoice(OrderPaid paid) {}
              Instant dayStart = Instant.EPOCH;
              Instant dayEnd = Instant.EPOCH;
              """));

  /** {@code ...} elisions in code, each replaced by something that compiles. Keep this short. */
  private static final List<Elision> ELISIONS =
      List.of(
          new Elision(
              "README.md",
              "ColumnType.LONG), ...)",
              "ColumnType.LONG))",
              "the overview abridges the column list that collect-batch's README gives in full"),
          new Elision(
              "collect-batch/README.md",
              "DataSource db = ...;",
              "DataSource db = null;",
              "the data source comes from the user's own connection pool"),
          new Elision(
              "collect-stream/README.md",
              "ClickMessage.class))...",
              "ClickMessage.class));",
              "the Protobuf lines show only the collector; the pipeline goes on as above"));

  /** {@code ...} that is not a varargs parameter ({@code String... names}). */
  private static final Pattern ELLIPSIS = Pattern.compile("(?<![\\w>\\]])\\.\\.\\.");

  private static final Pattern IMPORT = Pattern.compile("^import\\s.*");

  private static final Pattern TYPE_DECLARATION =
      Pattern.compile(
          "^\\s*(@\\w+(\\([^)]*\\))?\\s+)*((public|protected|private|static|final|abstract|sealed)"
              + "\\s+)*(record|class|interface|enum)\\s+\\w+.*");

  @TestFactory
  Stream<DynamicTest> everyJavaBlockCompiles() throws IOException {
    Path root = repositoryRoot();
    List<DynamicTest> tests = new ArrayList<>();
    for (Readme readme : READMES) {
      List<Block> blocks = javaBlocks(root, readme.path());
      assertThat(blocks).as("```java blocks in %s", readme.path()).isNotEmpty();
      for (Block block : blocks) {
        tests.add(dynamicTest(block.where(), () -> assertCompiles(readme, block, blocks)));
      }
    }
    return tests.stream();
  }

  @Test
  void everyElisionStillMatchesItsReadme() throws IOException {
    Path root = repositoryRoot();

    for (Elision elision : ELISIONS) {
      String readme = Files.readString(root.resolve(elision.readme()));

      assertThat(readme.contains(elision.elided()))
          .as(
              "%s no longer elides `%s` (%s): drop it from ELISIONS",
              elision.readme(), elision.elided(), elision.reason())
          .isTrue();
    }
  }

  private static void assertCompiles(Readme readme, Block block, List<Block> readmeBlocks) {
    List<Line> code = elided(block);
    List<Line> elisions = linesWithElisions(code);
    if (!elisions.isEmpty()) {
      fail(
          block.where()
              + " elides code with `...` at line "
              + elisions.get(0).number()
              + ": write the snippet so it compiles, or add an Elision with a reason");
    }
    List<Line> types = new ArrayList<>();
    for (Block other : readmeBlocks) {
      types.addAll(split(elided(other)).types());
    }
    Split own = split(code);
    List<Line> source = wrap(own.imports(), readme.context(), types, own.statements());

    List<Diagnostic<? extends JavaFileObject>> errors =
        InMemoryJavac.errors(
            "Snippet", String.join("\n", source.stream().map(Line::text).toList()));

    if (!errors.isEmpty()) {
      fail(block.where() + " does not compile:\n" + describe(errors, readme.path(), source));
    }
  }

  // --- reading the READMEs ---

  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("README.md"))
          && Files.isRegularFile(dir.resolve("collect-core/README.md"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }

  /** The {@code ```java} blocks; other fences (shell, output) are skipped. */
  private static List<Block> javaBlocks(Path root, String readme) throws IOException {
    List<String> lines = Files.readAllLines(root.resolve(readme));
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String fence = lines.get(i).strip();
      if (!fence.startsWith("```")) {
        continue;
      }
      int indent = lines.get(i).indexOf('`');
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).strip().startsWith("```")) {
        end++;
      }
      if (fence.substring(3).strip().equals("java")) {
        List<Line> code = new ArrayList<>();
        for (int j = i + 1; j < end; j++) {
          String line = lines.get(j);
          code.add(new Line(j + 1, line.substring(Math.min(indent, leadingSpaces(line)))));
        }
        blocks.add(new Block(readme, i + 2, code));
      }
      i = end;
    }
    return blocks;
  }

  private static int leadingSpaces(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  private static List<Line> elided(Block block) {
    List<Line> lines = new ArrayList<>();
    for (Line line : block.lines()) {
      String text = line.text();
      for (Elision elision : ELISIONS) {
        if (elision.readme().equals(block.readme())) {
          text = text.replace(elision.elided(), elision.replacement());
        }
      }
      lines.add(new Line(line.number(), text));
    }
    return lines;
  }

  private static List<Line> linesWithElisions(List<Line> code) {
    List<String> masked = masked(code);
    List<Line> found = new ArrayList<>();
    for (int i = 0; i < code.size(); i++) {
      if (ELLIPSIS.matcher(masked.get(i)).find()) {
        found.add(code.get(i));
      }
    }
    return found;
  }

  // --- wrapping a fragment in a class ---

  /** Sorts a block's lines into imports, type declarations (records, classes) and statements. */
  private static Split split(List<Line> code) {
    List<String> masked = masked(code);
    List<Line> imports = new ArrayList<>();
    List<Line> types = new ArrayList<>();
    List<Line> statements = new ArrayList<>();
    int depth = 0;
    boolean inType = false;
    boolean bodySeen = false;
    for (int i = 0; i < code.size(); i++) {
      String line = masked.get(i);
      if (depth == 0 && !inType && TYPE_DECLARATION.matcher(line).matches()) {
        inType = true;
        bodySeen = false;
      }
      boolean isImport = depth == 0 && !inType && IMPORT.matcher(line).matches();
      (isImport ? imports : inType ? types : statements).add(code.get(i));
      for (char c : line.toCharArray()) {
        if (c == '{' || c == '(') {
          depth++;
          bodySeen |= c == '{';
        } else if (c == '}' || c == ')') {
          depth--;
        }
      }
      if (inType && bodySeen && depth == 0) {
        inType = false;
      }
    }
    return new Split(imports, types, statements);
  }

  private static List<Line> wrap(
      List<Line> imports, String context, List<Line> types, List<Line> statements) {
    List<Line> source = new ArrayList<>();
    IMPORTS.lines().forEach(line -> source.add(new Line(0, line)));
    source.addAll(imports);
    source.add(new Line(0, "class Snippet {"));
    context.lines().forEach(line -> source.add(new Line(0, line)));
    source.addAll(types);
    source.add(new Line(0, "void snippet() throws Exception {"));
    source.addAll(statements);
    source.add(new Line(0, "}}"));
    return source;
  }

  /** The lines with comments and the insides of string and char literals blanked out. */
  private static List<String> masked(List<Line> code) {
    String text = String.join("\n", code.stream().map(Line::text).toList());
    StringBuilder out = new StringBuilder(text.length());
    char quote = 0;
    boolean lineComment = false;
    boolean blockComment = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
      if (c == '\n') {
        lineComment = false;
        out.append(c);
      } else if (lineComment) {
        out.append(' ');
      } else if (blockComment) {
        blockComment = !(c == '*' && next == '/');
        out.append(' ');
      } else if (quote != 0) {
        if (c == '\\' && next != '\n') {
          out.append("  ");
          i++;
        } else if (c == quote) {
          quote = 0;
          out.append(c);
        } else {
          out.append(' ');
        }
      } else if (c == '/' && next == '/') {
        lineComment = true;
        out.append(' ');
      } else if (c == '/' && next == '*') {
        blockComment = true;
        out.append(' ');
      } else {
        if (c == '"' || c == '\'') {
          quote = c;
        }
        out.append(c);
      }
    }
    return out.toString().lines().toList();
  }

  // --- reporting ---

  private static String describe(
      List<Diagnostic<? extends JavaFileObject>> errors, String readme, List<Line> source) {
    StringBuilder out = new StringBuilder();
    for (Diagnostic<? extends JavaFileObject> error : errors) {
      int index = (int) error.getLineNumber() - 1;
      Line line = index >= 0 && index < source.size() ? source.get(index) : new Line(0, "");
      String where = line.number() > 0 ? readme + ":" + line.number() : "generated code";
      out.append(where)
          .append(": ")
          .append(error.getMessage(Locale.ROOT))
          .append("\n    ")
          .append(line.text().strip())
          .append('\n');
    }
    return out.toString();
  }

  private record Readme(String path, String context) {}

  private record Block(String readme, int firstLine, List<Line> lines) {
    String where() {
      return readme + ", block at line " + firstLine;
    }
  }

  /** A README line: its 1-based number, or 0 for a line the test generated. */
  private record Line(int number, String text) {}

  private record Split(List<Line> imports, List<Line> types, List<Line> statements) {}

  /** A {@code ...} in a README's code, and why that README keeps it. */
  private record Elision(String readme, String elided, String replacement, String reason) {}
}
