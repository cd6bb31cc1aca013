package org.caliop.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.caliop.crypto.EncryptOptions.Format;
import org.caliop.crypto.EncryptOptions;
import org.caliop.crypto.EncryptionResult.Status;
import org.caliop.facts.HeaderEdit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encrypts with the gateway and decrypts with the real gpg and openssl. */
class GatewayEncryptorTest {
  static final String HEADERS = "Received: from mx.example.net (mx.example.net [192.0.2.7])\r\n"
      + "\tby gw.example.org (Postfix) with ESMTPS id 4ABC; Fri, 27 Nov 2026 08:00:00 +0000\r\n"
      + "Caliop-Score: 80 (B)\r\n"
      + "From: Sender <sender@example.org>\r\n"
      + "To: Alice <alice@example.org>, Bob <bob@example.net>\r\n"
      + "Subject: Quarterly figures\r\n"
      + "Date: Fri, 27 Nov 2026 08:00:00 +0000\r\n"
      + "Message-ID: <q1@example.org>\r\n"
      + "MIME-Version: 1.0\r\n";
  static final String CONTENT = "Content-Type: text/plain; charset=utf-8\r\n"
      + "Content-Transfer-Encoding: 8bit\r\n";
  static final String BODY = "Hello Alice,\r\n\r\nthe figures are below. Gr\u00fc\u00dfe\r\n.\r\n-- \r\nSender\r\n";
  static final byte[] MESSAGE = (HEADERS + CONTENT + "\r\n" + BODY).getBytes(StandardCharsets.UTF_8);
  /** What must come out of the ciphertext: content fields, protected fields, body. */
  static final String INNER = "Content-Type: text/plain; charset=utf-8;\r\n protected-headers=\"v1\"\r\n"
      + "Content-Transfer-Encoding: 8bit\r\n"
      + "From: Sender <sender@example.org>\r\n"
      + "To: Alice <alice@example.org>, Bob <bob@example.net>\r\n"
      + "Subject: Quarterly figures\r\n"
      + "Date: Fri, 27 Nov 2026 08:00:00 +0000\r\n"
      + "Message-ID: <q1@example.org>\r\n"
      + "\r\n" + BODY;

  static final Clock NOW = Clock.fixed(Instant.parse("2026-11-27T08:00:00Z"), ZoneOffset.UTC);

  @TempDir
  static Path tmp;
  static Path keys;
  static Path gpgHome;
  static Path[] aliceRsa;
  static Path[] aliceEc;
  static Path[] bob;
  static GatewayEncryptor encryptor;

  @BeforeAll
  static void keys() throws IOException {
    keys = Files.createDirectories(tmp.resolve("keys"));
    Files.copy(Tools.PGP_FIXTURES.resolve("alice-public.asc"), keys.resolve("alice-public.asc"));
    Files.copy(Tools.PGP_FIXTURES.resolve("bob-public.asc"), keys.resolve("bob-public.asc"));
    Path certs = Files.createDirectories(tmp.resolve("certs"));
    aliceRsa = Tools.p12("Alice", certs);
    aliceEc = Tools.p12("Alice-ec", certs);
    bob = Tools.p12("Bob", certs);
    Files.copy(aliceRsa[0], keys.resolve("Alice.crt"));
    Files.copy(aliceEc[0], keys.resolve("Alice-ec.pem"));
    Files.copy(bob[0], keys.resolve("Bob.crt"));
    gpgHome = Tools.gpgHome(tmp, "alice-secret.asc", "bob-secret.asc");
    encryptor = GatewayEncryptors.fromDirectory(keys, NOW);
  }

  @AfterAll
  static void stopAgent() {
    Tools.stopAgent(gpgHome);
  }

  /** Bob's client reads AES-GCM, as a policy rule for him would say. */
  static final SmimeAlgorithms GCM = SmimeAlgorithms.of(SmimeAlgorithms.KeyTransport.RSA_OAEP,
      SmimeAlgorithms.ContentCipher.AES_GCM);

  static EncryptOptions spec(Format format) {
    return EncryptOptions.of(format, null).withSmimeFor("bob@example.com", GCM);
  }

  static final class Encrypted {
    final EncryptionResult result;
    final byte[] body;

    Encrypted(EncryptionResult result, byte[] body) {
      this.result = result;
      this.body = body;
    }

    byte[] message(byte[] original) {
      return Tools.applyEdits(original, result.headerEdits(), body);
    }
  }

  static Encrypted encrypt(byte[] message, List<String> to, EncryptOptions spec) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(message);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EncryptionResult r = encryptor.encrypt(in, to, spec, out);
    assertThat(in.available()).as("message read to its end").isZero();
    return new Encrypted(r, out.toByteArray());
  }

  @Test
  void encryptShouldProducePgpMimeThatGpgDecryptsToTheOriginalBodyAndProtectedHeaders() throws IOException {
    Encrypted e = encrypt(MESSAGE, List.of("alice@example.org"), spec(Format.PGP));

    assertThat(e.result.status()).isEqualTo(Status.ENCRYPTED);
    assertThat(e.result.format()).contains("pgp-mime");
    String body = new String(e.body, StandardCharsets.US_ASCII);
    String contentType = added(e.result, "Content-Type");
    assertThat(contentType).startsWith("multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=");
    String boundary = contentType.replaceAll(".*boundary=\"([^\"]+)\".*", "$1");
    assertThat(body).contains("--" + boundary + "\r\nContent-Type: application/pgp-encrypted\r\n")
        .contains("\r\nVersion: 1\r\n")
        .contains("--" + boundary + "\r\nContent-Type: application/octet-stream")
        .endsWith("-----END PGP MESSAGE-----\r\n\r\n--" + boundary + "--\r\n")
        .doesNotContain("\n\n").doesNotContain("Quarterly");

    Tools.Result clear = Tools.gpgDecrypt(gpgHome, Tools.armoredPart(e.body));
    assertThat(clear.exit).as(clear.err).isZero();
    assertThat(new String(clear.out, StandardCharsets.UTF_8)).isEqualTo(INNER);
    // mdc method 2 (SEIPD v1 with its SHA-1 MDC), cipher 9 (AES-256), integrity checked.
    assertThat(clear.err).contains("[GNUPG:] DECRYPTION_INFO 2 9").contains("[GNUPG:] DECRYPTION_OKAY")
        .contains("[GNUPG:] GOODMDC");
  }

  @Test
  void encryptShouldMakeOnePgpMessageEveryRecipientCanDecrypt() throws IOException {
    Encrypted e = encrypt(MESSAGE, List.of("alice@example.org", "Bob@Example.NET"), spec(Format.PREFER_PGP));

    assertThat(e.result.status()).isEqualTo(Status.ENCRYPTED);
    Path aliceOnly = Tools.gpgHome(tmp.resolve("alice-only"), "alice-secret.asc");
    Path bobOnly = Tools.gpgHome(tmp.resolve("bob-only"), "bob-secret.asc");
    try {
      assertThat(Tools.gpgDecrypt(aliceOnly, Tools.armoredPart(e.body)).text()).isEqualTo(INNER);
      assertThat(Tools.gpgDecrypt(bobOnly, Tools.armoredPart(e.body)).text()).isEqualTo(INNER);
    } finally {
      Tools.stopAgent(aliceOnly);
      Tools.stopAgent(bobOnly);
    }
  }

  @Test
  void encryptShouldMoveContentFieldsInsideAndKeepRoutingAndCaliopFieldsOutside() throws IOException {
    Encrypted e = encrypt(MESSAGE, List.of("alice@example.org"), spec(Format.PGP));

    assertThat(e.result.headerEdits()).contains(HeaderEdit.remove("Content-Type", 1),
        HeaderEdit.remove("Content-Transfer-Encoding", 1));
    assertThat(e.result.headerEdits()).noneMatch(h -> h.kind() == HeaderEdit.Kind.REMOVE
        && !h.name().toLowerCase().startsWith("content-"));
    String outer = new String(e.message(MESSAGE), StandardCharsets.US_ASCII);
    String head = outer.substring(0, outer.indexOf("\r\n\r\n"));
    assertThat(head).contains("Received: from mx.example.net").contains("Caliop-Score: 80 (B)")
        .contains("Subject: Quarterly figures").contains("Content-Type: multipart/encrypted")
        .doesNotContain("Content-Transfer-Encoding: 8bit").doesNotContain("text/plain");
  }

  @Test
  void encryptShouldReplaceTheOuterSubjectWhenThePolicySaysSo() throws IOException {
    Encrypted e = encrypt(MESSAGE, List.of("alice@example.org"),
        EncryptOptions.of(Format.PGP, "..."));

    assertThat(e.result.headerEdits()).contains(HeaderEdit.remove("Subject", 1), HeaderEdit.add("Subject", "..."));
    String outer = new String(e.message(MESSAGE), StandardCharsets.US_ASCII);
    assertThat(outer.substring(0, outer.indexOf("\r\n\r\n"))).contains("Subject: ...")
        .doesNotContain("Quarterly");
    assertThat(Tools.gpgDecrypt(gpgHome, Tools.armoredPart(e.body)).text())
        .contains("Subject: Quarterly figures\r\n");
  }

  @Test
  void encryptShouldEncodeANonAsciiOuterSubject() throws IOException {
    Encrypted e = encrypt(MESSAGE, List.of("alice@example.org"),
        EncryptOptions.of(Format.PGP, "Message chiffr\u00e9"));

    assertThat(added(e.result, "Subject")).isEqualTo("=?ISO-8859-1?Q?Message_chiffr=E9?=");
  }

  @Test
  void encryptShouldWriteOneSessionKeyPacketWhenTwoAddressesShareAKey() throws IOException {
    Path shared = Files.createDirectories(tmp.resolve("shared-key"));
    Files.copy(Tools.PGP_FIXTURES.resolve("alice-public.asc"), shared.resolve("alice-alias@example.org.asc"));
    Files.copy(Tools.PGP_FIXTURES.resolve("alice-public.asc"), shared.resolve("alice-public.asc"));
    GatewayEncryptor e = GatewayEncryptors.fromDirectory(shared, NOW);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    e.encrypt(new ByteArrayInputStream(MESSAGE), List.of("alice@example.org", "alice-alias@example.org"),
        spec(Format.PGP), out);

    Tools.Result packets = Tools.ok(List.of("gpg", "--batch", "--list-packets"), Tools.gpgEnv(gpgHome),
        Tools.armoredPart(out.toByteArray()));
    assertThat(packets.text().split(":pubkey enc packet:", -1)).hasSize(2);
  }

  @Test
  void encryptShouldProduceSmimeThatOpensslDecryptsForAnRsaRecipient() throws IOException {
    Encrypted e = encrypt(MESSAGE, List.of("alice@example.com"), spec(Format.SMIME));

    assertThat(e.result.status()).isEqualTo(Status.ENCRYPTED);
    assertThat(e.result.format()).contains("smime");
    assertThat(added(e.result, "Content-Type"))
        .isEqualTo("application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"");
    assertThat(added(e.result, "Content-Transfer-Encoding")).isEqualTo("base64");
    assertThat(added(e.result, "Content-Disposition")).isEqualTo("attachment; filename=\"smime.p7m\"");
    assertSmimeDecrypts(e, aliceRsa, "aes-256-cbc", "rsaesOaep");
  }

  @Test
  void encryptShouldProduceSmimeThatOpensslDecryptsForAnEcdhRecipient() throws IOException {
    Encrypted e = encrypt(MESSAGE, List.of("alice-ec@example.com"), spec(Format.PREFER_SMIME));

    assertThat(e.result.status()).isEqualTo(Status.ENCRYPTED);
    assertSmimeDecrypts(e, aliceEc, "aes-256-cbc", "dhSinglePass-stdDH-sha256kdf-scheme");
  }

  @Test
  void encryptShouldUseAuthEnvelopedGcmWhenTheRecipientIsListedAsReadingIt() throws IOException {
    Encrypted e = encrypt(MESSAGE, List.of("bob@example.com"), spec(Format.SMIME));

    assertThat(added(e.result, "Content-Type")).contains("smime-type=authEnveloped-data");
    assertSmimeDecrypts(e, bob, "aes-256-gcm", "rsaesOaep");
  }

  @Test
  void encryptShouldFallBackToCbcWhenOneRecipientDoesNotReadGcm() throws IOException {
    Encrypted e = encrypt(MESSAGE, List.of("bob@example.com", "alice@example.com", "alice-ec@example.com"),
        spec(Format.SMIME));

    assertThat(added(e.result, "Content-Type")).contains("smime-type=enveloped-data");
    assertSmimeDecrypts(e, bob, "aes-256-cbc", "rsaesOaep");
    assertSmimeDecrypts(e, aliceRsa, "aes-256-cbc", "rsaesOaep");
    assertSmimeDecrypts(e, aliceEc, "aes-256-cbc", "dhSinglePass-stdDH-sha256kdf-scheme");
  }

  private static void assertSmimeDecrypts(Encrypted e, Path[] certAndKey, String cipher, String keyAlgorithm)
      throws IOException {
    Path file = Files.createTempFile(tmp, "smime", ".eml");
    Files.write(file, e.message(MESSAGE));
    Tools.Result clear = Tools.opensslDecrypt(file, certAndKey[0], certAndKey[1]);
    assertThat(clear.exit).as(clear.err).isZero();
    assertThat(new String(clear.out, StandardCharsets.UTF_8)).isEqualTo(INNER);
    Tools.Result structure = Tools.ok(List.of("openssl", "cms", "-cmsout", "-print", "-in", file.toString()),
        java.util.Map.of(), null);
    assertThat(structure.text()).contains(cipher).contains(keyAlgorithm);
  }

  @Test
  void encryptShouldCanonicalizeBareLineFeedsAndAddMimeVersionWhenMissing() throws IOException {
    byte[] lf = ("From: a@example.org\nTo: alice@example.org\nSubject: lf\n\nline one\nline two\n")
        .getBytes(StandardCharsets.US_ASCII);
    Encrypted e = encrypt(lf, List.of("alice@example.org"), spec(Format.PGP));

    assertThat(e.result.headerEdits()).contains(HeaderEdit.add("MIME-Version", "1.0"));
    assertThat(Tools.gpgDecrypt(gpgHome, Tools.armoredPart(e.body)).text()).isEqualTo(
        "Content-Type: text/plain; charset=us-ascii; protected-headers=\"v1\"\r\n"
            + "From: a@example.org\r\nTo: alice@example.org\r\nSubject: lf\r\n\r\nline one\r\nline two\r\n");
  }

  @Test
  void encryptShouldKeepAMultipartStructureIntactInside() throws IOException {
    String multipart = "From: a@example.org\r\nTo: alice@example.com\r\nSubject: parts\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/mixed;\r\n boundary=\"b1\"\r\n\r\n"
        + "--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
        + "--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + "AAECAwQ=\r\n--b1--\r\n";
    byte[] message = multipart.getBytes(StandardCharsets.US_ASCII);
    Encrypted e = encrypt(message, List.of("alice@example.com"), spec(Format.SMIME));

    Path file = Files.createTempFile(tmp, "multi", ".eml");
    Files.write(file, e.message(message));
    Tools.Result clear = Tools.opensslDecrypt(file, aliceRsa[0], aliceRsa[1]);
    assertThat(clear.text()).isEqualTo("Content-Type: multipart/mixed;\r\n boundary=\"b1\";\r\n"
        + " protected-headers=\"v1\"\r\nFrom: a@example.org\r\nTo: alice@example.com\r\nSubject: parts\r\n\r\n"
        + multipart.substring(multipart.indexOf("--b1")));
  }

  static String added(EncryptionResult r, String name) {
    return r.headerEdits().stream().filter(h -> h.kind() == HeaderEdit.Kind.ADD && h.name().equals(name))
        .map(HeaderEdit::value).findFirst().orElse(null);
  }
}
