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
 * Coverage-guided fuzzing of the {@code Authentication-Results} reader (docs/robustness.md), seeded with the values
 * of the DKIM-checked provider mail and the ARC suite. Calls {@link AuthResultsParser#parse} itself, whose caller's
 * catch-all would hide a bug: any exception is a finding.
 */
class AuthResultsParserFuzzTest {
  static Stream<Arguments> seeds() {
    return FuzzSeeds.authenticationResultsValues();
  }

  @MethodSource("seeds")
  @FuzzTest
  void parse(byte[] input) {
    String value = new String(input, StandardCharsets.ISO_8859_1);

    AuthResultsParser.Parsed parsed = AuthResultsParser.parse(value);

    if (parsed.authservId != null) {
      assertThat(parsed.authservId).as("authserv-id").isNotEmpty().doesNotContainAnyWhitespaces();
      assertThat(AuthResultsParser.trusted(List.of(value), Set.of(parsed.authservId))).isNotNull();
    }
    for (String result : new String[] {parsed.dkim, parsed.spf, parsed.dmarc, parsed.arc}) {
      if (result != null) {
        assertThat(result).as("result keyword").matches("[a-z0-9_-]+");
      }
    }
    // Nobody's header is believed under an id that is not its own.
    if (!"caliop.invalid".equals(parsed.authservId)) {
      assertThat(AuthResultsParser.trusted(List.of(value), Set.of("caliop.invalid"))).isEqualTo(AuthResults.none());
    }
  }
}
