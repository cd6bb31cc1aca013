package org.caliop.james.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.caliop.james.it.JamesServerFixture.Variant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * James's half of the clients' end-to-end proof (docs/clients.md): the C sample, sent to a real James 3.8.1 with
 * the proof policy (the client counts as outside: inbound mail), is delivered with our fields and kept as
 * {@code clients/target/stamped/james-grade-C.eml}, beside the one the milter delivered through Postfix
 * ({@code StampedForClientsTest} in milter/).
 */
class StampedForClientsIT {
  private static final Path SAMPLE = Path.of("../examples/messages/grade-C-pgp-encrypted-from-outside.eml");
  private static final Path STAMPED = Path.of("../clients/target/stamped");

  @TempDir
  static Path workDir;
  private static JamesServerFixture james;

  @BeforeAll
  static void startJames() throws Exception {
    james = JamesServerFixture.start(workDir, Variant.CLIENTS_PROOF_POLICY_FILE, "bob");
  }

  @AfterAll
  static void stopJames() {
    if (james != null) {
      james.close();
    }
  }

  @Test
  void theCSampleThroughJamesShouldBeKeptForTheClients() throws Exception {
    byte[] sample = Files.readString(SAMPLE, StandardCharsets.US_ASCII).replace("\r\n", "\n").replace("\n", "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    james.send(sample, "bob@example.net", false, "bob@" + JamesServerFixture.DOMAIN);
    String delivered = new String(james.awaitMessage("bob", "...", Duration.ofSeconds(30)), StandardCharsets.ISO_8859_1);
    assertThat(delivered).contains("Caliop-Privacy: score=40, grade=C, ").contains("Caliop-Path: ");
    Files.createDirectories(STAMPED);
    Files.writeString(STAMPED.resolve("james-grade-C.eml"), delivered, StandardCharsets.ISO_8859_1);
  }
}
