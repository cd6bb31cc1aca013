package org.caliop.milter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MilterConfigTest {
  @TempDir
  Path dir;

  @Test
  void defaultsShouldListenOnLoopbackAndTempfailOnError() {
    MilterConfig c = MilterConfig.defaults();

    assertThat(c.listen()).containsExactly(ListenAddress.inet("127.0.0.1", 8891));
    assertThat(c.onError()).isEqualTo(OnError.TEMPFAIL);
    assertThat(c.memoryBufferSize()).isEqualTo(256 * 1024);
    assertThat(c.maxInspectSize()).isEqualTo(50L << 20);
    assertThat(c.metricsListen()).isEmpty();
    assertThat(c.policyFile()).isEmpty();
    assertThat(c.fullOutboundHeaders()).isFalse();
  }

  @Test
  void readFileShouldAcceptPostfixSyntaxWithCommentsAndContinuationLines() throws Exception {
    Path f = dir.resolve("caliop.cf");
    Files.writeString(f, "# caliop\ncaliop_listen = inet:127.0.0.1:9000,\n    unix:/run/caliop/milter.sock\n"
        + "caliop_on_error = accept\n\ncaliop_eval_timeout = 500ms\ncaliop_max_inspect_size = 10m\n");

    MilterConfig c = MilterConfig.of(MilterConfig.readFile(f));

    assertThat(c.listen()).containsExactly(ListenAddress.inet("127.0.0.1", 9000),
        ListenAddress.unix(Path.of("/run/caliop/milter.sock")));
    assertThat(c.onError()).isEqualTo(OnError.ACCEPT);
    assertThat(c.evalTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.maxInspectSize()).isEqualTo(10L << 20);
  }

  @Test
  void readFileShouldNameTheLineOfAnUnknownSetting() throws Exception {
    Path f = dir.resolve("caliop.cf");
    Files.writeString(f, "caliop_listen = inet:127.0.0.1:9000\ncaliop_lisen = inet:127.0.0.1:9001\n");

    assertThatThrownBy(() -> MilterConfig.readFile(f)).isInstanceOf(ConfigException.class)
        .hasMessage(f + ":2: unknown setting 'caliop_lisen' (did you mean 'caliop_listen'?)");
  }

  @Test
  void anUnknownSettingShouldSayWhatWasLikelyMeant() {
    assertThat(Knob.unknown("caliop_wrokers")).isEqualTo("unknown setting 'caliop_wrokers' (did you mean"
        + " 'caliop_workers'?)");
    assertThat(Knob.unknown("policy_file")).isEqualTo("unknown setting 'policy_file' (did you mean"
        + " 'caliop_policy_file'?)");
    assertThat(Knob.unknown("caliop-eval-timeout")).isEqualTo("unknown setting 'caliop-eval-timeout' (did you mean"
        + " 'caliop_eval_timeout'?)");
    assertThat(Knob.unknown("caliop_timeout_eval")).isEqualTo("unknown setting 'caliop_timeout_eval' (did you mean"
        + " 'caliop_eval_timeout'?)");
    assertThat(Knob.unknown("milter_default_action")).isEqualTo("unknown setting 'milter_default_action' (a Postfix"
        + " parameter: it goes in Postfix's main.cf)");
    assertThat(Knob.unknown("caliop_frobnicate")).isEqualTo("unknown setting 'caliop_frobnicate'");
  }

  @Test
  void ofShouldRejectABadOnErrorNamingTheSetting() {
    Map<Knob, String> v = new EnumMap<>(Knob.class);
    v.put(Knob.ON_ERROR, "hold");

    assertThatThrownBy(() -> MilterConfig.of(v)).isInstanceOf(ConfigException.class)
        .hasMessage("caliop_on_error: expected tempfail, accept or reject, got 'hold'");
  }

  @Test
  void ofShouldRejectAFrameSizeBelowOneBodyChunk() {
    Map<Knob, String> v = new EnumMap<>(Knob.class);
    v.put(Knob.MAX_FRAME_SIZE, "65536");

    assertThatThrownBy(() -> MilterConfig.of(v)).hasMessageStartingWith("caliop_max_frame_size:");
  }

  @Test
  void timeShouldReadPostfixUnits() {
    assertThat(MilterConfig.time(Knob.EVAL_TIMEOUT, "30")).isEqualTo(Duration.ofSeconds(30));
    assertThat(MilterConfig.time(Knob.EVAL_TIMEOUT, "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(MilterConfig.time(Knob.EVAL_TIMEOUT, "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(MilterConfig.time(Knob.EVAL_TIMEOUT, "250ms")).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void sizeShouldReadSuffixesAndRejectZero() {
    assertThat(MilterConfig.size(Knob.MAX_INSPECT_SIZE, "1k")).isEqualTo(1024);
    assertThat(MilterConfig.size(Knob.MAX_INSPECT_SIZE, "1048576")).isEqualTo(1 << 20);
    assertThatThrownBy(() -> MilterConfig.size(Knob.MAX_INSPECT_SIZE, "0")).isInstanceOf(ConfigException.class);
  }

  @Test
  void listenAddressShouldReadPostfixAndSendmailSpellings() {
    assertThat(ListenAddress.parse("inet:127.0.0.1:8891")).isEqualTo(ListenAddress.inet("127.0.0.1", 8891));
    assertThat(ListenAddress.parse("inet:8891@127.0.0.1")).isEqualTo(ListenAddress.inet("127.0.0.1", 8891));
    assertThat(ListenAddress.parse("inet:[::1]:8891")).isEqualTo(ListenAddress.inet("::1", 8891));
    assertThat(ListenAddress.parse("local:/run/c.sock")).isEqualTo(ListenAddress.unix(Path.of("/run/c.sock")));
    assertThatThrownBy(() -> ListenAddress.parse("tcp:1.2.3.4:25")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ListenAddress.parse("inet:127.0.0.1:70000"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void removedSettingsShouldBeRefusedSayingWhatReplacedThem() throws Exception {
    Path f = dir.resolve("old.cf");
    Files.writeString(f, "caliop_listen = inet:127.0.0.1:9000\ncaliop_encrypt_fallback = accept\n");

    assertThatThrownBy(() -> MilterConfig.readFile(f)).isInstanceOf(ConfigException.class)
        .hasMessage(f + ":2: caliop_encrypt_fallback was removed: what happens when encryption fails is the policy's"
            + " encrypt.on_failure (tempfail, reject or hold; docs/policy.md), the same in every adapter");
    assertThatThrownBy(() -> Knob.byKey("caliop_dry_run")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("'mode: dry-run'");
  }

  @Test
  void outboundHeadersShouldBePrivateOrFull() {
    assertThat(MilterConfig.of(Map.of(Knob.OUTBOUND_HEADERS, "full")).fullOutboundHeaders()).isTrue();
    assertThatThrownBy(() -> MilterConfig.of(Map.of(Knob.OUTBOUND_HEADERS, "yes")))
        .isInstanceOf(ConfigException.class).hasMessage("caliop_outbound_headers: expected private or full, got 'yes'");
  }

  @Test
  void everySettingShouldBeDocumentedInMilterMd() throws Exception {
    String doc = Files.readString(Path.of("../docs/milter.md"));

    for (Knob k : Knob.values()) {
      String defaultShown = k.defaultValue().isEmpty() ? "empty" : k.defaultValue();
      assertThat(doc).as(k.key()).contains("### " + k.key() + " (default: " + defaultShown + ")");
    }
  }

  @Test
  void sampleConfigShouldListEverySettingAtItsDefaultAndParse() throws Exception {
    Path sample = Path.of("../examples/postfix/caliop-milter.cf");
    String text = Files.readString(sample);

    for (Knob k : Knob.values()) {
      assertThat(text).as(k.key()).contains(("# " + k.key() + " = " + k.defaultValue()).trim() + "\n");
    }
    Path uncommented = dir.resolve("all.cf");
    Files.writeString(uncommented, text.replaceAll("(?m)^# (caliop_)", "$1"));
    assertThat(MilterConfig.of(MilterConfig.readFile(uncommented))).isEqualTo(MilterConfig.defaults());
  }
}
