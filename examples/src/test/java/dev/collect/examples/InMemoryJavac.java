package dev.collect.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Compiles one Java source in memory against the running JVM's class path, for {@link
 * ReadmeSnippetsCompileTest}. Class files are dropped: only the diagnostics matter.
 */
final class InMemoryJavac {

  private InMemoryJavac() {}

  /**
   * The errors (not warnings) of compiling {@code source}, a compilation unit named {@code name}.
   */
  static List<Diagnostic<? extends JavaFileObject>> errors(String name, String source) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileObject file =
        new SimpleJavaFileObject(
            URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
    // --release 17: what users of the SDK compile with, whatever JDK runs the build.
    List<String> options =
        List.of(
            "--release", "17", "-proc:none", "-classpath", System.getProperty("java.class.path"));
    try (JavaFileManager files =
        new DiscardingOutput(compiler.getStandardFileManager(diagnostics, Locale.ROOT, null))) {
      compiler.getTask(null, files, diagnostics, options, null, List.of(file)).call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .toList();
  }

  private static final class DiscardingOutput extends ForwardingJavaFileManager<JavaFileManager> {
    DiscardingOutput(JavaFileManager files) {
      super(files);
    }

    @Override
    public JavaFileObject getJavaFileForOutput(
        Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
      return new SimpleJavaFileObject(URI.create("mem:///" + className + kind.extension), kind) {
        @Override
        public OutputStream openOutputStream() {
          return new ByteArrayOutputStream();
        }
      };
    }
  }
}
