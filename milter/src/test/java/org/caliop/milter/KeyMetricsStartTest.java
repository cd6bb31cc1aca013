package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.caliop.crypto.Tools;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.MilterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon reads its key gauges at start: a certificate that has expired and a broken file are counted, and
 * neither stops it from starting (only a policy that cannot be used does).
 */
class KeyMetricsStartTest {
  @TempDir
  Path dir;

  @Test
  void theDaemonShouldStartAndCountItsKeysWhateverTheirState() throws Exception {
    Path keys = Files.createDirectories(dir.resolve("keys"));
    Files.copy(Tools.PGP_FIXTURES.resolve("bob-public.asc"), keys.resolve("bob-public.asc")); // never expires
    Files.copy(Tools.p12("Alice", Files.createDirectories(dir.resolve("certs")))[0], keys.resolve("alice.pem"));
    Files.writeString(keys.resolve("broken.asc"), "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot base64 !!\n");
    Path policy = Files.writeString(dir.resolve("policy.yaml"), "version: 1\nencryption:\n  keys_dir: keys\n");
    Map<Knob, String> settings = new EnumMap<>(Knob.class);
    settings.put(Knob.LISTEN, "inet:127.0.0.1:0");
    settings.put(Knob.POLICY_FILE, policy.toString());
    settings.put(Knob.METRICS_LISTEN, "127.0.0.1:0");
    MilterConfig config = MilterConfig.of(settings);
    try (CaliopMilter milter = CaliopMilter.start(config, Policies.open(config))) {
      HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:"
          + milter.metricsAddress().orElseThrow().getPort() + "/metrics").openConnection();
      String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      // the broken file, and Alice's certificate once it is past 2031-01-26; before that it is the next expiry
      assertThat(body).containsPattern("caliop_keys_unusable [12]\\.0\n").contains("caliop_keys_expiring ")
          .doesNotContain("alice", "bob");
      if (body.contains("caliop_keys_unusable 1.0\n")) {
        assertThat(body).contains("caliop_keys_next_expiry_timestamp_seconds 1.927204715E9\n");
      }
    }
  }
}
