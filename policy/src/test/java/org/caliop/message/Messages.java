package org.caliop.message;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Builds and scans small test messages. */
public final class Messages {
  private Messages() {
  }

  /** Joins lines with CRLF. */
  public static String crlf(String... lines) {
    return String.join("\r\n", lines) + "\r\n";
  }

  public static ScannedMessage scan(String message) {
    return scan(message.getBytes(StandardCharsets.ISO_8859_1), ScanLimits.defaults());
  }

  public static ScannedMessage scan(byte[] message, ScanLimits limits) {
    try {
      return MessageScanner.scan(new ByteArrayInputStream(message), limits,
          name -> name.regionMatches(true, 0, "Caliop-", 0, 7));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
