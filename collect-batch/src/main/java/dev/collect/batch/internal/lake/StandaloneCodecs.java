package dev.collect.batch.internal.lake;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Page compressors for Parquet that need no Hadoop: parquet-hadoop's default codec factory builds
 * on Hadoop's codec classes. Snappy (snappy-java), zstd (zstd-jni, level 3) and gzip (the JDK).
 * Write-only: this module reads no Parquet.
 */
final class StandaloneCodecs implements CompressionCodecFactory {
  static final StandaloneCodecs INSTANCE = new StandaloneCodecs();

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    return new BytesInputCompressor() {
      @Override
      public BytesInput compress(BytesInput bytes) throws IOException {
        ByteArrayOutputStream copy = new ByteArrayOutputStream((int) bytes.size());
        bytes.writeAllTo(copy);
        byte[] input = copy.toByteArray();
        return switch (codec) {
          case UNCOMPRESSED -> BytesInput.from(input);
          case SNAPPY -> BytesInput.from(Snappy.compress(input));
          case ZSTD -> BytesInput.from(Zstd.compress(input, 3));
          case GZIP -> BytesInput.from(gzip(input));
          default -> throw new IOException("unsupported Parquet codec " + codec);
        };
      }

      @Override
      public CompressionCodecName getCodecName() {
        return codec;
      }

      @Override
      public void release() {}
    };
  }

  private static byte[] gzip(byte[] input) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 2 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(input);
    }
    return out.toByteArray();
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    throw new UnsupportedOperationException("this codec factory only compresses");
  }

  @Override
  public void release() {}
}
