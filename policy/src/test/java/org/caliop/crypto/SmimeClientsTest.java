package org.caliop.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.caliop.crypto.EncryptOptions.Format;
import org.caliop.crypto.EncryptionResult.Status;
import org.caliop.crypto.SmimeAlgorithms.ContentCipher;
import org.caliop.crypto.SmimeAlgorithms.KeyTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which S/MIME clients open which of our envelopes, with the clients' own libraries (docs/encryption.md, "Which
 * clients open what"): OpenSSL 3.0 ({@code openssl cms -decrypt}) every combination; Debian's system NSS 3.87
 * ({@code cmsutil -D}, the library of Evolution and other system-NSS programs) and gpgsm 2.2 RSA PKCS#1 v1.5 with
 * AES-CBC; Thunderbird's own NSS (the {@code libnss3}/{@code libsmime3} Debian's {@code thunderbird} package ships
 * in /usr/lib/thunderbird, loaded by {@code cmsutil} through {@code LD_LIBRARY_PATH}) the default, RSA-OAEP with
 * AES-CBC, and ECDH. Needs {@code openssl}, {@code libnss3-tools}, {@code gpgsm} and {@code thunderbird}.
 */
class SmimeClientsTest {
  static final Path THUNDERBIRD_LIBS = Path.of("/usr/lib/thunderbird");

  @TempDir
  static Path tmp;
  static GatewayEncryptor encryptor;
  static Path[] alice;
  static Path[] aliceEc;
  static Path[] bob;
  static Path nssDb;
  static Path gpgsmHome;

  @BeforeAll
  static void setUp() throws IOException {
    Path keys = Files.createDirectories(tmp.resolve("keys"));
    Path certs = Files.createDirectories(tmp.resolve("certs"));
    alice = Tools.p12("Alice", certs);
    aliceEc = Tools.p12("Alice-ec", certs);
    bob = Tools.p12("Bob", certs);
    Files.copy(alice[0], keys.resolve("Alice.crt"));
    Files.copy(aliceEc[0], keys.resolve("Alice-ec.crt"));
    Files.copy(bob[0], keys.resolve("Bob.crt"));
    encryptor = GatewayEncryptors.fromDirectory(keys, GatewayEncryptorTest.NOW);

    // An NSS database holding Alice's RSA and EC keys, as a Thunderbird or Evolution profile would.
    nssDb = Files.createDirectories(tmp.resolve("nssdb"));
    Tools.ok(List.of("certutil", "-N", "-d", "sql:" + nssDb, "--empty-password"), Map.of(), null);
    for (String p12 : List.of("Alice", "Alice-ec")) {
      Tools.ok(List.of("pk12util", "-i", Tools.SMIME_FIXTURES.resolve(p12 + ".p12").toString(), "-d",
          "sql:" + nssDb, "-W", Tools.P12_PASSWORD), Map.of(), null);
    }

    // gpgsm 2.2 reads only the old PKCS#12 encryption (3DES): re-export Alice's RSA key that way. (It cannot
    // import an EC key from PKCS#12 at all.)
    gpgsmHome = Files.createDirectories(tmp.resolve("gpgsm"));
    Files.setPosixFilePermissions(gpgsmHome, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    Path legacy = certs.resolve("Alice-3des.p12");
    Tools.ok(List.of("openssl", "pkcs12", "-export", "-legacy", "-in", alice[0].toString(), "-inkey",
        alice[1].toString(), "-certpbe", "PBE-SHA1-3DES", "-keypbe", "PBE-SHA1-3DES", "-passout",
        "pass:" + Tools.P12_PASSWORD, "-out", legacy.toString()), Map.of(), null);
    Tools.ok(List.of("gpgsm", "--batch", "--disable-dirmngr", "--import",
        Tools.SMIME_FIXTURES.resolve("TestCA.pem").toString()), Tools.gpgEnv(gpgsmHome), null);
    Tools.Result imported = Tools.run(List.of("gpgsm", "--batch", "--disable-dirmngr", "--pinentry-mode", "loopback",
        "--passphrase-fd", "0", "--import", legacy.toString()), Tools.gpgEnv(gpgsmHome),
        (Tools.P12_PASSWORD + "\n").getBytes(StandardCharsets.US_ASCII));
    // gpgsm exits 2 when it cannot check the chain (the test CA is not trusted), after importing the key.
    assertThat(imported.err).as(imported.err).contains("secret keys imported: 1");
  }

  @AfterAll
  static void stopAgent() {
    Tools.run(List.of("gpgconf", "--kill", "all"), Tools.gpgEnv(gpgsmHome), null);
  }

  static SmimeAlgorithms algorithms(String keyTransport, String content) {
    return SmimeAlgorithms.of(KeyTransport.parse(keyTransport).orElseThrow(),
        ContentCipher.parse(content).orElseThrow());
  }

  /** The whole encrypted message, and its CMS structure as DER for the NSS and gpgsm tools. */
  static final class Envelope {
    final Path message;
    final Path der;

    Envelope(Path message, Path der) {
      this.message = message;
      this.der = der;
    }
  }

  static Envelope encrypt(EncryptOptions options, String... to) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EncryptionResult r = encryptor.encrypt(new ByteArrayInputStream(GatewayEncryptorTest.MESSAGE), List.of(to),
        options, out);
    assertThat(r.status()).isEqualTo(Status.ENCRYPTED);
    Path message = Files.createTempFile(tmp, "smime", ".eml");
    Files.write(message, Tools.applyEdits(GatewayEncryptorTest.MESSAGE, r.headerEdits(), out.toByteArray()));
    Path der = Files.createTempFile(tmp, "smime", ".p7m");
    Files.write(der, Base64.getMimeDecoder().decode(out.toByteArray()));
    return new Envelope(message, der);
  }

  static Envelope encryptFor(String to, SmimeAlgorithms a) throws IOException {
    return encrypt(EncryptOptions.of(Format.SMIME, null).withSmimeFor(to, a), to);
  }

  static Tools.Result systemNss(Path der) {
    return Tools.run(List.of("cmsutil", "-D", "-d", "sql:" + nssDb, "-i", der.toString()), Map.of(), null);
  }

  static Tools.Result thunderbirdNss(Path der) {
    assertThat(THUNDERBIRD_LIBS.resolve("libsmime3.so")).as("Debian's thunderbird package").exists();
    return Tools.run(List.of("cmsutil", "-D", "-d", "sql:" + nssDb, "-i", der.toString()),
        Map.of("LD_LIBRARY_PATH", THUNDERBIRD_LIBS.toString()), null);
  }

  static Tools.Result gpgsm(Path der) {
    return Tools.run(List.of("gpgsm", "--batch", "--disable-dirmngr", "--pinentry-mode", "loopback",
        "--passphrase-fd", "0", "--decrypt", der.toString()), Tools.gpgEnv(gpgsmHome),
        (Tools.P12_PASSWORD + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  static void assertOpens(Tools.Result r) {
    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.text()).isEqualTo(GatewayEncryptorTest.INNER);
  }

  @ParameterizedTest(name = "openssl opens {0} + {1} to {2}")
  @CsvSource({
      "rsa-oaep, aes-cbc, alice, rsaesOaep, aes-256-cbc",
      "rsa-oaep, aes-gcm, alice, rsaesOaep, aes-256-gcm",
      "rsa-pkcs1v15, aes-cbc, alice, rsaEncryption, aes-256-cbc",
      "rsa-pkcs1v15, aes-gcm, alice, rsaEncryption, aes-256-gcm",
      "rsa-oaep, aes-cbc, alice-ec, dhSinglePass-stdDH-sha256kdf-scheme, aes-256-cbc",
      "rsa-oaep, aes-gcm, alice-ec, dhSinglePass-stdDH-sha256kdf-scheme, aes-256-gcm"})
  void opensslShouldOpenEveryCombination(String keyTransport, String content, String who, String keyAlgorithm,
      String cipher) throws IOException {
    boolean ec = who.equals("alice-ec");
    Envelope e = encryptFor(who + "@example.com", algorithms(keyTransport, content));
    Path[] key = ec ? aliceEc : alice;

    assertOpens(Tools.opensslDecrypt(e.message, key[0], key[1]));
    String structure = Tools.ok(List.of("openssl", "cms", "-cmsout", "-print", "-in", e.message.toString()),
        Map.of(), null).text();
    assertThat(structure).contains(keyAlgorithm).contains(cipher);
  }

  @Test
  void systemNssAndGpgsmShouldOpenPkcs1v15WithCbc() throws IOException {
    Envelope e = encryptFor("alice@example.com", algorithms("rsa-pkcs1v15", "aes-cbc"));

    assertOpens(systemNss(e.der));
    assertOpens(gpgsm(e.der));
  }

  @Test
  void systemNssAndGpgsmShouldNotOpenTheDefaultWhichIsWhyTheOptionExists() throws IOException {
    Envelope e = encryptFor("alice@example.com", SmimeAlgorithms.DEFAULT);

    Tools.Result nss = systemNss(e.der);
    assertThat(nss.exit).isNotZero();
    assertThat(nss.err).contains("SEC_ERROR_UNSUPPORTED_KEYALG");
    assertThat(gpgsm(e.der).exit).isNotZero();
  }

  @Test
  void thunderbirdsNssShouldOpenTheDefaultAndEcdh() throws IOException {
    assertOpens(thunderbirdNss(encryptFor("alice@example.com", SmimeAlgorithms.DEFAULT).der));
    assertOpens(thunderbirdNss(encryptFor("alice-ec@example.com", SmimeAlgorithms.DEFAULT).der));
    assertOpens(thunderbirdNss(encryptFor("alice@example.com", algorithms("rsa-pkcs1v15", "aes-cbc")).der));
  }

  @Test
  void noNssShouldOpenGcmWhichIsWhyItIsNotTheDefault() throws IOException {
    Envelope e = encryptFor("alice@example.com", algorithms("rsa-oaep", "aes-gcm"));

    Tools.Result tb = thunderbirdNss(e.der);
    assertThat(tb.exit).isNotZero();
    assertThat(tb.err).contains("SEC_ERROR_UNRECOGNIZED_OID");
  }

  @Test
  void aMessageToAnOaepAndAPkcs1v15RecipientShouldOpenForEachInHisOwnClient() throws IOException {
    EncryptOptions options = EncryptOptions.of(Format.SMIME, null)
        .withSmimeFor("alice@example.com", algorithms("rsa-pkcs1v15", "aes-cbc"))
        .withSmimeFor("bob@example.com", SmimeAlgorithms.DEFAULT);
    Envelope e = encrypt(options, "bob@example.com", "alice@example.com");

    assertOpens(systemNss(e.der));
    assertOpens(gpgsm(e.der));
    assertOpens(Tools.opensslDecrypt(e.message, bob[0], bob[1]));
    String structure = Tools.ok(List.of("openssl", "cms", "-cmsout", "-print", "-in", e.message.toString()),
        Map.of(), null).text();
    assertThat(structure).contains("rsaesOaep").contains("rsaEncryption").contains("aes-256-cbc");
  }

  @Test
  void oneRecipientWithoutGcmShouldMakeTheWholeMessageCbc() throws IOException {
    EncryptOptions options = EncryptOptions.of(Format.SMIME, null)
        .withSmime(algorithms("rsa-oaep", "aes-gcm"))
        .withSmimeFor("alice@example.com", algorithms("rsa-oaep", "aes-cbc"));
    Envelope e = encrypt(options, "bob@example.com", "alice@example.com");

    assertOpens(thunderbirdNss(e.der));
    assertThat(Files.readString(e.message)).contains("smime-type=enveloped-data");
  }
}
