package org.caliop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Direction;
import org.caliop.facts.Envelope;
import org.caliop.policy.PolicyHolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mail submitted locally ({@code sendmail(1)}, judged on caliop's listener for Postfix's {@code non_smtpd_milters})
 * is ours for direction even where loopback is not an internal network, so an outbound rule meets it; a loopback
 * SMTP client under the same settings is not, and nothing a message carries makes it a local submission.
 */
class LocalSubmissionEngineTest {
  private static final String MESSAGE = "Received: by mx.ours.example (Postfix, from userid 0)\r\n"
      + "\tid 4LOCAL1; Mon, 1 Jan 2024 00:00:00 +0000\r\n"
      + "From: cron@example.org\r\nTo: bob@partner.example\r\nSubject: nightly\r\n\r\nfigures\r\n";

  @TempDir
  Path dir;
  private Engine engine;

  @BeforeEach
  void policy() throws Exception {
    Path file = Files.writeString(dir.resolve("policy.yaml"), String.join("\n",
        "trust:",
        "  local_domains: [example.org]",
        "  internal_networks: [10.0.0.0/8]",
        ""));
    engine = new Engine(PolicyHolder.load(file));
  }

  private Direction direction(ConnectionFacts c) throws IOException {
    return engine.assess(c, Envelope.of("cron@example.org", List.of("bob@partner.example")),
        new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.US_ASCII))).facts().direction();
  }

  private static ConnectionFacts.Builder loopback() {
    return ConnectionFacts.builder().clientAddress("127.0.0.1").clientName("localhost").helo("localhost")
        .receivedBy("mx.ours.example").queueId("4LOCAL1");
  }

  @Test
  void aLocalSubmissionShouldBeOursWhateverTheInternalNetworks() throws IOException {
    assertThat(direction(loopback().localSubmission(true).build())).isEqualTo(Direction.OUTBOUND);
  }

  @Test
  void aLoopbackSmtpClientOutsideTheInternalNetworksShouldNotBe() throws IOException {
    assertThat(direction(loopback().build())).isEqualTo(Direction.INBOUND);
    assertThat(direction(loopback().protocol("LOCAL").daemonName("localhost").build())).isEqualTo(Direction.INBOUND);
  }
}
