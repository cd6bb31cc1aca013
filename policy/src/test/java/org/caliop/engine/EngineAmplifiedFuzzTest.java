package org.caliop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import org.caliop.facts.Envelope;
import org.caliop.facts.HeaderEdit;
import org.caliop.score.ScoreV2;

/**
 * The engine on large messages the fuzzer shapes from a few bytes (docs/robustness.md): a prefix, one unit repeated
 * up to 8 MiB, and a suffix, generated as the engine reads them. Each byte 0x01 of the unit becomes one hex digit of
 * the copy's number (lowest first), so one unit also makes a million distinct names, boundaries or addresses. This is where bookkeeping that grows with the
 * message shows: when the engine has read the last byte (holding everything it keeps of the message), the stream
 * collects garbage and weighs the heap; what the engine holds must stay under {@link #MAX_RETAINED}, whatever the
 * size. A super-linear path passes the per-input timeout of {@code -Pfuzz}.
 */
class EngineAmplifiedFuzzTest {
  private static final long MAX_BYTES = 8L << 20;
  /** What one message may hold in the engine: the header budgets of ScanLimits and room for parsing buffers. */
  static final long MAX_RETAINED = 24L << 20;
  private static final Engine ENGINE = Engine.withBuiltInPolicy();
  private static final Envelope ENVELOPE = Envelope.of("alice@example.org", List.of("bob@example.org"));
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  @FuzzTest
  void evaluate(FuzzedDataProvider data) throws IOException {
    byte[] prefix = data.consumeBytes(data.consumeInt(0, 256));
    byte[] unit = data.consumeBytes(data.consumeInt(1, 128));
    long copies = data.consumeLong(0, unit.length == 0 ? 0 : MAX_BYTES / unit.length);
    byte[] suffix = data.consumeRemainingAsBytes();
    Repeated message = new Repeated(prefix, unit, copies, suffix);
    long before = liveHeap();

    Assessment v = ENGINE.assess(null, ENVELOPE, message);

    assertThat(v.facts().size()).as("bytes read").isEqualTo(message.length);
    assertThat(message.heldAtEnd - before).as("heap the engine held at the end of a %d-byte message",
        message.length).isLessThan(MAX_RETAINED);
    assertThat(v.score().value()).isBetween(0, 100);
    assertThat(v.score().grade()).isEqualTo(ScoreV2.grade(v.score().value()));
    for (HeaderEdit e : v.headerEdits()) {
      EngineFuzzTest.wellFormed(e);
    }
  }

  private static long liveHeap() {
    System.gc();
    return MEMORY.getHeapMemoryUsage().getUsed();
  }

  /** prefix, unit × copies, suffix; generated as read; weighs the live heap when the last byte has been read. */
  static final class Repeated extends InputStream {
    private final byte[] prefix;
    private final byte[] unit;
    private final byte[] suffix;
    final long length;
    /** For each byte of the unit: -1, or which digit of the copy number it shows. */
    private final int[] digit;
    private long position;
    long heldAtEnd = Long.MIN_VALUE;

    Repeated(byte[] prefix, byte[] unit, long copies, byte[] suffix) {
      this.prefix = prefix;
      this.unit = unit;
      this.suffix = suffix;
      this.length = prefix.length + unit.length * copies + suffix.length;
      this.digit = new int[unit.length];
      int digits = 0;
      for (int i = 0; i < unit.length; i++) {
        digit[i] = unit[i] == 1 && digits < 16 ? digits++ : -1;
      }
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= length) {
        if (heldAtEnd == Long.MIN_VALUE) {
          heldAtEnd = liveHeap();
        }
        return -1;
      }
      int n = (int) Math.min(len, length - position);
      for (int i = 0; i < n; i++) {
        b[off + i] = at(position++);
      }
      return n;
    }

    private byte at(long p) {
      if (p < prefix.length) {
        return prefix[(int) p];
      }
      long q = p - prefix.length;
      long middle = length - prefix.length - suffix.length;
      if (q < middle) {
        int i = (int) (q % unit.length);
        if (digit[i] < 0) {
          return unit[i];
        }
        return (byte) Character.forDigit((int) ((q / unit.length) >>> (4 * digit[i])) & 0xf, 16);
      }
      return suffix[(int) (q - middle)];
    }
  }
}
