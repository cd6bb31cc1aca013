package org.caliop.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Generated messages with large bodies, for MB/s figures. */
public final class LargeBodies {
  private static final String HEADERS = "Received: from relay.example (relay.example [192.0.2.7]) by mx.example "
      + "with ESMTPS id 4Q; Mon, 1 Jan 2024 00:00:00 +0000\r\n"
      + "From: Alice <alice@example.org>\r\nTo: Bob <bob@example.net>\r\nSubject: large\r\n"
      + "Date: Mon, 1 Jan 2024 00:00:00 +0000\r\nMessage-ID: <large@example.org>\r\nMIME-Version: 1.0\r\n";
  private static final String TEXT_LINE =
      "The quick brown fox jumps over the lazy dog, again and again, line after line.\r\n";
  private static final String BASE64_LINE =
      "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n";

  private LargeBodies() {
  }

  /** One text/plain body: every line goes through the PGP/inline scan. */
  public static byte[] plain(int megabytes) {
    StringBuilder head = new StringBuilder(HEADERS).append("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
    return fill(head.toString(), TEXT_LINE, megabytes, "");
  }

  /** A short text part and a base64 attachment: the body is only scanned for the boundary. */
  public static byte[] multipart(int megabytes) {
    String head = HEADERS + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"
        + "Content-Type: text/plain\r\n\r\nSee the attachment.\r\n--b1\r\nContent-Type: application/octet-stream\r\n"
        + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"data.bin\"\r\n\r\n";
    return fill(head, BASE64_LINE, megabytes, "--b1--\r\n");
  }

  private static byte[] fill(String head, String line, int megabytes, String tail) {
    long target = (long) megabytes << 20;
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) target + 4096);
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] lineBytes = line.getBytes(StandardCharsets.US_ASCII);
    byte[] tailBytes = tail.getBytes(StandardCharsets.US_ASCII);
    out.write(headBytes, 0, headBytes.length);
    while (out.size() + lineBytes.length + tailBytes.length <= target) {
      out.write(lineBytes, 0, lineBytes.length);
    }
    out.write(tailBytes, 0, tailBytes.length);
    return out.toByteArray();
  }
}
