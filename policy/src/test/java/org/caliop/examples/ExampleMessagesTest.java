package org.caliop.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.caliop.engine.Assessment;
import org.caliop.engine.Engine;
import org.caliop.facts.Envelope;
import org.caliop.policy.Policy;
import org.caliop.policy.PolicyException;
import org.caliop.policy.PolicyLoader;
import org.caliop.mime.SignatureStatus;
import org.caliop.score.Grade;
import org.caliop.score.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample message in {@code examples/messages} gets the grade its file name promises ({@code grade-B-...eml}),
 * scored by the real engine as {@code caliop score --policy examples/messages/trust.yaml examples/messages} does:
 * no connection facts, the trust settings of that file (mail.example.org is ours), loaded by the real loader.
 *
 * <p>Depends on real parsing: the Received parser, the hop classifier and the MIME scanner.
 */
class ExampleMessagesTest {
  private static final Path EXAMPLES = Path.of("../examples/messages");

  private static final Path TRUST = EXAMPLES.resolve("trust.yaml");

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(p -> p.getFileName().toString().startsWith("grade-")).sorted()
          .collect(Collectors.toList()).stream();
    }
  }

  @Test
  void examplesShouldCoverEveryGrade() throws IOException {
    Set<Grade> grades = EnumSet.noneOf(Grade.class);
    for (Path p : (Iterable<Path>) examples()::iterator) {
      grades.add(promisedGrade(p));
    }
    assertThat(grades).containsExactlyInAnyOrder(Grade.values());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleShouldGetTheGradeInItsName(Path file) throws IOException {
    Assessment verdict;
    try (InputStream in = Files.newInputStream(file)) {
      verdict = new Engine(ExampleMessagesTest::examplePolicy).assess(null, Envelope.empty(), in);
    }
    assertThat(verdict.score().grade()).as("%s scored %s", file, verdict.score()).isEqualTo(promisedGrade(file));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleWithoutTrustSettingsShouldNeverScoreBetter(Path file) throws IOException {
    Assessment trusted;
    Assessment builtIn;
    try (InputStream in = Files.newInputStream(file)) {
      trusted = new Engine(ExampleMessagesTest::examplePolicy).assess(null, Envelope.empty(), in);
    }
    try (InputStream in = Files.newInputStream(file)) {
      builtIn = Engine.withBuiltInPolicy().assess(null, Envelope.empty(), in);
    }
    assertThat(builtIn.score().value()).isLessThanOrEqualTo(trusted.score().value());
    assertThat(builtIn.score().grade()).isNotEqualTo(Grade.A);
  }

  @Test
  void theSmimeSampleShouldBeVerifiedOnlyWithTheTrustStoreOfTrustYaml() throws IOException {
    Path sample = EXAMPLES.resolve("grade-B-local-authenticated-smime-signed.eml");
    Assessment trusted;
    Assessment builtIn;
    try (InputStream in = Files.newInputStream(sample)) {
      trusted = new Engine(ExampleMessagesTest::examplePolicy).assess(null, Envelope.empty(), in);
    }
    try (InputStream in = Files.newInputStream(sample)) {
      builtIn = Engine.withBuiltInPolicy().assess(null, Envelope.empty(), in);
    }

    assertThat(trusted.facts().content().signatureStatus()).isEqualTo(SignatureStatus.VERIFIED);
    assertThat(trusted.score().reasons()).extracting(Reason::code).contains("signed-smime");
    assertThat(builtIn.facts().content().signatureStatus()).isEqualTo(SignatureStatus.UNVERIFIED);
    assertThat(builtIn.score().reasons()).extracting(Reason::code).contains("signed-unverified");
  }

  private static Grade promisedGrade(Path file) {
    String name = file.getFileName().toString();
    return Grade.parse(name.substring("grade-".length(), "grade-".length() + 1)).orElseThrow();
  }

  static Policy examplePolicy() {
    try {
      return PolicyLoader.load(TRUST);
    } catch (PolicyException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }
}
