package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.caliop.milter.config.Knob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A StackOverflowError or an OutOfMemoryError while judging (issue 13) gets the {@code caliop_on_error} answer at
 * once, on the network thread as on a worker, and the connection goes on: the next message on it is judged. Before,
 * an error on the network thread closed the connection (Postfix then applied milter_default_action to the
 * message), and one on a worker was answered only when {@code caliop_eval_timeout} passed, set here to an hour so
 * that such a wait shows as a test that does not end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorAnswersTest {
  private final RecipientPolicy policy = new RecipientPolicy();
  private LoopbackMilter milter;

  @BeforeAll
  void start() throws Exception {
    milter = LoopbackMilter.start(policy, Map.of(Knob.INLINE_JUDGE_SIZE, "4k", Knob.EVAL_TIMEOUT, "1h"));
  }

  @AfterAll
  void stop() {
    milter.close();
  }

  @ParameterizedTest(name = "{0}@ judged {1}")
  @CsvSource({"overflow, inline", "overflow, on a worker", "oom, inline", "oom, on a worker"})
  void anErrorShouldGetTheOnErrorAnswerAndKeepTheConnection(String recipient, String where) throws Exception {
    byte[] body = where.equals("inline") ? new byte[0]
        : ("x".repeat(78) + "\r\n").repeat(100).getBytes(StandardCharsets.US_ASCII);
    try (RawMilterClient mta = new RawMilterClient(milter.port)) {
      mta.negotiate().messageUpToEom("E1", recipient + "@y.test", "Subject", "error").body(body);
      mta.endOfMessage();

      assertThat(mta.finalReply()).isEqualTo("y451 4.3.0 caliop: temporary failure, try again later");

      mta.message(new String[] {"i", "E2"}, "someone@y.test", "Subject", "next");
      mta.endOfMessage();
      assertThat(mta.finalAnswer()).as("the next message on the same connection").isEqualTo('c');
    }
  }
}
