package org.caliop.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance table through the engine alone, as an adapter that cannot split a message (the milter) and as one
 * that can (James). {@code MilterConformanceTest} and {@code MailetConformanceTest} run the same table through the
 * adapters and must reach the same outcomes.
 */
class EngineConformanceTest {
  @TempDir
  Path dir;

  static Stream<ConformanceCase> cases() {
    return ConformanceCases.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void engineShouldReachTheOutcomeOfTheTable(ConformanceCase c) throws Exception {
    assumeTrue(c.pending == null, () -> "pending: " + c.pending);
    assertThat(ConformanceRun.engine(c, dir.resolve("one"), false)).as("one copy").isEqualTo(c.expected(false));
    assertThat(ConformanceRun.engine(c, dir.resolve("split"), true)).as("copies").isEqualTo(c.expected(true));
  }
}
