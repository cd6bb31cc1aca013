package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jurisdiction of our hop through a real Postfix: a policy file with {@code trust.geoip_database} naming the test
 * database (policy/src/test/resources/geo), which maps the loopback test client 127.0.0.1 to NL (tests cannot use
 * public addresses). Loopback is not an internal network here, so the test client's mail is inbound.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostfixJurisdictionTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Path DB = Path.of("../policy/src/test/resources/geo/test-country.mmdb").toAbsolutePath();

  @TempDir
  static Path dir;

  private CaliopMilter milter;
  private PrivatePostfix postfix;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(PrivatePostfix.available(), "needs root, /usr/sbin/postfix and openssl (.ci/run installs them)");
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Path policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, String.join("\n",
        "trust:",
        "  internal_networks: [10.0.0.0/8]",
        "  local_domains: [example.net]",
        "  geoip_database: " + DB,
        "domains:",
        "  denied.example.net:",
        "    applies_to: recipient",
        "    inbound:",
        "      deny_jurisdictions: [NL]",
        "      action: reject",
        "      reply_text: \"no mail through NL here: {reasons}\"",
        ""));
    milter = PolicyFileMilter.start(policyFile);
    postfix = PrivatePostfix.start(Files.createDirectories(dir.resolve("postfix")),
        Map.of("geo", PolicyFileMilter.address(milter)));
  }

  @AfterAll
  void stop() throws Exception {
    if (postfix != null) {
      postfix.close();
    }
    if (milter != null) {
      milter.close();
    }
  }

  @Test
  void caliopHopShouldCarryTheCountryOfTheLoopbackClient() throws Exception {
    String marker = "m-" + UUID.randomUUID();
    SmtpClient.Result r = SmtpClient.send(postfix.smtpPort("geo"), null, "sender@x.test",
        List.of("bob@example.net"), message(marker));
    assertThat(r.code()).as(r.reply()).isEqualTo(250);

    List<Path> files = postfix.awaitDelivered(marker, WAIT);
    assertThat(files).as("delivered %s\n%s", marker, postfix.maillog()).hasSize(1);
    String text = Files.readString(files.get(0), StandardCharsets.ISO_8859_1);
    assertThat(text).containsPattern("Caliop-Hop: .*ip=\"127\\.0\\.0\\.1\", cc=NL, ccdb=\"Caliop-Test-Country "
        + "\\d{4}-\\d{2}-\\d{2}\"");
  }

  @Test
  void denyJurisdictionsShouldRejectAtSmtpTimeNamingTheHop() throws Exception {
    SmtpClient.Result r = SmtpClient.send(postfix.smtpPort("geo"), null, "sender@x.test",
        List.of("carol@denied.example.net"), message("m-" + UUID.randomUUID()));

    assertThat(r.code()).as(r.reply()).isEqualTo(550);
    assertThat(r.reply()).contains("5.7.1").contains("no mail through NL here")
        .contains("firsthand hop 1").contains("registered in NL per Caliop-Test-Country");
  }

  private static String message(String marker) {
    return "From: <sender@x.test>\r\nTo: <bob@example.net>\r\nSubject: " + marker + "\r\nMessage-ID: <" + marker
        + "@x.test>\r\n\r\nHello, " + marker + ".\r\n";
  }
}
