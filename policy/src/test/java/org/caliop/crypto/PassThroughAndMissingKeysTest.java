package org.caliop.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.caliop.crypto.EncryptOptions.Format;
import org.caliop.crypto.EncryptOptions;
import org.caliop.crypto.EncryptionResult.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages that must pass untouched, and recipients without a key. */
class PassThroughAndMissingKeysTest {
  @TempDir
  static Path tmp;
  static GatewayEncryptor encryptor;
  static Path gpgHome;
  static Path[] alice;

  @BeforeAll
  static void keys() throws IOException {
    Path keys = Files.createDirectories(tmp.resolve("keys"));
    Files.copy(Tools.PGP_FIXTURES.resolve("alice-public.asc"), keys.resolve("alice-public.asc"));
    alice = Tools.p12("Alice", Files.createDirectories(tmp.resolve("certs")));
    Files.copy(alice[0], keys.resolve("alice.crt"));
    encryptor = GatewayEncryptors.fromDirectory(keys, GatewayEncryptorTest.NOW);
    gpgHome = Tools.gpgHome(tmp, "alice-public.asc");
  }

  @AfterAll
  static void stopAgent() {
    Tools.stopAgent(gpgHome);
  }

  static EncryptionResult encrypt(byte[] message, List<String> to, Format format) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(message);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EncryptionResult r = encryptor.encrypt(in, to, EncryptOptions.of(format, null), out);
    assertThat(in.available()).as("read to the end").isZero();
    if (r.status() != Status.ENCRYPTED) {
      // ALREADY_PROTECTED may have written a body the adapter discards; MISSING_KEYS writes nothing.
      assertThat(r.headerEdits()).isEmpty();
    }
    if (r.status() == Status.MISSING_KEYS) {
      assertThat(out.size()).as("nothing written").isZero();
    }
    return r;
  }

  @Test
  void thunderbirdPgpMimeShouldPassUntouched() throws IOException {
    byte[] m = Files.readAllBytes(Tools.PGP_FIXTURES.resolve("thunderbird_encrypted_unsigned.eml"));
    assertThat(encrypt(m, List.of("alice@example.org"), Format.PGP).status()).isEqualTo(Status.ALREADY_PROTECTED);
  }

  @Test
  void nssSmimeEnvelopedShouldPassUntouched() throws IOException {
    byte[] m = Files.readAllBytes(Tools.SMIME_FIXTURES.resolve("alice.env.eml"));
    assertThat(encrypt(m, List.of("alice@example.com"), Format.SMIME).status())
        .isEqualTo(Status.ALREADY_PROTECTED);
  }

  @Test
  void whatOpensslEncryptedShouldPassUntouched() throws IOException {
    Path clear = tmp.resolve("clear.txt");
    Files.writeString(clear, "Content-Type: text/plain\r\n\r\nsecret\r\n");
    byte[] smime = Tools.ok(List.of("openssl", "cms", "-encrypt", "-aes256", "-in", clear.toString(),
        "-subject", "hi", "-to", "alice@example.com", alice[0].toString()), Map.of(), null).out;
    assertThat(new String(smime, StandardCharsets.US_ASCII)).contains("application/pkcs7-mime");
    assertThat(encrypt(smime, List.of("alice@example.com"), Format.SMIME).status())
        .isEqualTo(Status.ALREADY_PROTECTED);
  }

  @Test
  void whatGpgEncryptedInlineShouldPassUntouched() throws IOException {
    byte[] armored = Tools.ok(List.of("gpg", "--batch", "--trust-model", "always", "--armor", "--encrypt",
        "--recipient", "alice@example.org"), Tools.gpgEnv(gpgHome),
        "secret\n".getBytes(StandardCharsets.US_ASCII)).out;
    byte[] m = ("From: a@example.org\r\nTo: alice@example.org\r\nSubject: inline\r\n\r\n\r\n"
        + new String(armored, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
    assertThat(encrypt(m, List.of("alice@example.org"), Format.PGP).status()).isEqualTo(Status.ALREADY_PROTECTED);
  }

  @Test
  void aSignedButClearMessageShouldBeEncrypted() throws IOException {
    byte[] m = Files.readAllBytes(Tools.PGP_FIXTURES.resolve("thunderbird_signed_unencrypted.eml"));
    assertThat(encrypt(m, List.of("alice@example.org"), Format.PGP).status()).isEqualTo(Status.ENCRYPTED);
  }

  @Test
  void aRecipientWithoutAnyKeyShouldBeReportedAndNothingWritten() throws IOException {
    EncryptionResult r = encrypt(GatewayEncryptorTest.MESSAGE, List.of("alice@example.org", "<Nobody@Example.net>"),
        Format.PREFER_PGP);
    assertThat(r.status()).isEqualTo(Status.MISSING_KEYS);
    assertThat(r.recipientsWithoutKey()).containsExactly("<Nobody@Example.net>");
  }

  @Test
  void preferShouldFallBackToTheOtherFormatWhenEveryRecipientHasIt() throws IOException {
    EncryptionResult r = encrypt(GatewayEncryptorTest.MESSAGE, List.of("alice@example.com"), Format.PREFER_PGP);
    assertThat(r.status()).isEqualTo(Status.ENCRYPTED);
    assertThat(r.format()).contains("smime");
  }

  @Test
  void aStrictFormatShouldNotFallBack() throws IOException {
    EncryptionResult r = encrypt(GatewayEncryptorTest.MESSAGE, List.of("alice@example.com"), Format.PGP);
    assertThat(r.status()).isEqualTo(Status.MISSING_KEYS);
    assertThat(r.recipientsWithoutKey()).containsExactly("alice@example.com");
  }

  @Test
  void recipientsWithNoCommonFormatShouldBeReportedAgainstThePreferredOne() throws IOException {
    List<String> to = List.of("alice@example.org", "alice@example.com");
    EncryptionResult r = encrypt(GatewayEncryptorTest.MESSAGE, to, Format.PREFER_PGP);
    assertThat(r.status()).isEqualTo(Status.MISSING_KEYS);
    assertThat(r.recipientsWithoutKey()).containsExactly("alice@example.com");
  }

  @Test
  void encryptForShouldLetAnAdapterSplitPerRecipientInEachOnesFormat() throws IOException {
    EncryptOptions split = EncryptOptions.of(Format.PREFER_PGP, null);
    EncryptionResult pgp = encryptor.encryptFor(new ByteArrayInputStream(GatewayEncryptorTest.MESSAGE),
        "alice@example.org", split, new ByteArrayOutputStream());
    EncryptionResult smime = encryptor.encryptFor(new ByteArrayInputStream(GatewayEncryptorTest.MESSAGE),
        "alice@example.com", split, new ByteArrayOutputStream());
    assertThat(pgp.format()).contains("pgp-mime");
    assertThat(smime.format()).contains("smime");
  }

  @Test
  void anOversizedHeaderSectionShouldBeAClearError() {
    StringBuilder huge = new StringBuilder();
    while (huge.length() <= KeyedGatewayEncryptor.MAX_HEADER_BYTES) {
      huge.append("X-Filler: ").append("x".repeat(900)).append("\r\n");
    }
    byte[] m = (huge + "\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> encryptor.encrypt(new ByteArrayInputStream(m), List.of("alice@example.org"),
        EncryptOptions.of(Format.PGP, null), new ByteArrayOutputStream()))
        .isInstanceOf(EncryptionException.class).hasMessageContaining("header section larger than");
  }
}
