package org.caliop.milter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.caliop.engine.BuildInfo;
import org.junit.jupiter.api.Test;

class MetricsTest {
  static String scrape(Metrics metrics) throws Exception {
    try (MetricsServer server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        metrics)) {
      HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + server.address().getPort()
          + "/metrics").openConnection();
      assertThat(c.getResponseCode()).isEqualTo(200);
      assertThat(c.getContentType()).startsWith("text/plain");
      return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theEndpointShouldServeOurCountersTheHistogramBuildInfoAndTheJvm() throws Exception {
    Metrics m = new Metrics();
    m.message("accept", "B", 300_000);
    m.message("reject", "E", 2_000_000);
    m.error("timeout");
    m.sessionOpened();
    m.inFlight(1);

    String body = scrape(m);

    assertThat(body).contains("caliop_messages_total 2.0\n")
        .contains("caliop_actions_total{action=\"accept\"} 1.0\n")
        .contains("caliop_actions_total{action=\"reject\"} 1.0\n")
        .contains("caliop_grades_total{grade=\"E\"} 1.0\n")
        .contains("caliop_errors_total{kind=\"timeout\"} 1.0\n")
        .contains("caliop_sessions 1.0\n").contains("caliop_messages_in_flight 1.0\n")
        .contains("caliop_eval_seconds_bucket{le=\"5.0E-4\"} 1\n")
        .contains("caliop_eval_seconds_bucket{le=\"0.0025\"} 2\n")
        .contains("caliop_eval_seconds_bucket{le=\"+Inf\"} 2\n").contains("caliop_eval_seconds_count 2\n")
        .contains("caliop_build_info{java=\"" + Runtime.version() + "\",score_formula=\""
            + BuildInfo.current().scoreFormulaVersion() + "\",version=\"" + BuildInfo.current().version()
            + "\"} 1\n")
        .contains("jvm_memory_used_bytes{").contains("jvm_threads_current ").contains("process_cpu_seconds_total ")
        .contains("process_open_fds ");
  }

  @Test
  void reloadsShouldRecordTheirTimeAndWhetherTheyWorked() throws Exception {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.ofEpochSecond(1_000));
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
    Metrics m = new Metrics(clock);
    assertThat(scrape(m)).contains("caliop_policy_last_reload_successful 1.0\n")
        .contains("caliop_policy_last_reload_success_timestamp_seconds 1000.0\n")
        .contains("caliop_policy_last_reload_timestamp_seconds 1000.0\n");

    now.set(Instant.ofEpochSecond(2_000));
    m.reload(false);

    assertThat(scrape(m)).contains("caliop_policy_last_reload_successful 0.0\n")
        .contains("caliop_policy_last_reload_success_timestamp_seconds 1000.0\n")
        .contains("caliop_policy_last_reload_timestamp_seconds 2000.0\n")
        .contains("caliop_policy_reload_failures_total 1.0\n").contains("caliop_policy_reloads_total 0.0\n");

    now.set(Instant.ofEpochSecond(3_000));
    m.reload(true);

    assertThat(scrape(m)).contains("caliop_policy_last_reload_successful 1.0\n")
        .contains("caliop_policy_last_reload_success_timestamp_seconds 3000.0\n")
        .contains("caliop_policy_reloads_total 1.0\n");
  }

  @Test
  void keyReadingsShouldBeCountedApartFromPolicyReloads() throws Exception {
    Metrics m = new Metrics();
    m.keysReload(true);
    m.keysReload(true);
    m.keysReload(false);
    assertThat(scrape(m)).contains("caliop_keys_reloads_total 2.0\n")
        .contains("caliop_keys_reload_failures_total 1.0\n").contains("caliop_policy_reloads_total 0.0\n")
        .doesNotContain("caliop_keys_reloads_total{");
  }
}
