package org.caliop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.caliop.crypto.EncryptionSettings;
import org.caliop.crypto.KeyInventory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code caliop keys list|check|import} on the fixture keys, judged at fixed instants. */
class KeysCommandTest {
  static final Path PGP = Path.of("../../shared/fixtures/pgp");
  static final Path SMIME = Path.of("../../shared/fixtures/smime");
  /** Every fixture certificate expires at this instant. */
  static final Instant CERT_EXPIRY = Instant.parse("2031-01-26T14:38:35Z");
  static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");
  static final String ALICE_FPR = "2E6FA2CB23B532D728634B5864B08F61A9ED9443";

  @TempDir
  static Path shared;
  static Path aliceCert;
  static Path aliceKey;

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void certificates() throws Exception {
    aliceCert = shared.resolve("alice.crt");
    aliceKey = shared.resolve("alice.key");
    openssl("pkcs12", "-legacy", "-in", SMIME.resolve("Alice.p12").toString(), "-clcerts", "-nokeys", "-passin",
        "pass:nss", "-out", aliceCert.toString());
    openssl("pkcs12", "-legacy", "-in", SMIME.resolve("Alice.p12").toString(), "-nocerts", "-nodes", "-passin",
        "pass:nss", "-out", aliceKey.toString());
  }

  static void openssl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
  }

  private int run(Instant now, String... args) {
    return KeysCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Clock.fixed(now, ZoneOffset.UTC));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path keysWithAlice() throws IOException {
    Path keys = Files.createDirectories(dir.resolve("keys"));
    Files.copy(PGP.resolve("alice-public.asc"), keys.resolve("alice-public.asc"));
    Files.copy(aliceCert, keys.resolve("alice.pem"));
    return keys;
  }

  @Test
  void listShouldShowEveryKeyWithAddressFormatIdExpiryFileAndStatus() throws IOException {
    Path keys = keysWithAlice();
    Files.writeString(keys.resolve("broken.asc"), "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot base64 !!\n");

    assertThat(run(NOW, "list", "--keys-dir", keys.toString())).as(err()).isZero();
    List<String> lines = out().lines().collect(Collectors.toList());
    assertThat(lines.get(0)).startsWith("address").contains("format", "key", "expires", "file", "status");
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("alice@example.org").contains("pgp",
        "0x64B08F61A9ED9443", "never", "alice-public.asc").endsWith("usable"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("alice@example.com").contains("smime",
        "2031-01-26T14:38:35Z", "alice.pem").endsWith("usable"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("broken.asc").contains("error: "));
  }

  @Test
  void listJsonShouldWriteOneObjectALine() throws IOException {
    Path keys = keysWithAlice();

    assertThat(run(NOW, "list", "--json", "--keys-dir", keys.toString())).isZero();
    assertThat(out().lines()).contains("{\"address\": \"alice@example.org\", \"format\": \"pgp\", \"key_id\": "
        + "\"0x64B08F61A9ED9443\", \"fingerprint\": \"" + ALICE_FPR + "\", \"encryption_key_id\": "
        + "\"0xE6DABADE14DE79B0\", \"expires\": null, \"file\": \"" + keys.resolve("alice-public.asc")
        + "\", \"usable\": true, \"unusable_reason\": null, \"used\": true}");
  }

  @Test
  void listExpiringShouldKeepOnlyKeysThatExpireWithinTheWindowExpiredOnesIncluded() throws IOException {
    Path keys = keysWithAlice();

    assertThat(run(CERT_EXPIRY.minusSeconds(86400L * 29), "list", "--expiring", "30d", "--keys-dir",
        keys.toString())).isZero();
    assertThat(out()).contains("alice@example.com").doesNotContain("alice@example.org");
    out.reset();
    assertThat(run(CERT_EXPIRY.minusSeconds(86400L * 31), "list", "--expiring", "30d", "--keys-dir",
        keys.toString())).isZero();
    assertThat(out().lines()).hasSize(1);
    out.reset();
    assertThat(run(CERT_EXPIRY.plusSeconds(1), "list", "--expiring", "1d", "--keys-dir", keys.toString())).isZero();
    assertThat(out()).contains("alice@example.com").contains("unusable: expired");
  }

  @Test
  void checkShouldExitOneOnSecretKeyMaterialAndZeroOnWarningsOnly() throws IOException {
    Path keys = keysWithAlice();
    assertThat(run(CERT_EXPIRY.minusSeconds(86400L * 10), "check", "--keys-dir", keys.toString())).isZero();
    assertThat(out()).contains("alice.pem: warning: smime key serial=").contains("(within 30 days)")
        .contains("keys: 2 file(s), 2 key(s), 2 usable, 1 warning(s), 0 error(s)");
    out.reset();
    assertThat(run(CERT_EXPIRY.minusSeconds(86400L * 10), "check", "--expiring", "5d", "--keys-dir",
        keys.toString())).isZero();
    assertThat(out()).doesNotContain("warning:");

    Files.copy(PGP.resolve("bob-secret.asc"), keys.resolve("bob.asc"));
    assertThat(run(NOW, "check", "--keys-dir", keys.toString())).isEqualTo(1);
    assertThat(err()).contains(keys.resolve("bob.asc") + ": error: holds an OpenPGP secret key")
        .contains("1 error(s)");
  }

  @Test
  void checkShouldReadThePolicysKeyDirectory() throws IOException {
    Path keys = keysWithAlice();
    Path policy = dir.resolve("p.yaml");
    Files.writeString(policy, "encryption:\n  keys_dir: keys\nglobal:\n  require_encryption: any\n"
        + "  action: encrypt\n");
    assertThat(run(NOW, "check", "--policy", policy.toString())).as(err()).isZero();
    assertThat(out()).contains("keys: 2 file(s), 2 key(s), 2 usable");
    assertThat(keys).exists();
  }

  @Test
  void usageErrorsShouldExitTwo() throws IOException {
    assertThat(run(NOW, "list")).isEqualTo(2);
    assertThat(err()).contains("--policy FILE or --keys-dir DIR");
    err.reset();
    assertThat(run(NOW, "list", "--policy", "x.yaml", "--keys-dir", "k")).isEqualTo(2);
    assertThat(err()).contains("not both");
    err.reset();
    assertThat(run(NOW, "list", "--keys-dir", "k", "--expiring", "soon")).isEqualTo(2);
    assertThat(err()).contains("'soon' is not a time such as 30d");
    err.reset();
    assertThat(run(NOW)).isEqualTo(2);
    assertThat(run(NOW, "frobnicate")).isEqualTo(2);
    Path policy = dir.resolve("plain.yaml");
    Files.writeString(policy, "global:\n  min_grade: D\n");
    err.reset();
    assertThat(run(NOW, "list", "--policy", policy.toString())).isEqualTo(2);
    assertThat(err()).contains("has no encryption: section");
  }

  @Test
  void importShouldStoreOnlyThePublicPartOfASecretKeyForTheAddressesItCertifies() throws IOException {
    Path keys = dir.resolve("keys");

    assertThat(run(NOW, "import", "--keys-dir", keys.toString(), PGP.resolve("alice-secret.asc").toString()))
        .as(err()).isZero();
    Path stored = keys.resolve("pgp-" + ALICE_FPR + ".asc");
    assertThat(out()).contains("only its public part is stored")
        .contains("stored pgp key 0x64B08F61A9ED9443 for alice@example.org in " + stored);
    String text = Files.readString(stored, StandardCharsets.ISO_8859_1);
    assertThat(text).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----").doesNotContain("PRIVATE");
    assertThat(keys).isDirectoryContaining(p -> p.getFileName().toString().startsWith("pgp-"));
    try (var files = Files.list(keys)) {
      assertThat(files).hasSize(1); // no temporary file left behind
    }
    KeyInventory inv = KeyInventory.read(EncryptionSettings.of(keys, null), NOW);
    assertThat(inv.hasErrors()).isFalse();
    assertThat(inv.chosen(KeyInventory.Format.OPENPGP, "alice@example.org")).isPresent();

    out.reset();
    assertThat(run(NOW, "import", "--keys-dir", keys.toString(), PGP.resolve("alice-public.asc").toString()))
        .isZero();
    try (var files = Files.list(keys)) {
      assertThat(files).hasSize(1); // the same key again: the same file
    }
  }

  @Test
  void importShouldRefuseAKeyThatDoesNotCertifyTheAddressAskedFor() throws IOException {
    Path keys = dir.resolve("keys");

    assertThat(run(NOW, "import", "--for", "bob@example.org", "--keys-dir", keys.toString(),
        PGP.resolve("alice-public.asc").toString())).isEqualTo(1);
    assertThat(err()).contains("not imported: does not certify bob@example.org (it certifies alice@example.org)");
    assertThat(keys).doesNotExist();
  }

  @Test
  void importShouldStoreTheCertificateOfAPemBundleAndLeaveThePrivateKeyBehind() throws IOException {
    Path keys = dir.resolve("keys");
    Path bundle = dir.resolve("bundle.pem");
    Files.writeString(bundle, Files.readString(aliceKey) + Files.readString(aliceCert));

    assertThat(run(NOW, "import", "--keys-dir", keys.toString(), bundle.toString())).as(err()).isZero();
    assertThat(out()).contains("a private key in the file was left out")
        .contains("stored smime key serial=").contains("for alice@example.com, expires 2031-01-26T14:38:35Z");
    try (var files = Files.list(keys)) {
      Path stored = files.findFirst().orElseThrow();
      assertThat(stored.getFileName().toString()).startsWith("smime-").endsWith(".pem");
      assertThat(Files.readString(stored)).startsWith("-----BEGIN CERTIFICATE-----").doesNotContain("PRIVATE");
    }
  }

  @Test
  void importShouldRefuseAPkcs12BundleAnExpiredCertificateAndANonKey() throws IOException {
    Path keys = dir.resolve("keys");

    assertThat(run(NOW, "import", "--keys-dir", keys.toString(), SMIME.resolve("Alice.p12").toString()))
        .isEqualTo(1);
    assertThat(err()).contains("a PKCS#12 bundle holds a private key and needs its password");
    err.reset();
    assertThat(run(CERT_EXPIRY.plusSeconds(60), "import", "--keys-dir", keys.toString(), aliceCert.toString()))
        .isEqualTo(1);
    assertThat(err()).contains("not imported: expired");
    err.reset();
    Path notes = dir.resolve("notes.txt");
    Files.writeString(notes, "Bob's key arrives in March\n");
    assertThat(run(NOW, "import", "--keys-dir", keys.toString(), notes.toString())).isEqualTo(1);
    assertThat(err()).contains("no OpenPGP key or X.509 certificate in it");
    assertThat(keys).doesNotExist();
  }

  @Test
  void importDryRunShouldStoreNothing() throws IOException {
    Path keys = dir.resolve("keys");
    assertThat(run(NOW, "import", "--dry-run", "--keys-dir", keys.toString(),
        PGP.resolve("alice-public.asc").toString())).isZero();
    assertThat(out()).contains("would store pgp key 0x64B08F61A9ED9443 for alice@example.org");
    assertThat(keys).doesNotExist();
  }
}
