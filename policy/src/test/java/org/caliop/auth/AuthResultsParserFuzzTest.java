package org.caliop.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.caliop.fuzz.FuzzSeeds;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the {@code Authentication-Results} reader and of the choice of fields to believe
 * (docs/robustness.md), seeded with the values of the DKIM-checked provider mail and the ARC suite: any value is
 * read into an id and typed results, the same way twice, and a field is never believed for an id not its own nor
 * outside a trusted run.
 */
class AuthResultsParserFuzzTest {
  static Stream<Arguments> seeds() {
    return FuzzSeeds.authenticationResultsValues();
  }

  @MethodSource("seeds")
  @FuzzTest
  void parse(byte[] input) {
    String value = new String(input, StandardCharsets.ISO_8859_1);

    AuthResultsHeader h = AuthResultsParser.parse(value, 2, 1);

    assertThat(AuthResultsParser.parse(value, 2, 1)).as("the same field again").isEqualTo(h);
    assertThat(h.occurrence()).isEqualTo(2);
    assertThat(h.receivedAbove()).isEqualTo(1);
    h.authservId().ifPresent(id -> assertThat(id).as("authserv-id").isNotEmpty().doesNotContainAnyWhitespaces()
        .isLowerCase());
    for (MethodResult r : h.results()) {
      assertThat(r.method()).isNotNull();
      assertThat(r.result()).isNotNull();
    }
    Set<AuthMethod> all = Set.of(AuthMethod.values());
    String id = h.authservId().orElse("caliop.invalid");
    assertThat(AuthResultsSelection.select(List.of(h), Set.of(id + ".other"), true, 5, all).believed())
        .as("believed under another id").isEmpty();
    assertThat(AuthResultsSelection.select(List.of(h), Set.of(id), false, 5, all).believed())
        .as("believed without a trusted run").isEmpty();
  }
}
