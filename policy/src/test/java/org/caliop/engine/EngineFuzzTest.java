package org.caliop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Envelope;
import org.caliop.facts.HeaderEdit;
import org.caliop.fuzz.FuzzSeeds;
import org.caliop.policy.Policy;
import org.caliop.policy.PolicyException;
import org.caliop.policy.PolicyLoader;
import org.caliop.score.ScoreV2;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the engine end to end (docs/robustness.md): every input is judged under the built-in
 * policy and under the samples' trust policy, for mail with no connection, from an outside client and from an
 * authenticated local one. On every input: no exception, a score in 0-100 whose grade is the formula's grade for
 * it, the same verdict when judged again, and header edits that write well-formed fields.
 */
class EngineFuzzTest {
  private static final List<Engine> ENGINES = List.of(Engine.withBuiltInPolicy(), new Engine(trustPolicy()));
  private static final Envelope ENVELOPE = Envelope.of("alice@example.org", List.of("bob@example.org"));
  private static final List<ConnectionFacts> CONNECTIONS = Arrays.asList(null,
      ConnectionFacts.builder().clientAddress("203.0.113.5").clientName("mx.example.com").helo("mx.example.com")
          .tlsVersion("TLSv1.3").cipher("TLS_AES_256_GCM_SHA384").cipherBits(256).queueId("4FUZZ1").build(),
      ConnectionFacts.builder().clientAddress("127.0.0.1").clientName("localhost").helo("laptop")
          .tlsVersion("TLSv1.3").cipher("TLS_AES_128_GCM_SHA256").authType("PLAIN").authUser("alice")
          .queueId("4FUZZ2").build());

  static Stream<Arguments> seeds() {
    return FuzzSeeds.messages();
  }

  @MethodSource("seeds")
  @FuzzTest
  void evaluate(byte[] message) throws IOException {
    for (Engine engine : ENGINES) {
      for (ConnectionFacts connection : CONNECTIONS) {
        Assessment v = engine.assess(connection, ENVELOPE, new ByteArrayInputStream(message));

        assertThat(v.score().value()).as("score").isBetween(0, 100);
        assertThat(v.score().grade()).as("grade of %s", v.score().value())
            .isEqualTo(ScoreV2.grade(v.score().value()));
        assertThat(v.decision().action()).isNotNull();
        for (HeaderEdit e : v.headerEdits()) {
          wellFormed(e);
        }
        Assessment again = engine.assess(connection, ENVELOPE, new ByteArrayInputStream(message));
        assertThat(again.score().toString()).as("the same verdict again").isEqualTo(v.score().toString());
        assertThat(again.decision().toString()).isEqualTo(v.decision().toString());
        assertThat(again.headerEdits()).isEqualTo(v.headerEdits());
      }
    }
  }

  /** A field name of printable ASCII without colon; a value without NUL, bare CR or LF, folded only before WSP. */
  static void wellFormed(HeaderEdit e) {
    assertThat(e.name()).as("field name").matches("[!-9;-~]+");
    if (e.kind() == HeaderEdit.Kind.REMOVE) {
      assertThat(e.occurrence()).isPositive();
      return;
    }
    String v = e.value();
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      assertThat(c).as("character %d of %s", i, e.name()).isNotEqualTo('\0');
      if (c == '\r') {
        assertThat(i + 2 < v.length() && v.charAt(i + 1) == '\n' && (v.charAt(i + 2) == ' '
            || v.charAt(i + 2) == '\t')).as("CR at %d of %s is a fold", i, e.name()).isTrue();
      } else if (c == '\n') {
        assertThat(i > 0 && v.charAt(i - 1) == '\r').as("LF at %d of %s follows CR", i, e.name()).isTrue();
      }
    }
  }

  private static java.util.function.Supplier<Policy> trustPolicy() {
    try {
      Policy p = PolicyLoader.load(FuzzSeeds.ROOT.resolve(Path.of("examples/messages/trust.yaml")));
      return () -> p;
    } catch (PolicyException e) {
      throw new IllegalStateException(e);
    }
  }
}
