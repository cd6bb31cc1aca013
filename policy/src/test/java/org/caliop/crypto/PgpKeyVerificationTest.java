package org.caliop.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.caliop.crypto.EncryptOptions.Format;
import org.caliop.crypto.EncryptionResult.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenPGP keys are used only as far as their own signatures prove them: spliced and forged subkeys, user IDs
 * certified by someone else, signing subkeys without back-signature, weak keys, several keys for one address. Keys
 * come from Bouncy Castle (for what GnuPG will not make) and from gpg itself; gpg's own import is the reference.
 */
class PgpKeyVerificationTest {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  static final Clock NOW = Clock.fixed(Instant.parse("2026-11-27T08:00:00Z"), ZoneOffset.UTC);

  @TempDir
  static Path tmp;
  static Path gpgHome;

  @BeforeAll
  static void gpg() {
    gpgHome = Tools.gpgHome(tmp);
  }

  @AfterAll
  static void stopAgent() {
    Tools.stopAgent(gpgHome);
  }

  /** A key directory holding {@code rings} as {@code name.asc} files. */
  static Path dir(String name, Map<String, byte[]> files) throws IOException {
    Path d = Files.createDirectories(tmp.resolve(name));
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      Files.write(d.resolve(f.getKey()), f.getValue());
    }
    return d;
  }

  static EncryptionResult encrypt(Path keys, String to, ByteArrayOutputStream out) throws IOException {
    return GatewayEncryptors.fromDirectory(keys, NOW).encrypt(new ByteArrayInputStream(GatewayEncryptorTest.MESSAGE),
        List.of(to), EncryptOptions.of(Format.PGP, null), out);
  }

  /** The key ids of the session-key packets, as gpg lists them. */
  static List<String> recipientKeyIds(byte[] body) {
    // Without the secret keys gpg cannot decrypt and exits non-zero, but still lists the packets.
    String packets = Tools.run(List.of("gpg", "--batch", "--list-packets"), Tools.gpgEnv(gpgHome),
        Tools.armoredPart(body)).text();
    return Stream.of(packets.split("\n")).filter(l -> l.startsWith(":pubkey enc packet:"))
        .map(l -> l.replaceAll(".*keyid ([0-9A-F]+).*", "$1")).collect(Collectors.toList());
  }

  /** The subkey ids gpg keeps after importing {@code armored} into a fresh home. */
  static List<String> subkeysGpgKeeps(String name, byte[] armored) {
    Path home = Tools.gpgHome(tmp.resolve("import-" + name));
    try {
      Tools.run(List.of("gpg", "--batch", "--import"), Tools.gpgEnv(home), armored);
      String colons = Tools.run(List.of("gpg", "--batch", "--with-colons", "--list-keys"), Tools.gpgEnv(home), null)
          .text();
      return Stream.of(colons.split("\n")).filter(l -> l.startsWith("sub:")).map(l -> l.split(":")[4])
          .collect(Collectors.toList());
    } finally {
      Tools.stopAgent(home);
    }
  }

  static String id(PGPKeyPair pair) {
    return String.format("%016X", pair.getKeyID());
  }

  @Test
  void encryptShouldIgnoreANewerSubkeySplicedFromAnotherKeyAsGnupgDoes() throws IOException {
    TestKeys.Ring victim = new TestKeys.Ring(TestKeys.ed25519(T0), "Victim <victim@example.org>");
    PGPKeyPair own = TestKeys.x25519(T0);
    victim.encryptionSubkey(own);
    PGPKeyPair stolen = TestKeys.x25519(T0.plus(Duration.ofDays(30)));
    PGPPublicKeyRing donor = new TestKeys.Ring(TestKeys.ed25519(T0), "Mallory <mallory@evil.example>")
        .encryptionSubkey(stolen).publicRing();
    byte[] spliced = TestKeys.armored(TestKeys.splice(victim.publicRing(), donor));
    Path keys = dir("spliced", Map.of("victim.asc", spliced));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(encrypt(keys, "victim@example.org", out).status()).isEqualTo(Status.ENCRYPTED);
    assertThat(recipientKeyIds(out.toByteArray())).containsExactly(id(own));
    assertThat(subkeysGpgKeeps("spliced", spliced)).containsExactly(id(own));
    KeyInventory inv = KeyInventory.of(KeySources.read(keys, List.of(), GatewayEncryptors.provider()), NOW.instant());
    assertThat(inv.problems(Duration.ofDays(30))).extracting(KeyProblem::code).contains(KeyProblem.Code.IGNORED_PART);
    assertThat(inv.hasErrors()).isFalse();
  }

  @Test
  void encryptShouldIgnoreABindingThatClaimsTheOwnersKeyIdButDoesNotVerify() throws IOException {
    TestKeys.Ring victim = new TestKeys.Ring(TestKeys.ed25519(T0), "Victim <victim@example.org>");
    PGPKeyPair own = TestKeys.x25519(T0);
    victim.encryptionSubkey(own);
    byte[] forged = TestKeys.armored(TestKeys.forgedBinding(victim.publicRing(), TestKeys.ed25519(T0),
        TestKeys.x25519(T0.plus(Duration.ofDays(30)))));
    Path keys = dir("forged-binding", Map.of("victim.asc", forged));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(encrypt(keys, "victim@example.org", out).status()).isEqualTo(Status.ENCRYPTED);
    assertThat(recipientKeyIds(out.toByteArray())).containsExactly(id(own));
    assertThat(subkeysGpgKeeps("forged", forged)).containsExactly(id(own));
  }

  @Test
  void aKeyWhoseOnlyEncryptionSubkeyIsSplicedShouldCountAsMissing() throws IOException {
    PGPPublicKeyRing signOnly = new TestKeys.Ring(TestKeys.ed25519(T0), "<signonly@example.org>").publicRing();
    PGPPublicKeyRing donor = new TestKeys.Ring(TestKeys.ed25519(T0), "<donor@evil.example>")
        .encryptionSubkey(TestKeys.x25519(T0)).publicRing();
    Path keys = dir("only-spliced", Map.of("k.asc", TestKeys.armored(TestKeys.splice(signOnly, donor))));

    EncryptionResult r = encrypt(keys, "signonly@example.org", new ByteArrayOutputStream());
    assertThat(r.status()).isEqualTo(Status.MISSING_KEYS);
    KeyInventory inv = KeyInventory.of(KeySources.read(keys, List.of(), GatewayEncryptors.provider()), NOW.instant());
    assertThat(inv.keys()).singleElement().satisfies(k ->
        assertThat(k.unusableReason()).contains("no-encryption-subkey"));
  }

  @Test
  void aUserIdCertifiedBySomeoneElseShouldNotIndexItsAddress() throws IOException {
    TestKeys.Ring victim = new TestKeys.Ring(TestKeys.ed25519(T0), "Victim <victim@example.org>")
        .encryptionSubkey(TestKeys.x25519(T0));
    PGPPublicKeyRing forged = TestKeys.forgedUserId(victim.publicRing(), TestKeys.ed25519(T0),
        "CEO <ceo@bank.example>");
    Path keys = dir("forged-uid", Map.of("victim.asc", TestKeys.armored(forged)));

    assertThat(encrypt(keys, "ceo@bank.example", new ByteArrayOutputStream()).status())
        .isEqualTo(Status.MISSING_KEYS);
    assertThat(encrypt(keys, "victim@example.org", new ByteArrayOutputStream()).status())
        .isEqualTo(Status.ENCRYPTED);
    RecipientKeys index = RecipientKeys.loadDirectory(keys, GatewayEncryptors.provider());
    assertThat(index.pgpAddresses()).containsExactly("victim@example.org");
  }

  @Test
  void aKeyWithoutAnyValidUserIdShouldBeRefused() throws IOException {
    TestKeys.Ring real = new TestKeys.Ring(TestKeys.ed25519(T0), "<real@example.org>")
        .encryptionSubkey(TestKeys.x25519(T0));
    PGPPublicKeyRing ring = real.publicRing();
    // Keep only a user ID whose certification someone else made: nothing self-signed is left.
    PGPPublicKey primary = PGPPublicKey.removeCertification(ring.getPublicKey(), "<real@example.org>");
    PGPPublicKeyRing stripped = PGPPublicKeyRing.insertPublicKey(ring, primary);
    PGPPublicKeyRing forged = TestKeys.forgedUserId(stripped, TestKeys.ed25519(T0), "<claimed@example.org>");
    Path keys = dir("no-uid", Map.of("claimed@example.org.asc", TestKeys.armored(forged)));

    EncryptionResult r = encrypt(keys, "claimed@example.org", new ByteArrayOutputStream());
    assertThat(r.status()).isEqualTo(Status.MISSING_KEYS);
    KeyInventory inv = KeyInventory.of(KeySources.read(keys, List.of(), GatewayEncryptors.provider()), NOW.instant());
    assertThat(inv.keys()).singleElement().satisfies(k ->
        assertThat(k.unusableReason()).contains("no-valid-user-id"));
  }

  @Test
  void aSigningSubkeyShouldNeedItsBackSignature() throws IOException {
    PGPKeyPair withBack = TestKeys.rsa(2048, T0);
    PGPKeyPair withoutBack = TestKeys.rsa(2048, T0);
    int signAndEncrypt = KeyFlags.SIGN_DATA | TestKeys.ENCRYPT;
    byte[] good = TestKeys.armored(new TestKeys.Ring(TestKeys.ed25519(T0), "<good@example.org>")
        .subkey(withBack, signAndEncrypt, true).publicRing());
    byte[] bad = TestKeys.armored(new TestKeys.Ring(TestKeys.ed25519(T0), "<bad@example.org>")
        .subkey(withoutBack, signAndEncrypt, false).publicRing());
    Path keys = dir("backsig", Map.of("good.asc", good, "bad.asc", bad));

    assertThat(encrypt(keys, "good@example.org", new ByteArrayOutputStream()).status()).isEqualTo(Status.ENCRYPTED);
    assertThat(encrypt(keys, "bad@example.org", new ByteArrayOutputStream()).status())
        .isEqualTo(Status.MISSING_KEYS);
    KeyInventory inv = KeyInventory.of(KeySources.read(keys, List.of(), GatewayEncryptors.provider()), NOW.instant());
    assertThat(inv.keys()).filteredOn(k -> k.addresses().contains("bad@example.org")).singleElement()
        .satisfies(k -> assertThat(k.unusableReason()).contains("encryption-subkey-without-back-signature"));
  }

  @Test
  void rsaShouldBeRefusedBelow2048BitsAndAcceptedAt2048() throws IOException {
    byte[] weakSub = TestKeys.armored(new TestKeys.Ring(TestKeys.ed25519(T0), "<weaksub@example.org>")
        .encryptionSubkey(TestKeys.rsa(2047, T0)).publicRing());
    byte[] weakPrimary = TestKeys.armored(new TestKeys.Ring(TestKeys.rsa(2047, T0), "<weakprimary@example.org>")
        .encryptionSubkey(TestKeys.rsa(2048, T0)).publicRing());
    byte[] fine = TestKeys.armored(new TestKeys.Ring(TestKeys.rsa(2048, T0), "<fine@example.org>")
        .encryptionSubkey(TestKeys.rsa(2048, T0)).publicRing());
    Path keys = dir("rsa-bits", Map.of("a.asc", weakSub, "b.asc", weakPrimary, "c.asc", fine));

    assertThat(reasons(keys)).containsEntry("weaksub@example.org", "encryption-subkey-weak-key-rsa-2047")
        .containsEntry("weakprimary@example.org", "weak-key-rsa-2047").containsEntry("fine@example.org", "usable");
    assertThat(encrypt(keys, "weaksub@example.org", new ByteArrayOutputStream()).status())
        .isEqualTo(Status.MISSING_KEYS);
    assertThat(encrypt(keys, "fine@example.org", new ByteArrayOutputStream()).status())
        .isEqualTo(Status.ENCRYPTED);
  }

  @Test
  void curvesOutsideTheListShouldBeRefused() throws IOException {
    TestKeys.Ring k1Ring = new TestKeys.Ring(TestKeys.ed25519(T0), "<k1@example.org>");
    byte[] k1 = TestKeys.armored(TestKeys.withEcdhSubkeyOn(k1Ring.publicRing(), k1Ring.primary(), "secp256k1", T0));
    byte[] p256 = TestKeys.armored(new TestKeys.Ring(TestKeys.ed25519(T0), "<p256@example.org>")
        .encryptionSubkey(TestKeys.ecdh("P-256", T0)).publicRing());
    Path keys = dir("curves", Map.of("k1.asc", k1, "p256.asc", p256));

    assertThat(reasons(keys)).containsEntry("k1@example.org", "encryption-subkey-weak-key-curve-secp256k1")
        .containsEntry("p256@example.org", "usable");
  }

  /** Weak keys as GnuPG makes them when asked: RSA-1024, DSA-1024 with ElGamal-1024; brainpool is fine. */
  @Test
  void weakKeysMadeByGpgShouldBeRefusedWithTheirReason() throws IOException {
    Path home = Tools.gpgHome(tmp.resolve("weak-gpg"));
    try {
      Map<String, String> env = Tools.gpgEnv(home);
      gpg(env, "--quick-gen-key", "<rsa1024@example.org>", "rsa1024", "default", "never");
      gpg(env, "--quick-gen-key", "<dsa@example.org>", "dsa1024", "sign", "never");
      gpg(env, "--quick-add-key", fingerprint(env, "dsa@example.org"), "elg1024", "encr", "never");
      gpg(env, "--quick-gen-key", "<k1@example.org>", "secp256k1", "sign", "never");
      gpg(env, "--quick-gen-key", "<brainpool@example.org>", "brainpoolP256r1", "sign", "never");
      gpg(env, "--quick-add-key", fingerprint(env, "brainpool@example.org"), "brainpoolP256r1", "encr", "never");
      Path keys = Files.createDirectories(tmp.resolve("weak-gpg-keys"));
      for (String who : List.of("rsa1024", "dsa", "k1", "brainpool")) {
        Files.write(keys.resolve(who + ".asc"), gpg(env, "--armor", "--export", who + "@example.org").out);
      }
      // gpg made them just now: judge them now.
      Map<String, String> reasons = reasons(keys, Instant.now());
      assertThat(reasons).containsEntry("rsa1024@example.org", "weak-key-rsa-1024")
          .containsEntry("dsa@example.org", "weak-key-dsa-1024")
          .containsEntry("k1@example.org", "weak-key-curve-secp256k1")
          .containsEntry("brainpool@example.org", "usable");
    } finally {
      Tools.stopAgent(home);
    }
  }

  @Test
  void severalValidKeysShouldGiveTheNewestKeyWhateverTheFileOrderAndAWarning() throws IOException {
    byte[] older = TestKeys.armored(new TestKeys.Ring(TestKeys.ed25519(T0), "<two@example.org>")
        .encryptionSubkey(TestKeys.x25519(T0)).publicRing());
    PGPKeyPair newerSub = TestKeys.x25519(T0.plus(Duration.ofDays(1)));
    byte[] newer = TestKeys.armored(new TestKeys.Ring(TestKeys.ed25519(T0.plus(Duration.ofDays(1))),
        "<two@example.org>").encryptionSubkey(newerSub).publicRing());
    for (Map<String, byte[]> files : List.of(Map.of("a.asc", older, "b.asc", newer),
        Map.of("a.asc", newer, "b.asc", older))) {
      Path keys = dir("two-" + files.get("a.asc").hashCode(), files);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(encrypt(keys, "two@example.org", out).status()).isEqualTo(Status.ENCRYPTED);
      assertThat(recipientKeyIds(out.toByteArray())).containsExactly(id(newerSub));
      List<KeyProblem> problems = KeyInventory.of(KeySources.read(keys, List.of(), GatewayEncryptors.provider()),
          NOW.instant()).problems(Duration.ofDays(30));
      assertThat(problems).filteredOn(p -> p.code() == KeyProblem.Code.SEVERAL_KEYS).singleElement()
          .satisfies(p -> assertThat(p.toString()).startsWith("<two@example.org>: warning: 2 usable pgp keys;"));
    }
  }

  @Test
  void keysCreatedTheSameSecondShouldBeChosenByFingerprint() throws IOException {
    PGPKeyPair subA = TestKeys.x25519(T0);
    PGPKeyPair subB = TestKeys.x25519(T0);
    TestKeys.Ring a = new TestKeys.Ring(TestKeys.ed25519(T0), "<same@example.org>").encryptionSubkey(subA);
    TestKeys.Ring b = new TestKeys.Ring(TestKeys.ed25519(T0), "<same@example.org>").encryptionSubkey(subB);
    String fprA = PgpKeyVerifier.verify(a.publicRing()).fingerprint();
    String fprB = PgpKeyVerifier.verify(b.publicRing()).fingerprint();
    PGPKeyPair expected = fprA.compareTo(fprB) < 0 ? subA : subB;
    for (Map<String, byte[]> files : List.of(
        Map.of("1.asc", TestKeys.armored(a.publicRing()), "2.asc", TestKeys.armored(b.publicRing())),
        Map.of("1.asc", TestKeys.armored(b.publicRing()), "2.asc", TestKeys.armored(a.publicRing())))) {
      Path keys = dir("same-" + new SecureRandom().nextInt(1 << 30), files);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      encrypt(keys, "same@example.org", out);
      assertThat(recipientKeyIds(out.toByteArray())).containsExactly(id(expected));
    }
  }

  @Test
  void aRevocationInAnotherCopyOfTheSameKeyShouldCount() throws IOException {
    Path home = Tools.gpgHome(tmp.resolve("copies"));
    try {
      Map<String, String> env = Tools.gpgEnv(home);
      gpg(env, "--quick-gen-key", "<copies@example.org>", "future-default", "default", "never");
      Path keys = Files.createDirectories(tmp.resolve("copies-keys"));
      Files.write(keys.resolve("copies@example.org.asc"), gpg(env, "--armor", "--export", "copies@example.org").out);
      String fpr = fingerprint(env, "copies@example.org");
      String rev = Files.readString(home.resolve("openpgp-revocs.d").resolve(fpr + ".rev"))
          .replace(":-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----BEGIN PGP PUBLIC KEY BLOCK-----");
      Tools.ok(List.of("gpg", "--batch", "--import"), env, rev.getBytes(StandardCharsets.US_ASCII));
      Files.write(keys.resolve("pubring.gpg"), gpg(env, "--export").out);

      assertThat(encrypt(keys, "copies@example.org", new ByteArrayOutputStream()).status())
          .isEqualTo(Status.MISSING_KEYS);
      assertThat(reasons(keys)).containsEntry("copies@example.org", "revoked");
    } finally {
      Tools.stopAgent(home);
    }
  }

  @Test
  void aKeyTheLibraryCannotEncryptToShouldBeAnEncryptionException() throws IOException {
    // A signing-only Ed25519 key handed to the enveloper (validation would never choose it): Bouncy Castle's
    // failure must come out as EncryptionException, never as a bare runtime exception.
    PGPPublicKey signing = TestKeys.ed25519(T0).getPublicKey();
    PgpMimeEnveloper pgp = new PgpMimeEnveloper(new SecureRandom(), NOW);
    HeaderSection headers = HeaderSection.read(new ByteArrayInputStream(GatewayEncryptorTest.MESSAGE), 1 << 20);
    InnerEntity.Body body = InnerEntity.Body.of(new ByteArrayInputStream(new byte[0]));
    List<PgpRecipientKey> keys = List.of(PgpRecipientKey.of(signing, 1L, tmp, 1),
        PgpRecipientKey.of(signing, 2L, tmp, 1));
    assertThatThrownBy(() -> pgp.write(headers, body, keys, "b", new ByteArrayOutputStream()))
        .isInstanceOf(EncryptionException.class).hasMessageStartingWith("OpenPGP encryption failed");
  }

  /** Address to the reason its key is unusable ({@code usable} when it is), from the inventory. */
  static Map<String, String> reasons(Path keys) throws IOException {
    return reasons(keys, NOW.instant());
  }

  static Map<String, String> reasons(Path keys, Instant at) throws IOException {
    KeyInventory inv = KeyInventory.of(KeySources.read(keys, List.of(), GatewayEncryptors.provider()), at);
    Map<String, String> out = new java.util.TreeMap<>();
    for (KeyInventory.KeyEntry k : inv.keys()) {
      for (String a : k.addresses()) {
        out.put(a, k.unusableReason().orElse("usable"));
      }
    }
    return out;
  }

  private static Tools.Result gpg(Map<String, String> env, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("gpg", "--batch", "--pinentry-mode", "loopback",
        "--passphrase", ""));
    command.addAll(List.of(args));
    return Tools.ok(command, env, null);
  }

  private static String fingerprint(Map<String, String> env, String uid) {
    String colons = Tools.ok(List.of("gpg", "--batch", "--with-colons", "--fingerprint", uid), env, null).text();
    return Stream.of(colons.split("\n")).filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow()
        .split(":")[9];
  }
}
