package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.caliop.message.ForeignFields;
import org.caliop.milter.config.Knob;
import org.junit.jupiter.api.Test;

/**
 * Forged {@code Caliop-*} fields at the milter protocol's level, where an MTA other than the Postfix of the tests
 * (which turns a bare CR inside a header into a space) could hand them over: a bare CR hiding one is refused, and
 * past the bound of {@link ForeignFields} the message gets {@code caliop_on_error}, never {@code accept}.
 */
class ForeignFieldsMilterTest {
  private final RecipientPolicy policy = new RecipientPolicy();

  /** One more distinct Caliop-* name than ForeignFields counts, as name, value pairs. */
  private static String[] pastTheBound() {
    List<String> headers = new ArrayList<>();
    for (int i = 0; i <= ForeignFields.MAX_NAMES; i++) {
      headers.add("Caliop-X" + i);
      headers.add("x");
    }
    return headers.toArray(new String[0]);
  }

  @Test
  void aFieldHiddenBehindABareCrShouldBeRefused() throws Exception {
    byte[] value = " hello\rCaliop-Privacy: v=2, score=100, grade=A".getBytes(StandardCharsets.US_ASCII);
    try (LoopbackMilter milter = LoopbackMilter.start(policy, Map.of());
        RawMilterClient mta = new RawMilterClient(milter.port)) {
      mta.negotiate().messageUpToEomWithRawHeader("CR1", "someone@y.test", "Subject", value);
      mta.endOfMessage();

      assertThat(mta.finalReply()).startsWith("y550 5.6.0 ")
          .contains("header field Subject hides a Caliop-Privacy field after a bare CR");
    }
    assertThat(policy.factsByQueueId).doesNotContainKey("CR1");
  }

  @Test
  void everyForeignFieldShouldBeDeletedByItsIndex() throws Exception {
    try (LoopbackMilter milter = LoopbackMilter.start(policy, Map.of());
        RawMilterClient mta = new RawMilterClient(milter.port)) {
      mta.negotiate().messageUpToEom("F1", "someone@y.test", "Caliop-Junk", "1", "Subject", "s", "caliop-junk", "2",
          "Caliop-Privacy", "forged");
      mta.endOfMessage();

      assertThat(mta.answers()).containsSubsequence("m:caliop-junk[2]", "m:caliop-junk[1]", "m:caliop-privacy[1]")
          .endsWith("c");
    }
  }

  @Test
  void pastTheBoundOnErrorAcceptShouldStillNotAccept() throws Exception {
    try (LoopbackMilter milter = LoopbackMilter.start(policy, Map.of(Knob.ON_ERROR, "accept"));
        RawMilterClient mta = new RawMilterClient(milter.port)) {
      mta.negotiate().messageUpToEom("OVER1", "someone@y.test", pastTheBound());
      mta.endOfMessage();

      // caliop no longer knows every forged field: it cannot deliver the message stripped, so it defers it
      assertThat(mta.finalReply()).startsWith("y451 4.3.0 ");
    }
  }

  @Test
  void pastTheBoundTheMessageShouldGetOnError() throws Exception {
    try (LoopbackMilter milter = LoopbackMilter.start(policy, Map.of(Knob.ON_ERROR, "reject"));
        RawMilterClient mta = new RawMilterClient(milter.port)) {
      mta.negotiate().messageUpToEom("OVER2", "someone@y.test", pastTheBound());
      mta.endOfMessage();

      assertThat(mta.finalReply()).startsWith("y550 5.3.0 ");
    }
  }
}
