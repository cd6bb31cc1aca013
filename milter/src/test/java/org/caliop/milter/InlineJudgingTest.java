package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.caliop.milter.config.Knob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Where a message is judged: a small one held in memory on the network thread, a larger one and any encryption on a
 * worker (caliop_inline_judge_size), with the same answers either way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InlineJudgingTest {
  private final RecipientPolicy policy = new RecipientPolicy();
  private LoopbackMilter milter;
  private int port;

  @BeforeAll
  void start() throws Exception {
    milter = LoopbackMilter.start(policy, Map.of(Knob.INLINE_JUDGE_SIZE, "4k"));
    port = milter.port;
  }

  @AfterAll
  void stop() {
    milter.close();
  }

  @Test
  void aSmallMessageShouldBeJudgedOnTheNetworkThreadAndStamped() throws Exception {
    try (RawMilterClient mta = new RawMilterClient(port)) {
      mta.negotiate().messageUpToEom("S1", "someone@y.test", "Subject", "small", "Caliop-Privacy", "score=100");
      mta.endOfMessage();

      assertThat(mta.answers()).startsWith("m:caliop-privacy[1]").contains("i:Caliop-Privacy[0]").endsWith("c");
    }
    assertThat(policy.threadByQueueId.get("S1")).startsWith("caliop-io");
  }

  @Test
  void aMessageLargerThanTheInlineSizeShouldGoToAWorker() throws Exception {
    try (RawMilterClient mta = new RawMilterClient(port)) {
      mta.negotiate().messageUpToEom("L1", "someone@y.test", "Subject", "large")
          .body(("x".repeat(78) + "\r\n").repeat(100).getBytes(StandardCharsets.US_ASCII));
      mta.endOfMessage();

      assertThat(mta.answers()).contains("i:Caliop-Privacy[0]").endsWith("c");
    }
    assertThat(policy.threadByQueueId.get("L1")).startsWith("caliop-worker");
  }

  @Test
  void encryptionShouldGoToAWorkerAfterAnInlineVerdict() throws Exception {
    try (RawMilterClient mta = new RawMilterClient(port)) {
      mta.negotiate().messageUpToEom("E1", "encrypt-ok@y.test", "Subject", "secret");
      mta.endOfMessage();

      assertThat(mta.rawAnswers()).extracting(a -> (char) a[0]).contains('b').endsWith('c');
    }
    assertThat(policy.threadByQueueId.get("E1")).as("the verdict, inline").startsWith("caliop-io");
    assertThat(policy.encryptionThread).as("the encryption").startsWith("caliop-worker");
  }
}
