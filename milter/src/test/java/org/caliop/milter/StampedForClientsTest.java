package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.MilterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The milter's half of the clients' end-to-end proof (docs/clients.md): the C sample, sent through a real Postfix
 * and the caliop milter with the proof policy (the client counts as outside: inbound mail), is delivered with our
 * fields and kept as {@code clients/target/stamped/milter-grade-C.eml}. The clients' test shows it in the viewer
 * page, the Thunderbird popup and Roundcube beside the one James delivered, and requires the same grade, reasons
 * and hops.
 */
class StampedForClientsTest {
  static final Path SAMPLE = Path.of("../examples/messages/grade-C-pgp-encrypted-from-outside.eml");
  static final Path POLICY = Path.of("../clients/test/proof-policy.yaml");
  static final Path STAMPED = Path.of("../clients/target/stamped");

  @TempDir
  static Path dir;

  @Test
  void theCSampleThroughPostfixShouldBeKeptForTheClients() throws Exception {
    assumeTrue(PrivatePostfix.available(), "needs root, /usr/sbin/postfix and openssl (.ci/run installs them)");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<Knob, String> settings = new EnumMap<>(Knob.class);
    settings.put(Knob.LISTEN, "inet:127.0.0.1:0");
    settings.put(Knob.POLICY_FILE, POLICY.toAbsolutePath().normalize().toString());
    MilterConfig config = MilterConfig.of(settings);
    try (CaliopMilter milter = CaliopMilter.start(config, Policies.open(config))) {
      int port = ((InetSocketAddress) milter.addresses().get(0)).getPort();
      try (PrivatePostfix postfix = PrivatePostfix.start(Files.createDirectories(dir.resolve("postfix")),
          Map.of("tcp", "inet:127.0.0.1:" + port))) {
        String message = Files.readString(SAMPLE, StandardCharsets.US_ASCII);
        SmtpClient.Result r = SmtpClient.send(postfix.smtpPort("tcp"), null, "bob@example.net",
            List.of("bob@example.org"), message);
        assertThat(r.code()).as(r.reply()).isEqualTo(250);
        List<Path> delivered = postfix.awaitDelivered("Caliop-Path: ", Duration.ofSeconds(20));
        assertThat(delivered).as(postfix.maillog()).hasSize(1);
        String text = Files.readString(delivered.get(0), StandardCharsets.ISO_8859_1);
        assertThat(text).contains("Caliop-Privacy: score=40, grade=C, ").contains(", by=\"mx.caliop.test\"");
        Files.createDirectories(STAMPED);
        Files.writeString(STAMPED.resolve("milter-grade-C.eml"), text, StandardCharsets.ISO_8859_1);
      }
    }
  }
}
