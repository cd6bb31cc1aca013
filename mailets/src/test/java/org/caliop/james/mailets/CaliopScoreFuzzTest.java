package org.caliop.james.mailets;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.mail.Header;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.caliop.engine.Assessment;
import org.caliop.engine.Engine;
import org.caliop.facts.HeaderEdit;
import org.caliop.facts.MessageFacts;
import org.caliop.facts.TrustSettings;
import org.caliop.fuzz.FuzzSeeds;
import org.caliop.fuzz.MtaView;
import org.caliop.james.TestMails;
import org.caliop.policy.Policy;
import org.caliop.policy.PolicyLoader;
import org.caliop.score.Score;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The James side of the fuzzed promise that every adapter judges alike (docs/robustness.md): each input, as an MTA
 * hands it over ({@link MtaView#canonical()}), goes through the {@code CaliopScore} mailet on a James mail, and must
 * get the score the engine gives the same bytes and facts when called directly, with the engine's fields added and
 * no foreign field left. The milter side is {@code MilterPacketFuzzTest}.
 */
class CaliopScoreFuzzTest {
  private static final Recording POLICY = new Recording(trustPolicy());
  private static final Engine DIRECT = new Engine(() -> POLICY.delegate);
  private static final CaliopScore MAILET = mailet();

  static Stream<Arguments> seeds() {
    return FuzzSeeds.messages();
  }

  @MethodSource("seeds")
  @FuzzTest
  void service(byte[] input) throws Exception {
    byte[] message = MtaView.of(input).canonical();
    MimeMessage mime = TestMails.parse(message);
    FakeMail mail = FakeMail.builder().name("Q1").mimeMessage(mime).sender("alice@example.org")
        .recipients("bob@example.org").remoteAddr("203.0.113.9").remoteHost("client.example").build();
    POLICY.seen = null;

    MAILET.service(mail);

    assertThat(POLICY.seen).as("the engine ran").isNotNull();
    Assessment direct = DIRECT.assess(POLICY.seen.connection().orElse(null), POLICY.seen.envelope(),
        new ByteArrayInputStream(message));
    assertThat(POLICY.score.toString()).as("score, mailet against the engine called directly")
        .isEqualTo(direct.score().toString());
    List<String> fields = new ArrayList<>();
    for (Header h : Collections.list(mail.getMessage().getAllHeaders())) {
      fields.add(h.getName() + ":" + h.getValue());
    }
    for (HeaderEdit e : direct.headerEdits()) {
      if (e.kind() == HeaderEdit.Kind.ADD) {
        assertThat(fields).as("fields after the mailet").contains(e.name() + ":" + e.value());
      }
    }
    TrustSettings trust = POLICY.delegate.trust();
    for (String f : fields) {
      String name = f.substring(0, f.indexOf(':'));
      if (trust.isForeignHeaderName(name)) {
        assertThat(direct.headerEdits()).as("%s: only ours remain", name)
            .anyMatch(e -> e.kind() == HeaderEdit.Kind.ADD && e.name().toLowerCase(Locale.ROOT)
                .equals(name.toLowerCase(Locale.ROOT)) && f.equals(e.name() + ":" + e.value()));
      }
    }
  }

  private static CaliopScore mailet() {
    try {
      CaliopScore m = new CaliopScore(() -> POLICY.policy);
      m.init(FakeMailetConfig.builder().mailetName("CaliopScore").build());
      return m;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Policy trustPolicy() {
    try {
      return PolicyLoader.load(FuzzSeeds.ROOT.resolve("examples/messages/trust.yaml"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The samples' trust policy, remembering the facts and score of the last message it decided; every other call
   * goes to the policy itself (a proxy, so a method the interface gains later is not left at its default).
   */
  private static final class Recording {
    final Policy delegate;
    final Policy policy;
    volatile MessageFacts seen;
    volatile Score score;

    Recording(Policy delegate) {
      this.delegate = delegate;
      this.policy = (Policy) java.lang.reflect.Proxy.newProxyInstance(Policy.class.getClassLoader(),
          new Class<?>[] {Policy.class}, (proxy, method, args) -> {
            if (method.getName().equals("decide")) {
              seen = (MessageFacts) args[0];
              score = (Score) args[1];
            }
            try {
              return method.invoke(delegate, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }
  }
}
