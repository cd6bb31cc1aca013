package org.caliop.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.caliop.message.Messages.crlf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.caliop.mime.Ciphertext;
import org.caliop.mime.Encryption;
import org.junit.jupiter.api.Test;

/** Hostile and broken input: always a result with diagnostics, never an exception, and the whole input read. */
class RobustnessTest {
  private static final ScanLimits LIMITS = ScanLimits.defaults();

  @Test
  void scanShouldSurviveRandomBytes() {
    Random random = new Random(42);
    for (int i = 0; i < 300; i++) {
      byte[] junk = new byte[random.nextInt(1 << (4 + i % 13))];
      random.nextBytes(junk);

      ScannedMessage m = Messages.scan(junk, LIMITS);

      assertThat(m.size()).isEqualTo(junk.length);
    }
  }

  @Test
  void scanShouldSurviveRandomMimeShapedBytes() {
    Random random = new Random(7);
    String[] atoms = {"--b\r\n", "--b--\r\n", "\r\n", "Content-Type: multipart/mixed; boundary=b\r\n",
        "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; boundary=b\r\n",
        "Content-Type: application/pkcs7-mime; smime-type=signed-data\r\n", "Content-Type: message/rfc822\r\n",
        "Content-Transfer-Encoding: base64\r\n", "Content-Transfer-Encoding: quoted-printable\r\n",
        "-----BEGIN PGP MESSAGE-----\r\n", "MIAGCSqGSIb3DQEHAqCAMIACAQExCzAJBgUrDgMCGgUAMIAGCSqGSIb3DQEHAaCAJIAE\r\n", "=\r\n",
        "=ZZ\r\n", "x\u0000y\r\n", "Received: from x\r\n", " folded\r\n", "\u00ff\u00fe\r\n"};
    for (int i = 0; i < 2_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = random.nextInt(60);
      for (int j = 0; j < n; j++) {
        b.append(atoms[random.nextInt(atoms.length)]);
      }
      byte[] message = b.toString().getBytes(StandardCharsets.ISO_8859_1);

      ScannedMessage m = Messages.scan(message, LIMITS);

      assertThat(m.size()).isEqualTo(message.length);
    }
  }

  @Test
  void scanShouldSurviveEveryTruncationOfTheFixtures() throws IOException {
    List<Path> fixtures;
    try (Stream<Path> files = Stream.concat(Files.list(Paths.get("../../shared/fixtures/smime")),
        Files.list(Paths.get("../../shared/fixtures/pgp")))) {
      fixtures = files.filter(p -> p.toString().endsWith(".eml")).sorted().collect(Collectors.toList());
    }
    for (Path fixture : fixtures) {
      byte[] whole = Files.readAllBytes(fixture);
      for (int cut = 0; cut < whole.length; cut += 61) {
        byte[] truncated = Arrays.copyOf(whole, cut);

        ScannedMessage m = Messages.scan(truncated, LIMITS);

        assertThat(m.size()).isEqualTo(cut);
      }
    }
  }

  @Test
  void scanShouldSurviveAHundredThousandHeaderFields() {
    GeneratedMessage message = GeneratedMessage.builder().repeat("Received: from a.example by b.example\r\n", 100_000)
        .add("Caliop-Privacy: forged\r\n\r\nbody\r\n").build();

    ScannedMessage m = scan(message);

    assertThat(m.received()).hasSize(LIMITS.maxHeaderFields());
    assertThat(m.foreignFields().counts()).containsExactly(entry("Caliop-Privacy", 1));
    assertThat(m.diagnostics()).contains("too-many-header-fields");
    assertThat(m.size()).isEqualTo(message.length());
  }

  @Test
  void scanShouldSurviveATenMegabyteHeaderLine() {
    GeneratedMessage message = GeneratedMessage.builder().add("Received: from x ").repeat("y", 10 << 20)
        .add("\r\nSubject: after\r\nCaliop-Hop: z\r\n\r\n" + Ciphertext.armoredToAliceCrlf()).build();

    ScannedMessage m = scan(message);

    assertThat(m.received()).hasSize(1);
    assertThat(m.received().get(0).length()).isLessThanOrEqualTo(LIMITS.maxHeaderFieldBytes());
    assertThat(m.foreignFields().counts()).containsExactly(entry("Caliop-Hop", 1));
    assertThat(m.content().encrypted()).isEqualTo(Encryption.PGP_INLINE);
    assertThat(m.diagnostics()).contains("line-truncated", "header-field-truncated");
  }

  @Test
  void scanShouldSurviveAFoldedHeaderOfTenMegabytes() {
    GeneratedMessage message = GeneratedMessage.builder().add("Received: from x\r\n").repeat(" y y y y y y y\r\n",
        700_000).add("Subject: after\r\n\r\nbody\r\n").build();

    ScannedMessage m = scan(message);

    assertThat(m.received()).hasSize(1);
    assertThat(m.diagnostics()).contains("header-field-truncated");
    assertThat(m.size()).isEqualTo(message.length());
  }

  @Test
  void scanShouldSurviveAThousandNestedMultiparts() {
    GeneratedMessage.Builder b = GeneratedMessage.builder().add("From: a@example.org\r\n");
    // "level1." is no prefix of "level10.": the nesting, not an ambiguous boundary, is what stops the walk
    for (int i = 0; i < 1_000; i++) {
      b.add("Content-Type: multipart/mixed; boundary=\"level" + i + ".\"\r\n\r\n--level" + i + ".\r\n");
    }
    b.add("Content-Type: text/plain\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n");
    for (int i = 999; i >= 0; i--) {
      b.add("--level" + i + ".--\r\n");
    }
    GeneratedMessage message = b.build();

    ScannedMessage m = scan(message);

    assertThat(m.diagnostics()).contains("nesting-too-deep");
    assertThat(m.size()).isEqualTo(message.length());
  }

  @Test
  void scanShouldSurviveAThousandNestedMessages() {
    GeneratedMessage.Builder b = GeneratedMessage.builder();
    for (int i = 0; i < 1_000; i++) {
      b.add("Subject: level " + i + "\r\nContent-Type: message/rfc822\r\n\r\n");
    }
    b.add("Subject: inner\r\n\r\nhello\r\n");
    GeneratedMessage message = b.build();

    ScannedMessage m = scan(message);

    assertThat(m.diagnostics()).contains("nesting-too-deep");
    assertThat(m.size()).isEqualTo(message.length());
  }

  @Test
  void scanShouldSurviveNestedOpaqueSignaturesAllTheWayDown() {
    // Opaque signed-data whose content is again an opaque-signed message, 30 times (base64 grows a third per level):
    // bounded by the nesting limit.
    byte[] inner = crlf("Content-Type: text/plain", "", "hello").getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 30; i++) {
      byte[] der = signedData(inner);
      inner = (crlf("Content-Type: application/pkcs7-mime; smime-type=signed-data", "Content-Transfer-Encoding: base64",
          "") + Base64.getMimeEncoder().encodeToString(der) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    ScannedMessage m = Messages.scan(inner, ScanLimits.of(10_000, 1 << 20, 4 << 20, 16, 1_000, Long.MAX_VALUE));

    assertThat(m.diagnostics()).contains("nesting-too-deep");
    assertThat(m.content().signed().token()).isEqualTo("smime");
  }

  @Test
  void scanShouldSurviveBrokenBoundariesAndEncodings() {
    List<String> broken = List.of(
        crlf("Content-Type: multipart/mixed", "", "--", "no boundary parameter"),
        crlf("Content-Type: multipart/mixed; boundary=\"never\"", "", "--other", "", "text"),
        crlf("Content-Type: multipart/mixed; boundary=b", "", "--b", "Content-Type: text/plain", "", "unclosed"),
        crlf("Content-Type: multipart/mixed; boundary=" + "x".repeat(5_000), "", "--" + "x".repeat(5_000), "", "a"),
        crlf("Content-Type: multipart/mixed; boundary=\"\"", "", "--", "", "a", "----"),
        crlf("Content-Type: text/plain", "Content-Transfer-Encoding: base64", "", "!!!!****====", "QUJD=RA=="),
        crlf("Content-Type: text/plain", "Content-Transfer-Encoding: quoted-printable", "", "=ZZ=0", "=", "=\u00ff"),
        crlf("Content-Type: text/plain", "Content-Transfer-Encoding: x-uuencode", "", "begin 644 x"),
        crlf("Content-Type: text/plain; charset=\"no-such-charset\"", "", "text"),
        crlf("Content-Type: application/pkcs7-mime; smime-type=signed-data", "Content-Transfer-Encoding: base64", "",
            "MIAGCSqGSIb3DQEHAqCAMIACAQExCzAJBgUrDgMCGgUAMIAGCSqGSIb3DQEHAaCAJIAEggRUQ29udGVudC1UeXBl"),
        crlf("Content-Type: application/pkcs7-mime", "", "\u0000\u0000\u0000"),
        crlf("Content-Type: message/rfc822", "Content-Transfer-Encoding: base64", "", "%%%%"),
        crlf(": no name", "Received", "\u00ff\u00fe: junk", "\u0000: nul", "Subject: fine", "", "body"),
        "Subject: no blank line and no line end",
        "",
        "\r\n",
        "\r\r\r\n\n\n",
        "Subject: bare CR\rReceived: from x\r\rbody");
    for (String message : broken) {
      byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);

      ScannedMessage m = Messages.scan(bytes, LIMITS);

      assertThat(m.size()).as("size of %s", message).isEqualTo(bytes.length);
    }
  }

  @Test
  void scanShouldKeepNulAndEightBitJunkInHeaderValues() {
    byte[] message = "Received: from x\u0000y\u00ff\u00fe by z\r\n\r\nb\u0000dy".getBytes(StandardCharsets.ISO_8859_1);

    ScannedMessage m = Messages.scan(message, LIMITS);

    assertThat(m.received()).containsExactly("from x\u0000y\u00ff\u00fe by z");
    assertThat(m.diagnostics()).contains("nul-in-header", "8bit-in-header");
  }

  @Test
  void scanShouldSurviveAHugeSingleLineBody() {
    GeneratedMessage message = GeneratedMessage.builder().add("Content-Type: text/plain\r\n\r\n")
        .repeat("abcdefghijklmnopqrstuvwxyz", 2_000_000).build();

    ScannedMessage m = scan(message);

    assertThat(m.size()).isEqualTo(message.length());
    assertThat(m.diagnostics()).contains("line-truncated");
  }

  private static ScannedMessage scan(InputStream message) {
    try {
      return MessageScanner.scan(message, LIMITS, name -> name.startsWith("Caliop-"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** ContentInfo(signedData) with the given content as a definite-length primitive OCTET STRING. */
  private static byte[] signedData(byte[] content) {
    byte[] octets = tlv(0x04, content);
    byte[] encap = tlv(0x30, concat(new byte[] {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D,
        0x01, 0x07, 0x01}, tlv(0xA0, octets)));
    byte[] signed = tlv(0x30, concat(new byte[] {0x02, 0x01, 0x01, 0x31, 0x00}, encap));
    return tlv(0x30, concat(new byte[] {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01,
        0x07, 0x02}, tlv(0xA0, signed)));
  }

  private static byte[] tlv(int tag, byte[] value) {
    int n = value.length;
    byte[] head = n < 0x80 ? new byte[] {(byte) tag, (byte) n}
        : new byte[] {(byte) tag, (byte) 0x84, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    return concat(head, value);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
