package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.caliop.engine.Engine;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.HeaderEdit;
import org.caliop.message.ForeignFields;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.MilterConfig;
import org.caliop.milter.message.MessageInProgress;
import org.caliop.milter.message.SpillBuffer;
import org.caliop.policy.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JudgeTest {
  @TempDir
  Path dir;

  @Test
  void headerAnswersShouldRemoveHighestOccurrenceFirstOnceEachThenInsertTopFirst() {
    ForeignFields seen = ForeignFields.of(n -> n.regionMatches(true, 0, "Caliop-", 0, 7), false);
    seen.field("Caliop-Privacy", "a");
    seen.field("caliop-privacy", "b");
    List<Answer> answers = Judge.headerAnswers(seen,
        List.of(HeaderEdit.removeAll("Caliop-Privacy"), HeaderEdit.add("Caliop-Privacy", "p"),
            HeaderEdit.add("Caliop-Hop", "h")),
        List.of());

    assertThat(answers).containsExactly(
        new Answer.DeleteHeader("caliop-privacy", 2),
        new Answer.DeleteHeader("caliop-privacy", 1),
        new Answer.InsertHeader(0, "Caliop-Hop", "h"),
        new Answer.InsertHeader(0, "Caliop-Privacy", "p"));
  }

  @Test
  void judgeShouldOnlyTagInDryRun() throws Exception {
    Map<Knob, String> v = new EnumMap<>(Knob.class);
    v.put(Knob.DRY_RUN, "yes");
    RecipientPolicy policy = new RecipientPolicy();
    Judge judge = new Judge(new Engine(() -> policy), () -> policy, MilterConfig.of(v));

    try (MessageInProgress m = message("<reject@y.test>")) {
      Judge.Judgement j = judge.judge(m, ConnectionFacts.builder().queueId("Q1").build());

      assertThat(j.action()).isEqualTo(Action.TAG);
      assertThat(j.detail()).contains("dry_run=reject");
      assertThat(j.answers()).last().isEqualTo(new Answer.Continue());
    }
  }

  @Test
  void judgeShouldRejectWithThePolicyCodesAndText() throws Exception {
    RecipientPolicy policy = new RecipientPolicy();
    Judge judge = new Judge(new Engine(() -> policy), () -> policy, MilterConfig.defaults());

    try (MessageInProgress m = message("<reject@y.test>")) {
      Judge.Judgement j = judge.judge(m, ConnectionFacts.builder().build());

      assertThat(j.answers()).containsExactly(new Answer.Reply(554, "5.7.1", RecipientPolicy.REJECT_TEXT));
    }
  }

  @Test
  void judgeShouldRedirectByDeletingEveryRecipientAndAddingTheTarget() throws Exception {
    RecipientPolicy policy = new RecipientPolicy();
    Judge judge = new Judge(new Engine(() -> policy), () -> policy, MilterConfig.defaults());

    try (MessageInProgress m = message("<redirect@y.test>", "<other@y.test>")) {
      Judge.Judgement j = judge.judge(m, ConnectionFacts.builder().build());

      assertThat(j.answers()).containsSubsequence(new Answer.DeleteRecipient("<redirect@y.test>"),
          new Answer.DeleteRecipient("<other@y.test>"), new Answer.AddRecipient("<quarantine@y.test>"),
          new Answer.Continue());
    }
  }

  @Test
  void replyTextShouldDoublePercentAndStayOnOneLine() {
    assertThat(ReplyText.milter("100% sure\r\nsecond line")).isEqualTo("100%% sure  second line");
    assertThat(ReplyText.milter("x".repeat(2000))).hasSize(ReplyText.MAX_REPLY_BYTES);
    assertThat(ReplyText.milter("%".repeat(2000))).isEqualTo("%%".repeat(ReplyText.MAX_REPLY_BYTES / 2));
    assertThat(ReplyText.milter("x" + "\u00e9".repeat(2000))).as("cut between characters")
        .isEqualTo("x" + "\u00e9".repeat((ReplyText.MAX_REPLY_BYTES - 1) / 2));
    assertThat(ReplyText.milter("\ud83d\udce7".repeat(200)).getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .hasSize(ReplyText.MAX_REPLY_BYTES);
  }

  private MessageInProgress message(String... rcpts) throws Exception {
    MessageInProgress m = new MessageInProgress(new SpillBuffer(1024, 1 << 20, dir), n -> false, () -> { });
    m.sender("<a@x.test>", null);
    for (String r : rcpts) {
      m.addRecipient(r, null);
    }
    byte[] subject = " hi".getBytes(StandardCharsets.US_ASCII);
    m.header("Subject", subject, 0, subject.length);
    m.body("hello\r\n".getBytes(StandardCharsets.US_ASCII));
    return m;
  }
}
