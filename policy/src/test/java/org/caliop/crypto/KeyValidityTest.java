package org.caliop.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.caliop.crypto.EncryptOptions.Format;
import org.caliop.crypto.EncryptOptions;
import org.caliop.crypto.EncryptionResult.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which keys may be used: corrupt files, expiry, revocation, missing encryption subkeys, all made by real tools. */
class KeyValidityTest {
  @TempDir
  static Path tmp;
  static Path keys;
  static Path gpgHome;
  static Instant generated;

  @BeforeAll
  static void makeKeys() throws IOException {
    keys = Files.createDirectories(tmp.resolve("keys"));
    gpgHome = Tools.gpgHome(tmp);
    Map<String, String> env = Tools.gpgEnv(gpgHome);
    generated = Instant.now();
    gpg(env, "--quick-gen-key", "Nosub <nosub@example.org>", "ed25519", "sign", "never");
    gpg(env, "--quick-gen-key", "Revoked <revoked@example.org>", "future-default", "default", "never");
    gpg(env, "--quick-gen-key", "Shortlived <shortlived@example.org>", "future-default", "default", "1d");
    gpg(env, "--quick-gen-key", "Subrevoked <subrevoked@example.org>", "future-default", "default", "never");
    revokeKey(env, "revoked@example.org");
    revokeEncryptionSubkey(env, "subrevoked@example.org");
    // Make sure gpg itself sees what we mean to test.
    assertThat(gpg(env, "--with-colons", "--list-keys", "revoked@example.org").text()).contains("pub:r:");
    assertThat(gpg(env, "--with-colons", "--list-keys", "subrevoked@example.org").text()).contains("pub:u:")
        .contains("sub:r:");
    assertThat(gpg(env, "--with-colons", "--list-keys", "nosub@example.org").text()).doesNotContain("sub:");
    for (String who : List.of("nosub", "revoked", "shortlived", "subrevoked")) {
      Files.write(keys.resolve(who + ".asc"), gpg(env, "--armor", "--export", who + "@example.org").out);
    }
    // A whole keyring export in binary form, as `gpg --export > pubring.gpg` makes it.
    Path ring = Tools.gpgHome(tmp.resolve("ring"));
    for (String who : List.of("alice", "bob")) {
      Tools.ok(List.of("gpg", "--batch", "--import", Tools.PGP_FIXTURES.resolve(who + "-public.asc").toString()),
          Tools.gpgEnv(ring), null);
    }
    Files.write(keys.resolve("pubring.gpg"), Tools.ok(List.of("gpg", "--batch", "--export"), Tools.gpgEnv(ring),
        null).out);
    Tools.stopAgent(ring);
    Path[] alice = Tools.p12("Alice", Files.createDirectories(tmp.resolve("certs")));
    Files.copy(alice[0], keys.resolve("alice.pem"));
    Files.writeString(keys.resolve("broken.asc"), "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot base64 at all!\n"
        + "-----END PGP PUBLIC KEY BLOCK-----\n");
    byte[] der = Tools.ok(List.of("openssl", "x509", "-in", alice[0].toString(), "-outform", "DER"), Map.of(),
        null).out;
    Files.write(keys.resolve("truncated@example.org.der"), java.util.Arrays.copyOf(der, der.length / 2));
    Files.writeString(keys.resolve("notes.txt"), "nothing to see\n");
    Files.copy(Tools.PGP_FIXTURES.resolve("alice-secret.asc"), keys.resolve("secret.asc"));
  }

  @AfterAll
  static void stopAgent() {
    Tools.stopAgent(gpgHome);
  }

  private static Tools.Result gpg(Map<String, String> env, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("gpg", "--batch", "--pinentry-mode", "loopback",
        "--passphrase", ""));
    command.addAll(List.of(args));
    return Tools.ok(command, env, null);
  }

  /** Imports the revocation certificate gpg stored when it made the key. */
  private static void revokeKey(Map<String, String> env, String uid) throws IOException {
    String fpr = fingerprint(env, uid);
    Path rev = gpgHome.resolve("openpgp-revocs.d").resolve(fpr + ".rev");
    String text = Files.readString(rev).replace(":-----BEGIN PGP PUBLIC KEY BLOCK-----",
        "-----BEGIN PGP PUBLIC KEY BLOCK-----");
    Tools.ok(List.of("gpg", "--batch", "--import"), env, text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  private static void revokeEncryptionSubkey(Map<String, String> env, String uid) {
    String input = "key 1\nrevkey\ny\n0\n\ny\nsave\n";
    Tools.ok(List.of("gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--command-fd", "0",
        "--yes", "--edit-key", uid), env, input.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  private static String fingerprint(Map<String, String> env, String uid) {
    String colons = Tools.ok(List.of("gpg", "--batch", "--with-colons", "--fingerprint", uid), env, null).text();
    return Stream.of(colons.split("\n")).filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow()
        .split(":")[9];
  }

  static EncryptionResult encrypt(Clock clock, String to, Format format) throws IOException {
    GatewayEncryptor encryptor = GatewayEncryptors.fromDirectory(keys, clock);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EncryptionResult r = encryptor.encrypt(new ByteArrayInputStream(GatewayEncryptorTest.MESSAGE), List.of(to),
        EncryptOptions.of(format, null), out);
    if (r.status() != Status.ENCRYPTED) {
      assertThat(out.size()).as("nothing written unless encrypted").isZero();
    }
    return r;
  }

  static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  @Test
  void corruptKeyFilesShouldBeSkippedWhileTheOtherKeysStayUsable() throws IOException {
    assertThat(encrypt(Clock.systemUTC(), "alice@example.org", Format.PGP).status()).isEqualTo(Status.ENCRYPTED);
    assertThat(encrypt(Clock.systemUTC(), "truncated@example.org", Format.PREFER_SMIME).recipientsWithoutKey())
        .containsExactly("truncated@example.org");
  }

  @Test
  void aGnupgKeyringExportShouldIndexEveryKeyByItsUserIds() throws IOException {
    RecipientKeys index = RecipientKeys.loadDirectory(keys, GatewayEncryptors.provider());
    assertThat(index.pgpAddresses()).contains("alice@example.org", "bob@example.net", "nosub@example.org")
        .doesNotContain("truncated@example.org");
    assertThat(index.smimeAddresses()).containsExactly("alice@example.com");
  }

  @Test
  void aKeyWithoutEncryptionSubkeyShouldCountAsMissing() throws IOException {
    EncryptionResult r = encrypt(Clock.systemUTC(), "nosub@example.org", Format.PGP);
    assertThat(r.status()).isEqualTo(Status.MISSING_KEYS);
    assertThat(r.recipientsWithoutKey()).containsExactly("nosub@example.org");
  }

  @Test
  void aRevokedKeyShouldCountAsMissing() throws IOException {
    assertThat(encrypt(Clock.systemUTC(), "revoked@example.org", Format.PGP).status())
        .isEqualTo(Status.MISSING_KEYS);
  }

  @Test
  void aRevokedEncryptionSubkeyShouldCountAsMissing() throws IOException {
    assertThat(encrypt(Clock.systemUTC(), "subrevoked@example.org", Format.PGP).status())
        .isEqualTo(Status.MISSING_KEYS);
  }

  @Test
  void aPgpKeyShouldBeUsedBeforeItExpiresAndNotAfter() throws IOException {
    assertThat(encrypt(at(generated.plus(Duration.ofHours(20))), "shortlived@example.org", Format.PGP).status())
        .isEqualTo(Status.ENCRYPTED);
    assertThat(encrypt(at(generated.plus(Duration.ofDays(2))), "shortlived@example.org", Format.PGP).status())
        .isEqualTo(Status.MISSING_KEYS);
  }

  @Test
  void aCertificateShouldBeUsedBeforeItExpiresAndNotAfter() throws IOException {
    // The fixture certificates are valid until 2031-01-26T14:38:35Z.
    assertThat(encrypt(at(Instant.parse("2031-01-26T14:38:00Z")), "alice@example.com", Format.SMIME).status())
        .isEqualTo(Status.ENCRYPTED);
    assertThat(encrypt(at(Instant.parse("2031-01-26T14:39:00Z")), "alice@example.com", Format.SMIME).status())
        .isEqualTo(Status.MISSING_KEYS);
  }

  @Test
  void anUnreadableKeyDirectoryShouldFailFast() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> GatewayEncryptors.fromDirectory(tmp.resolve("no-such-dir"), Clock.systemUTC()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void thePolicysEncryptionSettingsShouldNameTheKeyringAlone() throws IOException {
    GatewayEncryptor encryptor = GatewayEncryptors.fromSettings(
        org.caliop.crypto.EncryptionSettings.of(null, keys.resolve("pubring.gpg")), Clock.systemUTC());
    EncryptionResult r = encryptor.encrypt(new ByteArrayInputStream(GatewayEncryptorTest.MESSAGE),
        List.of("alice@example.org"), EncryptOptions.of(Format.PGP, null),
        new ByteArrayOutputStream());
    assertThat(r.status()).isEqualTo(Status.ENCRYPTED);
  }

  @Test
  void aKeyringOrDirectoryThatDoesNotExistYetShouldLeaveItsRecipientsWithoutKeys() throws IOException {
    GatewayEncryptor encryptor = GatewayEncryptors.fromSettings(
        org.caliop.crypto.EncryptionSettings.of(tmp.resolve("later"), tmp.resolve("nope.gpg")), Clock.systemUTC());
    EncryptionResult r = encryptor.encrypt(new ByteArrayInputStream(GatewayEncryptorTest.MESSAGE),
        List.of("alice@example.org"), EncryptOptions.of(Format.PREFER_PGP, null),
        new ByteArrayOutputStream());
    assertThat(r.status()).isEqualTo(Status.MISSING_KEYS);
  }

  @Test
  void explicitKeyringFilesShouldWorkWithoutADirectory() throws IOException {
    GatewayEncryptor encryptor = GatewayEncryptors.fromFiles(List.of(keys.resolve("pubring.gpg")), Clock.systemUTC());
    EncryptionResult r = encryptor.encrypt(new ByteArrayInputStream(GatewayEncryptorTest.MESSAGE),
        List.of("bob@example.net"), EncryptOptions.of(Format.PGP, null),
        new ByteArrayOutputStream());
    assertThat(r.status()).isEqualTo(Status.ENCRYPTED);
  }
}
