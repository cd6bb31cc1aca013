package org.caliop.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.caliop.fuzz.FuzzSeeds;
import org.caliop.message.ScanLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the policy loader (docs/robustness.md), seeded with every policy file we ship: any
 * text gives a policy or problems with a position, never an exception; a policy that loads has sane limits.
 */
class PolicyLoaderFuzzTest {
  private static Path dir;

  @BeforeAll
  static void directory() throws IOException {
    dir = Files.createTempDirectory("caliop-policy-fuzz");
  }

  @AfterAll
  static void clean() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  static Stream<Arguments> seeds() {
    return FuzzSeeds.policies();
  }

  @MethodSource("seeds")
  @FuzzTest
  void check(byte[] text) throws IOException {
    Path file = dir.resolve("policy.yaml");
    Files.write(file, text);

    PolicyLoader.Result r = PolicyLoader.check(file);

    assertThat(r.ok()).as("a policy exactly when there is no error: %s", r.problems())
        .isEqualTo(r.errors().isEmpty());
    for (Problem p : r.problems()) {
      assertThat(p.line()).isPositive();
      assertThat(p.column()).isPositive();
      assertThat(p.message()).isNotBlank();
    }
    if (r.ok()) {
      ScanLimits limits = r.policy().limits();
      assertThat(limits.maxHeaderFields()).isPositive();
      assertThat(limits.maxHeaderFieldBytes()).isPositive();
      assertThat(limits.maxHeaderSectionBytes()).isPositive();
      assertThat(limits.maxNestingDepth()).isPositive();
      assertThat(limits.maxParts()).isPositive();
      assertThat(limits.maxInspectBytes()).isPositive();
    }
  }
}
