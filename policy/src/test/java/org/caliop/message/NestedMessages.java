package org.caliop.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hostile nesting, made fresh: the engine's and the milter's deep-nesting tests send the same bytes. */
public final class NestedMessages {
  private NestedMessages() {
  }

  /**
   * {@code levels} entities each holding the next, and a text at the bottom: {@code message} (message/rfc822),
   * {@code quoted-printable message} (message/rfc822 each level quoted-printable encoded) or {@code multipart}.
   */
  public static byte[] of(int levels, String shape) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder b = new StringBuilder("From: alice@example.org\r\nTo: bob@example.org\r\n");
    for (int i = 0; i < levels; i++) {
      switch (shape) {
        case "message":
          b.append("Content-Type: message/rfc822\r\n\r\nSubject: level ").append(i).append("\r\n");
          break;
        case "quoted-printable message":
          // Each level adds a decoding stream below the last: a read at the bottom passes through all of them.
          b.append("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
          break;
        default:
          // "b1." is no prefix of "b10.": no ambiguous boundary stops the walk, only the nesting
          b.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append(".\"\r\n\r\n--b").append(i)
              .append(".\r\n");
          break;
      }
      if (b.length() > 1 << 16) {
        out.writeBytes(b.toString().getBytes(StandardCharsets.US_ASCII));
        b.setLength(0);
      }
    }
    b.append("Content-Type: text/plain\r\n\r\nhello\r\n");
    if (shape.equals("multipart")) {
      for (int i = levels - 1; i >= 0; i--) {
        b.append("--b").append(i).append(".--\r\n");
        if (b.length() > 1 << 16) {
          out.writeBytes(b.toString().getBytes(StandardCharsets.US_ASCII));
          b.setLength(0);
        }
      }
    }
    out.writeBytes(b.toString().getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
