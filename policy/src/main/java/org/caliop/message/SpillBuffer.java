package org.caliop.message;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Holds one message as it arrives: in memory up to a threshold, then in a temporary file, so a large message never
 * sits in memory. Keeps at most {@code limit} bytes and counts the rest. Not thread-safe: one writer, then readers
 * after writing is done.
 */
public final class SpillBuffer extends OutputStream implements Closeable {
  private final int memoryThreshold;
  private final long limit;
  private final Path directory;
  private byte[] memory = new byte[0];
  private int memoryLength;
  private Path file;
  private static final int FILE_BUFFER = 64 * 1024;

  private OutputStream fileOut;
  private long kept;
  private long total;
  private boolean closed;

  public SpillBuffer(int memoryThreshold, long limit, Path directory) {
    this.memoryThreshold = memoryThreshold;
    this.limit = limit;
    this.directory = directory;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("buffer closed");
    }
    total += len;
    long room = limit - kept;
    int n = (int) Math.min(len, Math.max(0, room));
    if (n == 0) {
      return;
    }
    kept += n;
    if (fileOut == null && memoryLength + n <= memoryThreshold) {
      if (memoryLength + n > memory.length) {
        memory = Arrays.copyOf(memory, Math.min(memoryThreshold, Math.max(memoryLength + n, memory.length * 2 + 4096)));
      }
      System.arraycopy(b, off, memory, memoryLength, n);
      memoryLength += n;
      return;
    }
    if (fileOut == null) {
      file = Files.createTempFile(directory, "caliop-", ".eml");
      // Writers such as encoders hand over a few bytes at a time: one system call per write would cost seconds.
      fileOut = new BufferedOutputStream(Channels.newOutputStream(FileChannel.open(file, StandardOpenOption.WRITE)),
          FILE_BUFFER);
      fileOut.write(memory, 0, memoryLength);
      memory = new byte[0];
      memoryLength = 0;
    }
    fileOut.write(b, off, n);
  }

  /** Whether writing {@code n} more bytes would touch the spill file. */
  public boolean wouldSpill(int n) {
    return file != null || (kept < limit && memoryLength + Math.min(n, limit - kept) > memoryThreshold);
  }

  /** Bytes written, kept or not. */
  public long total() {
    return total;
  }

  /** Bytes kept (and readable). */
  public long kept() {
    return kept;
  }

  /** More was written than kept. */
  public boolean truncated() {
    return total > kept;
  }

  public boolean spilled() {
    return file != null;
  }

  /** A fresh stream over the kept bytes; call after writing is done. The caller closes it. */
  public InputStream open() throws IOException {
    if (file == null) {
      return new ByteArrayInputStream(memory, 0, memoryLength);
    }
    fileOut.flush();
    return Files.newInputStream(file);
  }

  /** Frees the memory and deletes the file. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    memory = new byte[0];
    memoryLength = 0;
    try {
      if (fileOut != null) {
        fileOut.close();
      }
    } catch (IOException ignored) {
      // the file goes next anyway
    }
    try {
      if (file != null) {
        Files.deleteIfExists(file);
      }
    } catch (IOException ignored) {
      // a leftover temp file is the lesser harm; the directory is the admin's
    }
  }
}
