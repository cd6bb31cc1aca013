package org.caliop.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.caliop.auth.AuthResultsHeader;
import org.caliop.fuzz.FuzzSeeds;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the MIME scan and the content detector (docs/robustness.md), seeded with every real
 * message we have. Each input is scanned under the default limits and under tight ones (so the fuzzer reaches every
 * bound with small inputs), in one read and in small reads of varying size (as the milter's chunks arrive): the
 * result must be the same whatever the reads, every bound must hold, and the whole input must be read.
 */
class MessageScanFuzzTest {
  /** Small enough that a few KiB of input passes each of them. */
  private static final ScanLimits TIGHT = ScanLimits.of(20, 200, 1_000, 4, 12, 8_192);
  private static final Predicate<String> FOREIGN = name -> name.regionMatches(true, 0, "Caliop-", 0, 7);
  private static final Set<String> CODES = EnumSet.allOf(ScanDiagnostic.class).stream().map(ScanDiagnostic::code)
      .collect(Collectors.toSet());

  static Stream<Arguments> seeds() {
    return FuzzSeeds.messages();
  }

  @MethodSource("seeds")
  @FuzzTest
  void scan(byte[] message) throws IOException {
    for (ScanLimits limits : new ScanLimits[] {ScanLimits.defaults(), TIGHT}) {
      ScannedMessage whole = MessageScanner.scan(new ByteArrayInputStream(message), limits, FOREIGN);
      ScannedMessage dribbled = MessageScanner.scan(new Dribble(message), limits, FOREIGN);

      assertThat(whole.size()).as("bytes read").isEqualTo(message.length);
      assertThat(dribbled.size()).isEqualTo(message.length);
      assertThat(dribbled.content()).as("content, read in small pieces").isEqualTo(whole.content());
      assertThat(dribbled.received()).isEqualTo(whole.received());
      assertThat(dribbled.authenticationResults()).isEqualTo(whole.authenticationResults());
      assertThat(dribbled.foreignFields().counts()).isEqualTo(whole.foreignFields().counts());
      assertThat(dribbled.foreignFields().smuggled()).isEqualTo(whole.foreignFields().smuggled());
      assertThat(dribbled.diagnostics()).isEqualTo(whole.diagnostics());
      withinLimits(whole, limits);
    }
  }

  private static void withinLimits(ScannedMessage m, ScanLimits limits) {
    assertThat(m.diagnostics()).as("diagnostic codes").isSubsetOf(CODES).doesNotHaveDuplicates();
    assertThat(m.received().size() + m.authenticationResults().size()).isLessThanOrEqualTo(
        limits.maxHeaderFields());
    assertThat(m.foreignFields().counts().size()).isLessThanOrEqualTo(ForeignFields.MAX_NAMES);
    long kept = 0;
    for (String v : m.received()) {
      kept += v.length();
    }
    for (AuthResultsHeader h : m.authenticationResults()) {
      kept += h.value().map(String::length).orElse(0);
    }
    for (java.util.Map.Entry<String, Integer> f : m.foreignFields().counts().entrySet()) {
      assertThat(FOREIGN.test(f.getKey())).as("counted name %s", f.getKey()).isTrue();
      assertThat(f.getValue()).isPositive();
    }
    assertThat(kept).as("kept header bytes").isLessThanOrEqualTo(limits.maxHeaderSectionBytes());
  }

  /** Returns the message in reads of 1 to 7 bytes, sizes fixed by the content so a finding replays. */
  private static final class Dribble extends FilterInputStream {
    private int step;

    Dribble(byte[] message) {
      super(new ByteArrayInputStream(message));
      step = Arrays.hashCode(message);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      step = step * 31 + 7;
      return super.read(b, off, Math.min(len, 1 + Math.floorMod(step, 7)));
    }

    @Override
    public long skip(long n) throws IOException {
      return super.skip(Math.min(n, 7));
    }
  }
}
