package org.caliop.james.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.caliop.james.it.JamesServerFixture.Variant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateway encryption inside a real James 3.8.1: the policy file's encrypt rule, the engine's OpenPGP encryptor on
 * the relocated Bouncy Castle of the plugin jar, and CaliopApplyPolicy replacing the body; a recipient without key
 * is held, never delivered in clear.
 */
class CaliopEncryptIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  static Path workDir;
  private static JamesServerFixture james;

  @BeforeAll
  static void startJames() throws Exception {
    james = JamesServerFixture.start(workDir, Variant.CALIOP_ENCRYPT_POLICY_FILE, "bob", "carol");
  }

  @AfterAll
  static void stopJames() {
    if (james != null) {
      james.close();
    }
  }

  private static byte[] message(String subject, String to) {
    return ("From: alice@example.org\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n"
        + "Message-ID: <" + subject.replace(' ', '-') + "@example.org>\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=us-ascii\r\n\r\nThe secret plan.\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void clearMailToARecipientWithKeyShouldBeDeliveredEncrypted() throws Exception {
    james.send(message("encrypt me", "bob@caliop.test"), "alice@example.org", false, "bob@caliop.test");

    String delivered = new String(james.awaitMessage("bob", "encrypt me", WAIT), StandardCharsets.ISO_8859_1);

    assertThat(delivered).containsIgnoringCase("multipart/encrypted").contains("-----BEGIN PGP MESSAGE-----")
        .doesNotContain("The secret plan.");
  }

  /**
   * Issue 11: multipart/encrypted with its protocol and "Version: 1" control part, around clear text, is clear
   * text. The encrypt rule must encrypt it rather than pass it as already protected; gpg reads it back with Bob's
   * secret key.
   */
  @Test
  void aMultipartEncryptedLabelAroundClearTextShouldBeDeliveredReallyEncrypted() throws Exception {
    byte[] label = ("From: alice@example.org\r\nTo: bob@caliop.test\r\nSubject: label only\r\n"
        + "Message-ID: <label-only@example.org>\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"lbl\"\r\n\r\n"
        + "--lbl\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n"
        + "--lbl\r\nContent-Type: application/octet-stream\r\n\r\nThe secret plan, in clear.\r\n--lbl--\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    james.send(label, "alice@example.org", false, "bob@caliop.test");

    String delivered = new String(james.awaitMessage("bob", "label only", WAIT), StandardCharsets.ISO_8859_1);

    assertThat(delivered).contains("-----BEGIN PGP MESSAGE-----").doesNotContain("The secret plan");
    String armour = delivered.substring(delivered.indexOf("-----BEGIN PGP MESSAGE-----"),
        delivered.indexOf("-----END PGP MESSAGE-----") + "-----END PGP MESSAGE-----".length());
    assertThat(gpgDecrypt(armour, "label.asc")).contains("The secret plan, in clear.");
  }

  /**
   * Issue 12: the encrypting mailet runs after James's RecipientRewriteTable (examples/james/mailetcontainer.xml), so
   * it judges the recipient an alias expands to. The alias is in a domain no rule speaks of; the address it maps to
   * is in caliop.test, whose rule encrypts: the mail arrives encrypted, and gpg reads it back.
   */
  @Test
  void mailToAnAliasOfARecipientWhoseRuleEncryptsShouldBeDeliveredEncrypted() throws Exception {
    james.addAlias("team@alias.test", "bob@caliop.test");

    james.send(message("alias of bob", "team@alias.test"), "alice@example.org", false, "team@alias.test");

    String delivered = new String(james.awaitMessage("bob", "alias of bob", WAIT), StandardCharsets.ISO_8859_1);
    assertThat(delivered).contains("-----BEGIN PGP MESSAGE-----").doesNotContain("The secret plan.");
    String armour = delivered.substring(delivered.indexOf("-----BEGIN PGP MESSAGE-----"),
        delivered.indexOf("-----END PGP MESSAGE-----") + "-----END PGP MESSAGE-----".length());
    assertThat(gpgDecrypt(armour, "alias.asc")).contains("The secret plan.");
  }

  /** Decrypts with Bob's fixture secret key in a private GnuPG home. */
  private static String gpgDecrypt(String armour, String name) throws Exception {
    Path home = Files.createDirectories(workDir.resolve("gnupg"));
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    Path in = workDir.resolve(name);
    Files.writeString(in, armour, StandardCharsets.US_ASCII);
    try {
      run(List.of("gpg", "--homedir", home.toString(), "--batch", "--import",
          Path.of("../../shared/fixtures/pgp/bob-secret.asc").toAbsolutePath().toString()));
      return run(List.of("gpg", "--homedir", home.toString(), "--batch", "--quiet", "--decrypt", in.toString()));
    } finally {
      run(List.of("gpgconf", "--homedir", home.toString(), "--kill", "gpg-agent"));
    }
  }

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(command + ": " + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void clearMailToARecipientWithoutKeyShouldBeHeld() throws Exception {
    long before = james.heldCount();

    james.send(message("no key", "carol@caliop.test"), "alice@example.org", false, "carol@caliop.test");

    long deadline = System.nanoTime() + WAIT.toNanos();
    while (james.heldCount() < before + 1 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(james.heldCount()).isEqualTo(before + 1);
    assertThat(james.fetch("carol", "no key")).isNull();
  }
}
