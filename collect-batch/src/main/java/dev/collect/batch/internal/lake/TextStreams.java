package dev.collect.batch.internal.lake;

import com.github.luben.zstd.ZstdOutputStream;
import dev.collect.batch.Compression;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Opens a (compressed) output stream for a text file. */
final class TextStreams {
  private TextStreams() {}

  static OutputStream open(Path file, Compression compression) throws IOException {
    OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    return switch (compression) {
      case NONE -> out;
      case GZIP -> new GZIPOutputStream(out, 1 << 16);
      case ZSTD -> new BufferedOutputStream(new ZstdOutputStream(out), 1 << 16);
      case SNAPPY -> throw new IllegalArgumentException("SNAPPY is for Parquet only");
    };
  }
}
