package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.internal.io.JsonLinesFileSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each {@link Durability} promises for {@code Sink.jsonLines}, observed on the file channel.
 */
class FileSinkDurabilityTest {

  @TempDir Path dir;

  private final AtomicInteger forces = new AtomicInteger();

  private JsonLinesFileSink.Builder<String> sink(Path file) {
    return JsonLinesFileSink.<String>builder(file)
        .opener(
            f ->
                new CountingChannel(
                    FileChannel.open(
                        f,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND),
                    forces));
  }

  @Test
  void byDefaultEveryFlushAndTheCloseForceTheFileToDisk() throws Exception {
    Path file = dir.resolve("out.jsonl");
    JsonLinesFileSink<String> sink = sink(file).build();

    sink.write(List.of(Envelope.of("a")));
    sink.flush();
    int afterFirstFlush = forces.get();
    sink.write(List.of(Envelope.of("b")));
    sink.flush();
    int afterSecondFlush = forces.get();
    sink.write(List.of(Envelope.of("c")));
    sink.close();

    assertThat(afterFirstFlush).isEqualTo(1);
    assertThat(afterSecondFlush).isEqualTo(2);
    assertThat(forces.get()).isEqualTo(3);
    assertThat(Files.readAllLines(file)).containsExactly("\"a\"", "\"b\"", "\"c\"");
  }

  @Test
  void explicitFsyncForcesOnFlushAndClose() throws Exception {
    JsonLinesFileSink<String> sink =
        sink(dir.resolve("out.jsonl")).durability(Durability.FSYNC).build();

    sink.write(List.of(Envelope.of("a")));
    sink.flush();
    sink.close();

    assertThat(forces.get()).isEqualTo(2);
  }

  @Test
  void osBufferedHandsTheBytesToTheOperatingSystemWithoutForcing() throws Exception {
    Path file = dir.resolve("out.jsonl");
    JsonLinesFileSink<String> sink = sink(file).durability(Durability.OS_BUFFERED).build();

    sink.write(List.of(Envelope.of("a"), Envelope.of("b")));
    sink.flush();
    // Handed to the OS: another reader sees the lines before the sink is closed.
    List<String> visibleAfterFlush = Files.readAllLines(file);
    sink.close();

    assertThat(visibleAfterFlush).containsExactly("\"a\"", "\"b\"");
    assertThat(forces.get()).isZero();
  }

  @Test
  void thePublicFactoryWritesWithEitherChoice() throws Exception {
    Path safe = dir.resolve("safe.jsonl");
    Path fast = dir.resolve("fast.jsonl");

    RunReport one = Pipeline.from(Source.of("x", "y")).to(Sink.jsonLines(safe)).build().run();
    RunReport two =
        Pipeline.from(Source.of("x", "y"))
            .to(Sink.jsonLines(fast, Durability.OS_BUFFERED))
            .build()
            .run();

    assertThat(one.invariantHolds()).isTrue();
    assertThat(two.invariantHolds()).isTrue();
    assertThat(Files.readAllLines(safe)).containsExactly("\"x\"", "\"y\"");
    assertThat(Files.readAllLines(fast)).containsExactly("\"x\"", "\"y\"");
  }

  /** A file channel that counts {@code force} calls and delegates everything. */
  static final class CountingChannel extends FileChannel {
    private final FileChannel delegate;
    private final AtomicInteger forces;

    CountingChannel(FileChannel delegate, AtomicInteger forces) {
      this.delegate = delegate;
      this.forces = forces;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      forces.incrementAndGet();
      delegate.force(metaData);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return delegate.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return delegate.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      return delegate.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
      return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      delegate.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      delegate.truncate(size);
      return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target)
        throws IOException {
      return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count)
        throws IOException {
      return delegate.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return delegate.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      return delegate.write(src, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      delegate.close();
    }
  }
}
