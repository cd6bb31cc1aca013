package org.caliop.james.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
