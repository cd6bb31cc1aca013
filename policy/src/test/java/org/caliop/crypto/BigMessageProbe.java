package org.caliop.crypto;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.List;
import org.caliop.crypto.EncryptOptions;

/**
 * Run in a JVM with a small heap by {@link BigMessageTest}: encrypts a generated message of the given size (never
 * held in memory) and prints the body digest, the result and the peak heap.
 *
 * <p>Arguments: keys-dir pgp|smime recipient megabytes out-file
 */
public final class BigMessageProbe {
  private BigMessageProbe() {
  }

  public static void main(String[] args) throws Exception {
    GeneratedMessage message = new GeneratedMessage(Long.parseLong(args[3]) << 20);
    GatewayEncryptor encryptor = GatewayEncryptors.fromDirectory(Paths.get(args[0]), Clock.systemUTC());
    EncryptOptions spec = EncryptOptions.of(args[1].equals("pgp") ? EncryptOptions.Format.PGP : EncryptOptions.Format.SMIME, null);
    EncryptionResult result;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Paths.get(args[4])), 1 << 16)) {
      result = encryptor.encrypt(message, List.of(args[2]), spec, out);
    }
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.println("status=" + result.status() + " body-bytes=" + message.bodyBytes() + " body-sha256="
        + message.bodyDigest() + " peak-heap-mb=" + (peak >> 20) + " max-heap-mb="
        + (Runtime.getRuntime().maxMemory() >> 20));
  }

  /** A plain text message of about {@code size} bytes, made line by line as it is read. */
  static final class GeneratedMessage extends InputStream {
    private static final byte[] LINE =
        "0000000000 The quick brown fox jumps over the lazy dog, again and again and again.\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private final long size;
    private final MessageDigest bodyDigest;
    private byte[] chunk = ("From: big@example.org\r\nTo: alice@example.org\r\nSubject: a big one\r\n"
        + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    private int pos;
    private long produced;
    private long bodyBytes;
    private long line;

    GeneratedMessage(long size) throws NoSuchAlgorithmException {
      this.size = size;
      this.bodyDigest = MessageDigest.getInstance("SHA-256");
    }

    /** Every generated body line is digested when made; it is always read whole before the stream ends. */
    private boolean refill() {
      if (pos < chunk.length) {
        return true;
      }
      if (produced >= size) {
        return false;
      }
      chunk = nextLine();
      bodyDigest.update(chunk);
      bodyBytes += chunk.length;
      pos = 0;
      return true;
    }

    @Override
    public int read() {
      if (!refill()) {
        return -1;
      }
      produced++;
      return chunk[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      int n = 0;
      while (n < len && refill()) {
        int k = Math.min(len - n, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off + n, k);
        pos += k;
        produced += k;
        n += k;
      }
      return n == 0 ? -1 : n;
    }

    /** A numbered line, made without String.format: the probe should spend its time encrypting. */
    private byte[] nextLine() {
      byte[] l = LINE.clone();
      long n = line++;
      for (int i = 9; i >= 0; i--) {
        l[i] = (byte) ('0' + n % 10);
        n /= 10;
      }
      return l;
    }

    long bodyBytes() {
      return bodyBytes;
    }

    String bodyDigest() {
      return hex(bodyDigest.digest());
    }
  }

  static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      sb.append(String.format("%02x", b & 0xff));
    }
    return sb.toString();
  }
}
