package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.caliop.cli.PolicyCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code caliop policy export postfix-tls} proved with the real Postfix (docs/policy.md, "TLS on each side"): the
 * policy requires TLS 1.2 for delivery to one destination; the exported table, loaded as
 * {@code smtp_tls_policy_maps}, makes Postfix defer delivery to a server that offers no STARTTLS, and deliver over
 * TLS once it does. Before the table, the same delivery goes out in clear: the table is what made the difference.
 *
 * <p>The destination is {@code localhost}, which the private Postfix (DNS lookups off, native host lookup) resolves
 * to 127.0.0.1 without touching the system's files; {@code known_tcp_ports = smtp=PORT} sends it to the test's sink
 * on a free port while the next hop, and so the table's lookup key, stays the bare domain {@code localhost}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostfixTlsExportTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  static Path dir;

  private PrivatePostfix postfix;
  private SmtpSink sink;
  private Path policy;
  private Path table;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(PrivatePostfix.available(), "needs root, /usr/sbin/postfix and openssl (.ci/run installs them)");
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    postfix = PrivatePostfix.start(Files.createDirectories(dir.resolve("postfix")), Map.of("in", ""));
    sink = SmtpSink.start(postfix.certificate(), postfix.privateKey(), dir);
    postfix.postconf("default_transport = smtp", "relay_transport = smtp", "smtp_dns_support_level = disabled",
        "smtp_host_lookup = native", "known_tcp_ports = smtp=" + sink.port(), "smtp_tls_security_level = may",
        "smtp_tls_loglevel = 1");
    policy = dir.resolve("policy.yaml");
    Files.writeString(policy, String.join("\n",
        "domains:",
        "  localhost:",
        "    outbound:",
        "      min_tls_version: TLSv1.2",
        "      action: reject",
        ""));
    table = dir.resolve("caliop_tls_policy");
  }

  @AfterAll
  void stop() throws Exception {
    if (sink != null) {
      sink.close();
    }
    if (postfix != null) {
      postfix.close();
    }
  }

  private void send(String marker) throws Exception {
    String message = "From: <alice@example.org>\r\nTo: <bob@localhost>\r\nSubject: " + marker + "\r\nMessage-ID: <"
        + marker + "@example.org>\r\n\r\nHello, " + marker + ".\r\n";
    SmtpClient.Result r = SmtpClient.send(postfix.smtpPort("in"), null, "alice@example.org", List.of("bob@localhost"),
        message);
    assertThat(r.code()).as(r.reply()).isEqualTo(250);
  }

  private String export(String... extra) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] args = new String[5 + extra.length];
    args[0] = "export";
    args[1] = "postfix-tls";
    args[2] = policy.toString();
    args[3] = "--postfix-config";
    args[4] = postfix.configDirectory().toString();
    System.arraycopy(extra, 0, args, 5, extra.length);
    int exit = PolicyCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
  }

  @Test
  @Order(1)
  void withoutTheTableDeliveryGoesOutInClear() throws Exception {
    sink.offerStartTls(false);
    String marker = "clear-" + UUID.randomUUID();
    send(marker);
    List<SmtpSink.Received> got = sink.await(1, 30);
    assertThat(got).as(postfix.maillog()).hasSize(1);
    assertThat(got.get(0).text()).contains(marker);
    assertThat(got.get(0).tlsProtocol()).isNull();
  }

  @Test
  @Order(2)
  void theExportedTableShouldDeferDeliveryWithoutStartTlsAndDeliverOverTlsOnceOffered() throws Exception {
    String said = export("--output", table.toString());
    assertThat(Files.readString(table)).contains("# domain localhost outbound (policy.yaml:3)\n"
        + "localhost encrypt protocols=>=TLSv1.2\n");
    assertThat(said).contains("smtp_tls_policy_maps = (empty) does not name " + table);
    postfix.postconf("smtp_tls_policy_maps = texthash:" + table);
    assertThat(export("--output", table.toString())).doesNotContain("does not name");

    int before = sink.received().size();
    String marker = "tls-" + UUID.randomUUID();
    send(marker);
    postfix.awaitQueueSettled(WAIT);
    String log = awaitLog("TLS is required, but was not offered");
    assertThat(log).contains("to=<bob@localhost>").contains("status=deferred")
        .contains("TLS is required, but was not offered by host localhost");
    assertThat(sink.received()).hasSize(before);
    assertThat(postfix.queue()).contains("bob@localhost");

    sink.offerStartTls(true);
    postfix.flush();
    List<SmtpSink.Received> got = sink.await(before + 1, 60);
    assertThat(got).as(postfix.maillog()).hasSize(before + 1);
    SmtpSink.Received last = got.get(got.size() - 1);
    assertThat(last.text()).contains(marker);
    assertThat(last.tlsProtocol()).isIn("TLSv1.2", "TLSv1.3");
  }

  @Test
  @Order(3)
  void aRelayhostShouldBeWarnedAboutByTheRealPostconf() throws Exception {
    postfix.postconf("relayhost = [127.0.0.1]:" + sink.port());
    try {
      assertThat(export("--output", table.toString())).contains("caliop: warning: relayhost = [127.0.0.1]:"
          + sink.port() + ": every message goes to that relay");
    } finally {
      postfix.postconf("relayhost =");
    }
  }

  private String awaitLog(String text) throws Exception {
    long end = System.nanoTime() + WAIT.toNanos();
    String log = postfix.maillog();
    while (!log.contains(text) && System.nanoTime() < end) {
      Thread.sleep(100);
      log = postfix.maillog();
    }
    return log;
  }
}
