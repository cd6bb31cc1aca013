package org.caliop.james;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.util.SharedByteArrayInputStream;
import javax.mail.util.SharedFileInputStream;
import org.caliop.spill.SpillDirectory;
import org.slf4j.LoggerFactory;

/**
 * A message written once by javax.mail and read back as a stream: in memory up to a threshold, then in a temporary
 * file, so a large message never becomes a large byte array. Not thread-safe; close it when done.
 *
 * <p>The temporary files of this JVM live in one private directory ({@link SpillDirectory}) under the directory named
 * by the system property {@code caliop.spill_directory}, else {@code java.io.tmpdir}. They can be the clear text of
 * mail due to be encrypted: what a killed James left there is deleted when the caliop mailets start again.
 */
public final class MessageSpill implements AutoCloseable {
  /** Default threshold: 1 MiB, larger than nine messages in ten. */
  public static final int DEFAULT_THRESHOLD = 1024 * 1024;
  /** System property naming the directory under which this JVM's spill directory is made. */
  public static final String DIRECTORY_PROPERTY = "caliop.spill_directory";
  private static SpillDirectory directory;

  private final int threshold;
  private final ByteArrayOutputStream memory;
  private Path file;
  private OutputStream fileOut;
  private long size;

  private MessageSpill(int threshold) {
    this.threshold = threshold;
    this.memory = new ByteArrayOutputStream(Math.min(threshold, 64 * 1024));
  }

  /** Writes the message (headers and body, as James would send it) into a new spill. */
  public static MessageSpill of(MimeMessage message, int threshold) throws IOException, MessagingException {
    MessageSpill spill = new MessageSpill(threshold);
    try (OutputStream out = spill.output()) {
      message.writeTo(out);
    } catch (IOException | MessagingException | RuntimeException e) {
      spill.close();
      throw e;
    }
    return spill;
  }

  /** An empty spill to write into, e.g. an encrypted body. */
  public static MessageSpill empty(int threshold) {
    return new MessageSpill(threshold);
  }

  public OutputStream output() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (fileOut == null && memory.size() + len > threshold) {
          file = Files.createTempFile(directory(), "caliop-", ".eml");
          fileOut = Files.newOutputStream(file);
          memory.writeTo(fileOut);
          memory.reset();
        }
        if (fileOut != null) {
          fileOut.write(b, off, len);
        } else {
          memory.write(b, off, len);
        }
        size += len;
      }

      @Override
      public void close() throws IOException {
        if (fileOut != null) {
          fileOut.close();
        }
      }
    };
  }

  /**
   * This JVM's spill directory, made at first use after deleting what a killed JVM left; the mailets call it from
   * {@code init()}, so the sweep happens when James starts.
   */
  public static synchronized Path directory() throws IOException {
    if (directory == null) {
      Path parent = Path.of(System.getProperty(DIRECTORY_PROPERTY, System.getProperty("java.io.tmpdir")));
      directory = SpillDirectory.open(parent);
      if (directory.swept() > 0) {
        LoggerFactory.getLogger(MessageSpill.class).warn("caliop: deleted {} spill files left in {} by a JVM that "
            + "did not stop cleanly", directory.swept(), parent);
      }
    }
    return directory.path();
  }

  public long size() {
    return size;
  }

  public boolean spilledToDisk() {
    return file != null;
  }

  /**
   * A fresh stream over the content, as a javax.mail {@code SharedInputStream}, so a {@code MimeMessage} built on it
   * refers to the body by position instead of copying it.
   */
  public InputStream input() throws IOException {
    if (file == null) {
      return new SharedByteArrayInputStream(memory.toByteArray());
    }
    return new SharedFileInputStream(file.toFile());
  }

  /** Reads the content as plain bytes in memory; only for small content (tests, the header section). */
  public InputStream plainInput() throws IOException {
    return file == null ? new ByteArrayInputStream(memory.toByteArray()) : Files.newInputStream(file);
  }

  @Override
  public void close() {
    try {
      if (fileOut != null) {
        fileOut.close();
      }
      if (file != null) {
        // On Unix an open SharedFileInputStream keeps reading an unlinked file; the space is freed when it closes.
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // A temp file we could not delete is not worth failing a message for; the OS temp cleaner takes it.
    }
  }
}
