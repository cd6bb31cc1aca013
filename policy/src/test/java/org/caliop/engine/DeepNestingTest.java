package org.caliop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.caliop.facts.Envelope;
import org.caliop.message.NestedMessages;
import org.caliop.message.ScanLimits;
import org.caliop.policy.Policy;
import org.caliop.policy.PolicyLoader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Messages nested far deeper than any limit (issue 13: about 1,000 levels of message/rfc822 threw StackOverflowError
 * out of {@link Engine#evaluate}): the engine answers with {@code nesting-too-deep}, at the default limit and at the
 * largest one a policy may set, on a thread with 640 KiB of stack (the JVM's default is 1 MiB on 64-bit Linux): the
 * walk's stack use is bounded by the limit, not by the message. Measured with {@code -Xint} (frames at their
 * largest), 256 levels of quoted-printable messages need 544 KiB, of plain messages 416 KiB, of multiparts 256 KiB.
 */
class DeepNestingTest {
  /** Less than HotSpot's default thread stack on 64-bit Linux (1 MiB), more than the deepest walk needs. */
  private static final long SMALL_STACK = 640 * 1024;

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0} levels of {1}, max_nesting_depth {2}")
  @CsvSource({
      "1000, message, 64", "1000, message, 256", "100000, message, 64", "100000, message, 256",
      "1000, quoted-printable message, 256", "100000, quoted-printable message, 256",
      "1000, multipart, 256", "100000, multipart, 256"})
  void aMessageNestedBeyondTheLimitShouldGetAClearResult(int levels, String shape, int limit) throws Exception {
    assertThat(limit).isLessThanOrEqualTo(ScanLimits.MAX_NESTING_DEPTH);
    Policy policy = policy(limit);
    byte[] message = NestedMessages.of(levels, shape);

    Verdict v = onSmallStack(() -> new Engine(() -> policy).evaluate(null,
        Envelope.of("alice@example.org", List.of("bob@example.org")), MessageSource.of(message)));

    assertThat(v.facts().diagnostics()).contains("nesting-too-deep");
    assertThat(v.score().value()).isBetween(0, 100);
  }

  private Policy policy(int limit) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, String.join("\n", "version: 1", "limits:", "  max_nesting_depth: " + limit,
        "  max_parts: 1000000", ""));
    return PolicyLoader.load(file);
  }

  /** Runs {@code work} on a thread with {@link #SMALL_STACK}; whatever it throws (StackOverflowError too) fails. */
  static <T> T onSmallStack(Work<T> work) throws Exception {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        result.set(work.run());
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "small-stack", SMALL_STACK);
    t.start();
    t.join();
    if (failure.get() != null) {
      throw new AssertionError("failed on a " + SMALL_STACK / 1024 + " KiB stack", failure.get());
    }
    return result.get();
  }

  interface Work<T> {
    T run() throws Exception;
  }
}
