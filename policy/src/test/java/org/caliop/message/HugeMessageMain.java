package org.caliop.message;

import org.caliop.engine.Assessment;
import org.caliop.engine.Engine;
import org.caliop.facts.Envelope;
import org.caliop.mime.Ciphertext;

/**
 * Scores a generated message of about 1 GB, for {@link HugeMessageTest}, which runs it in a JVM with a 64 MB heap.
 * Prints one line: the size read and what was found.
 */
public final class HugeMessageMain {
  private HugeMessageMain() {
  }

  public static void main(String[] args) throws Exception {
    long megabytes = args.length > 0 ? Long.parseLong(args[0]) : 1024;
    GeneratedMessage message = huge(megabytes);
    Assessment verdict = Engine.withBuiltInPolicy().assess(null, Envelope.empty(), message);
    System.out.println("length=" + message.length() + " size=" + verdict.facts().size() + " encrypted="
        + verdict.facts().content().encrypted().token() + " hops=" + verdict.facts().hops().size()
        + " diagnostics=" + verdict.facts().diagnostics());
  }

  /** Headers, a large clear text part, a very large base64 attachment, then a PGP/inline part at the very end. */
  static GeneratedMessage huge(long megabytes) {
    String base64Line = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n";
    String textLine = "The quick brown fox jumps over the lazy dog, again and again, line after line.\r\n";
    long textLines = megabytes * (1 << 20) / 16 / textLine.length();
    long base64Lines = megabytes * (1 << 20) / base64Line.length() - textLines;
    return GeneratedMessage.builder()
        .repeat("Received: from relay.example (relay.example [192.0.2.7]) by mx.example with ESMTPS id ABC;\r\n"
            + "\tMon, 1 Jan 2024 00:00:00 +0000\r\n", 3)
        .repeat("X-Filler: some header that nobody reads but every message carries\r\n", 50)
        .add("Subject: huge\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"huge-boundary\"\r\n\r\n")
        .add("--huge-boundary\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n")
        .repeat(textLine, textLines)
        .add("--huge-boundary\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
        .repeat(base64Line, base64Lines)
        .add("--huge-boundary\r\nContent-Type: text/plain\r\n\r\n" + Ciphertext.armoredToAliceCrlf()
            + "--huge-boundary--\r\n")
        .build();
  }
}
