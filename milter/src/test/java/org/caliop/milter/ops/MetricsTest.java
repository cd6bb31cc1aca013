package org.caliop.milter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.caliop.crypto.EncryptionSettings;
import org.caliop.crypto.Tools;
import org.caliop.engine.BuildInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    Metrics m = new Metrics(clock(now));
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

  /** A clock that reads {@code now}. */
  static Clock clock(AtomicReference<Instant> now) {
    return new Clock() {
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
  }

  /**
   * The key gauges count what {@code caliop keys check} reports, without an address anywhere: a broken file and keys
   * that are not used, keys expiring within its warning horizon, the soonest expiry; judged at scrape time, so a key
   * that expires between readings moves from expiring to unusable. A new reading replaces the counts.
   */
  @Test
  void keyGaugesShouldCountUnusableAndExpiringKeysWithoutAddresses(@TempDir Path tmp) throws Exception {
    Path keys = Files.createDirectories(tmp.resolve("keys"));
    Files.copy(Tools.PGP_FIXTURES.resolve("alice-public.asc"), keys.resolve("alice-public.asc")); // never expires
    Files.copy(Tools.p12("Alice", Files.createDirectories(tmp.resolve("certs")))[0], keys.resolve("alice.pem"));
    Files.writeString(keys.resolve("broken.asc"), "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot base64 !!\n");
    Instant notAfter = Instant.parse("2031-01-26T14:38:35Z"); // the fixture certificate's
    AtomicReference<Instant> now = new AtomicReference<>(notAfter.minus(Duration.ofDays(31)));
    Metrics m = new Metrics(clock(now));
    assertThat(scrape(m)).contains("caliop_keys_unusable 0.0\n", "caliop_keys_expiring 0.0\n")
        .doesNotContain("caliop_keys_next_expiry_timestamp_seconds ");

    KeyMetrics reader = new KeyMetrics(m, () -> EncryptionSettings.of(keys, null), clock(now));
    reader.readNow();
    String body = scrape(m);
    assertThat(body).contains("caliop_keys_unusable 1.0\n", "caliop_keys_expiring 0.0\n",
        "caliop_keys_next_expiry_timestamp_seconds " + (double) notAfter.getEpochSecond() + "\n",
        "# HELP caliop_keys_expiring Usable keys expiring within 30 days (the warning horizon of caliop keys check).")
        .doesNotContain("alice", "example");

    now.set(notAfter.minus(Duration.ofDays(29)));
    assertThat(scrape(m)).contains("caliop_keys_unusable 1.0\n", "caliop_keys_expiring 1.0\n");
    now.set(notAfter.plusSeconds(1));
    assertThat(scrape(m)).contains("caliop_keys_unusable 2.0\n", "caliop_keys_expiring 0.0\n")
        .doesNotContain("caliop_keys_next_expiry_timestamp_seconds ");

    Files.delete(keys.resolve("broken.asc"));
    Files.delete(keys.resolve("alice.pem"));
    reader.readNow();
    assertThat(scrape(m)).contains("caliop_keys_unusable 0.0\n", "caliop_keys_expiring 0.0\n");
    reader.close();
  }

  @Test
  void keysThatCannotBeReadShouldCountAsOneUnusableSource(@TempDir Path tmp) throws Exception {
    Metrics m = new Metrics();
    KeyMetrics reader = new KeyMetrics(m, () -> {
      throw new IllegalStateException("no policy");
    }, Clock.systemUTC());
    reader.readNow();
    assertThat(scrape(m)).contains("caliop_keys_unusable 1.0\n");
    reader.close();
  }
}
