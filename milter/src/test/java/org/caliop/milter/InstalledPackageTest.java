package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.caliop.engine.BuildInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The milter of the installed Debian package, started by .ci/run as the user caliop with the systemd unit's command
 * line, behind a private Postfix: a message goes through and comes out stamped, and the metrics endpoint the
 * admin turned on in /etc/caliop/milter.cf answers with the build and the JVM. Runs only when .ci/run names the
 * socket ({@code -Dcaliop.installed.socket}); a normal build skips it.
 */
@EnabledIfSystemProperty(named = "caliop.installed.socket", matches = ".+")
class InstalledPackageTest {
  @TempDir
  Path dir;

  @Test
  void aMessageThroughPostfixShouldComeOutStampedByTheInstalledMilter() throws Exception {
    String socket = System.getProperty("caliop.installed.socket");
    try (PrivatePostfix postfix = PrivatePostfix.start(dir, Map.of("installed", "unix:" + socket))) {
      String marker = "m-" + UUID.randomUUID();
      SmtpClient.Result r = SmtpClient.send(postfix.smtpPort("installed"), "TLSv1.3", "sender@x.test",
          List.of("someone@y.test"), "From: <sender@x.test>\r\nTo: <someone@y.test>\r\nSubject: " + marker
              + "\r\nCaliop-Privacy: score=100, grade=A, v=2\r\n\r\nHello.\r\n");
      assertThat(r.code()).as(r.reply()).isEqualTo(250);

      List<Path> delivered = postfix.awaitDelivered(marker, Duration.ofSeconds(60));
      assertThat(delivered).as("delivered\n%s", postfix.maillog()).hasSize(1);
      String message = Files.readString(delivered.get(0), StandardCharsets.ISO_8859_1);
      assertThat(message).startsWith("Caliop-Privacy: ").contains("\nCaliop-Hop: ")
          .contains("tls=TLSv1.3").contains("v=" + BuildInfo.current().scoreFormulaVersion())
          // The forged field that came with the message is gone.
          .doesNotContain("score=100, grade=A");
    }
    String metrics = System.getProperty("caliop.installed.metrics", "");
    if (!metrics.isEmpty()) {
      HttpURLConnection c = (HttpURLConnection) new URL("http://" + metrics + "/metrics").openConnection();
      String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(body).contains("caliop_build_info{").contains("version=\"" + BuildInfo.current().version() + "\"")
          .contains("caliop_messages_total 1.0").contains("jvm_memory_used_bytes").contains("process_cpu_seconds_total");
    }
  }
}
