package org.caliop.james.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
    james = JamesServerFixture.start(workDir, Variant.CALIOP_ENCRYPT_POLICY_FILE, "bob", "carol", "charlie");
    james.addUserAt("dave@plain.test");
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
    assertThat(gpgDecrypt(armour(delivered), "label.asc")).contains("The secret plan, in clear.");
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
    assertThat(gpgDecrypt(armour(delivered), "alias.asc")).contains("The secret plan.");
  }

  /**
   * An alias to two addresses whose rule encrypts one copy per recipient (split_per_recipient): each gets a copy
   * only his own key opens. The copies go through transport and RecipientRewriteTable again, and arrive once each.
   */
  @Test
  void mailToAnAliasOfTwoRecipientsShouldGiveEachACopyOnlyHisKeyOpens() throws Exception {
    james.addAlias("pair@alias.test", "bob@caliop.test");
    james.addAlias("pair@alias.test", "charlie@caliop.test");

    james.send(message("alias of two", "pair@alias.test"), "alice@example.org", false, "pair@alias.test");

    String toBob = new String(james.awaitMessage("bob", "alias of two", WAIT), StandardCharsets.ISO_8859_1);
    String toCharlie = new String(james.awaitMessage("charlie", "alias of two", WAIT), StandardCharsets.ISO_8859_1);
    assertThat(toBob).doesNotContain("The secret plan.");
    assertThat(toCharlie).doesNotContain("The secret plan.");
    assertThat(gpgDecrypt(armour(toBob), "pair-bob.asc", "bob")).contains("The secret plan.");
    assertThat(gpgDecrypt(armour(toCharlie), "pair-charlie.asc", "charlie")).contains("The secret plan.");
    assertThat(gpgFails(armour(toBob), "pair-bob-by-charlie.asc", "charlie")).isTrue();
  }

  /**
   * An alias to an address whose rule encrypts and one no rule speaks of (plain.test, no key): the message's
   * decision is encrypt, to every recipient, and dave has no key, so on_missing_key holds it; nobody gets it clear.
   */
  @Test
  void mailToAnAliasOfAnEncryptAndAPlainRecipientShouldBeHeldNotDeliveredClear() throws Exception {
    james.addAlias("mixed@alias.test", "bob@caliop.test");
    james.addAlias("mixed@alias.test", "dave@plain.test");

    james.send(message("alias mixed", "mixed@alias.test"), "alice@example.org", false, "mixed@alias.test");

    Map.Entry<List<String>, byte[]> held = james.awaitInRepository(JamesServerFixture.HOLD, "alias mixed", WAIT);
    assertThat(held).isNotNull();
    assertThat(held.getKey()).containsExactlyInAnyOrder("bob@caliop.test", "dave@plain.test");
    assertThat(james.fetch("bob", "alias mixed")).isNull();
    assertThat(james.fetch("dave@plain.test", "alias mixed")).isNull();
  }

  /** An alias to an address whose rule encrypts and who has no key: held (on_missing_key), never delivered. */
  @Test
  void mailToAnAliasOfARecipientWithoutKeyShouldBeHeld() throws Exception {
    james.addAlias("nokey@alias.test", "carol@caliop.test");

    james.send(message("alias no key", "nokey@alias.test"), "alice@example.org", false, "nokey@alias.test");

    Map.Entry<List<String>, byte[]> held = james.awaitInRepository(JamesServerFixture.HOLD, "alias no key", WAIT);
    assertThat(held).isNotNull();
    assertThat(held.getKey()).containsExactly("carol@caliop.test");
    assertThat(james.fetch("carol", "alias no key")).isNull();
  }

  /**
   * An alias to a local address and a remote one, both under rules that encrypt: James delivers bob's part and
   * re-sends the remote part as a mail of its own into root; both are judged for their real recipient and leave
   * encrypted (the relay processor stores what it would send out).
   */
  @Test
  void mailToAnAliasOfALocalAndARemoteRecipientShouldLeaveEncryptedBothWays() throws Exception {
    james.addAlias("far@alias.test", "bob@caliop.test");
    james.addAlias("far@alias.test", "ext@partner.test");

    james.send(message("alias far", "far@alias.test"), "alice@example.org", false, "far@alias.test");

    String toBob = new String(james.awaitMessage("bob", "alias far", WAIT), StandardCharsets.ISO_8859_1);
    assertThat(gpgDecrypt(armour(toBob), "far-bob.asc", "bob")).contains("The secret plan.");
    Map.Entry<List<String>, byte[]> relayed = james.awaitInRepository(JamesServerFixture.RELAYED, "alias far", WAIT);
    assertThat(relayed).isNotNull();
    assertThat(relayed.getKey()).containsExactly("ext@partner.test");
    String out = new String(relayed.getValue(), StandardCharsets.ISO_8859_1);
    assertThat(out).containsIgnoringCase("multipart/encrypted").doesNotContain("The secret plan.");
    assertThat(gpgDecrypt(armour(out), "far-ext.asc", "dom")).contains("The secret plan.");
  }

  private static String armour(String delivered) {
    return delivered.substring(delivered.indexOf("-----BEGIN PGP MESSAGE-----"),
        delivered.indexOf("-----END PGP MESSAGE-----") + "-----END PGP MESSAGE-----".length());
  }

  private static String gpgDecrypt(String armour, String name) throws Exception {
    return gpgDecrypt(armour, name, "bob");
  }

  /** Whether gpg fails to decrypt with only this fixture secret key. */
  private static boolean gpgFails(String armour, String name, String key) throws Exception {
    try {
      gpgDecrypt(armour, name, key);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }

  /** Decrypts with one fixture secret key ({@code ../shared/fixtures/pgp/KEY-secret.asc}) in its own GnuPG home. */
  private static String gpgDecrypt(String armour, String name, String key) throws Exception {
    Path home = Files.createDirectories(workDir.resolve("gnupg-" + key));
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    Path in = workDir.resolve(name);
    Files.writeString(in, armour, StandardCharsets.US_ASCII);
    try {
      run(List.of("gpg", "--homedir", home.toString(), "--batch", "--import",
          Path.of("../../shared/fixtures/pgp/" + key + "-secret.asc").toAbsolutePath().toString()));
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
