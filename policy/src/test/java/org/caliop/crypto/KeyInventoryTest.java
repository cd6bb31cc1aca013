package org.caliop.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.caliop.crypto.KeyProblem.Code;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key inventory the admin tools print: per file its keys or its problem, errors and warnings. */
class KeyInventoryTest {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @TempDir
  static Path tmp;
  static Path keys;
  static Path[] alice;

  @BeforeAll
  static void keys() throws IOException {
    keys = Files.createDirectories(tmp.resolve("keys"));
    Files.copy(Tools.PGP_FIXTURES.resolve("alice-public.asc"), keys.resolve("alice-public.asc"));
    alice = Tools.p12("Alice", Files.createDirectories(tmp.resolve("certs")));
    Files.copy(alice[0], keys.resolve("alice.pem"));
    // Expires 2031-01-26T14:38:35Z, like every fixture certificate.
    Files.writeString(keys.resolve("README"), "certificates and public keys of our partners\n");
    Files.writeString(keys.resolve("notes.txt"), "Bob's new key arrives in March\n");
    Files.writeString(keys.resolve(".hidden"), "not even looked at\n");
  }

  /** A fresh directory with the good keys plus {@code extra}. */
  static Path with(String name, Map<String, byte[]> extra) throws IOException {
    Path d = Files.createDirectories(tmp.resolve(name));
    try (var files = Files.list(keys)) {
      for (Path f : files.collect(Collectors.toList())) {
        Files.copy(f, d.resolve(f.getFileName()));
      }
    }
    for (Map.Entry<String, byte[]> e : extra.entrySet()) {
      Files.write(d.resolve(e.getKey()), e.getValue());
    }
    return d;
  }

  static KeyInventory read(Path dir, Instant at) throws IOException {
    return KeyInventory.read(EncryptionSettings.of(dir, null), at);
  }

  static List<String> lines(KeyInventory inv, Duration window) {
    return inv.problems(window).stream().map(KeyProblem::toString).collect(Collectors.toList());
  }

  @Test
  void aCleanDirectoryShouldListEveryKeyWithItsAddressesAndHaveNoError() throws IOException {
    KeyInventory inv = read(keys, Instant.parse("2026-11-27T08:00:00Z"));

    assertThat(inv.hasErrors()).isFalse();
    assertThat(inv.files()).extracting(f -> f.file().getFileName().toString())
        .containsExactly("alice-public.asc", "alice.pem", "notes.txt");
    KeyInventory.KeyEntry pgp = inv.keys().stream().filter(k -> k.format() == KeyInventory.Format.OPENPGP)
        .findFirst().orElseThrow();
    assertThat(pgp.addresses()).containsExactly("alice@example.org");
    assertThat(pgp.keyId()).isEqualTo("0x64B08F61A9ED9443");
    assertThat(pgp.fingerprint()).isEqualTo("2E6FA2CB23B532D728634B5864B08F61A9ED9443");
    assertThat(pgp.encryptionKeyId()).contains("0xE6DABADE14DE79B0");
    assertThat(pgp.expires()).isEmpty();
    assertThat(pgp.usable()).isTrue();
    KeyInventory.KeyEntry cert = inv.keys().stream().filter(k -> k.format() == KeyInventory.Format.X509)
        .findFirst().orElseThrow();
    assertThat(cert.addresses()).containsExactly("alice@example.com");
    assertThat(cert.expires()).contains(Instant.parse("2031-01-26T14:38:35Z"));
    assertThat(inv.chosen(KeyInventory.Format.OPENPGP, "Alice@Example.org")).contains(pgp);
    assertThat(lines(inv, Duration.ofDays(30)))
        .containsExactly(keys.resolve("notes.txt") + ": warning: no public key or certificate found (ignored)");
  }

  @Test
  void expiryShouldWarnInsideTheWindowAndNotOutside() throws IOException {
    Instant notAfter = Instant.parse("2031-01-26T14:38:35Z");
    KeyInventory justInside = read(keys, notAfter.minus(Duration.ofDays(30)).plusSeconds(1));
    KeyInventory justOutside = read(keys, notAfter.minus(Duration.ofDays(30)));

    assertThat(lines(justInside, Duration.ofDays(30))).contains(keys.resolve("alice.pem")
        + ": warning: smime key serial=0x1E for alice@example.com expires 2031-01-26T14:38:35Z (within 30 days)");
    assertThat(justInside.problems(Duration.ofDays(30))).extracting(KeyProblem::code).doesNotContain(Code.UNUSABLE);
    assertThat(justOutside.problems(Duration.ofDays(30))).extracting(KeyProblem::code).doesNotContain(Code.EXPIRING);
    assertThat(justInside.hasErrors()).isFalse();
  }

  @Test
  void anExpiredCertificateShouldBeAWarningNotAnError() throws IOException {
    KeyInventory inv = read(keys, Instant.parse("2031-01-27T00:00:00Z"));

    assertThat(lines(inv, Duration.ofDays(30))).contains(keys.resolve("alice.pem")
        + ": warning: smime key serial=0x1E for alice@example.com is not used: expired");
    assertThat(inv.hasErrors()).isFalse();
  }

  @Test
  void secretKeyMaterialShouldBeAnErrorInEveryForm() throws IOException {
    byte[] pgpSecretBinary = TestKeys.binary(new TestKeys.Ring(TestKeys.ed25519(T0), "<s@example.org>")
        .encryptionSubkey(TestKeys.x25519(T0)).secretRing());
    byte[] p12 = Files.readAllBytes(Tools.SMIME_FIXTURES.resolve("Alice.p12"));
    byte[] pem = Files.readAllBytes(alice[1]);
    byte[] der = Tools.ok(List.of("openssl", "pkcs8", "-topk8", "-nocrypt", "-outform", "DER", "-in",
        alice[1].toString()), Map.of(), null).out;
    byte[] certAndKey = (Files.readString(alice[0]) + Files.readString(alice[1])).getBytes(StandardCharsets.US_ASCII);
    Path dir = with("secrets", Map.of(
        "armored.asc", Files.readAllBytes(Tools.PGP_FIXTURES.resolve("bob-secret.asc")),
        "binary.gpg", pgpSecretBinary, "bundle.p12", p12, "key.pem", pem, "key.der", der,
        "both@example.net.pem", certAndKey));
    KeyInventory inv = read(dir, Instant.parse("2026-11-27T08:00:00Z"));

    assertThat(inv.hasErrors()).isTrue();
    assertThat(inv.problems(Duration.ofDays(30))).filteredOn(KeyProblem::isError)
        .extracting(p -> p.file().orElseThrow().getFileName().toString() + " " + p.code())
        .containsExactlyInAnyOrder("armored.asc SECRET_KEY", "binary.gpg SECRET_KEY", "bundle.p12 SECRET_KEY",
            "key.pem SECRET_KEY", "key.der SECRET_KEY", "both@example.net.pem SECRET_KEY");
    assertThat(inv.keys()).extracting(k -> k.file().getFileName().toString())
        .containsOnly("alice-public.asc", "alice.pem");
  }

  @Test
  void brokenAndUnreadableFilesShouldBeErrorsAndTheOtherKeysStayListed() throws IOException {
    byte[] der = Tools.ok(List.of("openssl", "x509", "-in", alice[0].toString(), "-outform", "DER"), Map.of(),
        null).out;
    byte[] armored = Files.readAllBytes(Tools.PGP_FIXTURES.resolve("alice-public.asc"));
    Path dir = with("broken", Map.of(
        "truncated.der", java.util.Arrays.copyOf(der, der.length / 2),
        "empty@example.org.asc", new byte[0],
        "garbled.asc", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot base64!\n-----END PGP PUBLIC KEY BLOCK-----\n"
            .getBytes(StandardCharsets.US_ASCII),
        "cut.asc", java.util.Arrays.copyOf(armored, armored.length / 2),
        "pubring.kbx", keybox()));
    Path unreadable = dir.resolve("unreadable.asc");
    Files.write(unreadable, armored);
    Files.setPosixFilePermissions(unreadable, java.util.Set.of());
    KeyInventory inv = read(dir, Instant.parse("2026-11-27T08:00:00Z"));

    List<String> errors = inv.problems(Duration.ofDays(30)).stream().filter(KeyProblem::isError)
        .map(p -> p.file().orElseThrow().getFileName() + " " + p.code()).collect(Collectors.toList());
    assertThat(errors).contains("truncated.der BROKEN", "empty@example.org.asc BROKEN", "garbled.asc BROKEN",
        "cut.asc BROKEN", "pubring.kbx BROKEN");
    if (!Files.isReadable(unreadable)) { // root reads every file
      assertThat(errors).contains("unreadable.asc UNREADABLE");
    }
    assertThat(inv.problems(Duration.ofDays(30))).filteredOn(p -> p.file().orElseThrow().endsWith("pubring.kbx"))
        .singleElement().satisfies(p -> assertThat(p.message()).contains("gpg --export"));
    assertThat(inv.chosen(KeyInventory.Format.OPENPGP, "alice@example.org")).isPresent();
  }

  @Test
  void theObsoleteGcmListAndAMissingKeyringShouldBeWarnings() throws IOException {
    Path dir = with("obsolete", Map.of("smime-authenveloped.txt", "bob@example.com\n".getBytes(StandardCharsets.US_ASCII)));
    KeyInventory inv = KeyInventory.read(EncryptionSettings.of(dir, tmp.resolve("no-such.gpg")),
        Instant.parse("2026-11-27T08:00:00Z"));

    assertThat(inv.hasErrors()).isFalse();
    assertThat(inv.problems(Duration.ofDays(30))).extracting(KeyProblem::code)
        .contains(Code.OBSOLETE, Code.MISSING);
    assertThat(lines(inv, Duration.ofDays(30))).anyMatch(l -> l.contains("encrypt.smime_content"));
  }

  /** The first bytes of a GnuPG keybox: a header blob whose magic "KBXf" sits at offset 8. */
  static byte[] keybox() {
    byte[] b = new byte[32];
    b[3] = 32;
    b[4] = 1;
    b[5] = 1;
    System.arraycopy("KBXf".getBytes(StandardCharsets.US_ASCII), 0, b, 8, 4);
    return b;
  }
}
