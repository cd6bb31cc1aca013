package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.caliop.engine.Disposition;
import org.caliop.engine.Engine;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.HeaderEdit;
import org.caliop.message.ForeignFields;
import org.caliop.message.SpillBuffer;
import org.caliop.milter.message.MessageInProgress;
import org.caliop.policy.SmtpReply;
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
  void headerAnswersShouldChangeSubjectsInPlaceFirstWithLfFoldsAndNeverOneThatIsRemoved() {
    ForeignFields seen = ForeignFields.of(n -> n.regionMatches(true, 0, "Caliop-", 0, 7), false);
    seen.field("Caliop-Privacy", "forged");
    List<Answer> answers = Judge.headerAnswers(seen,
        List.of(HeaderEdit.removeAll("Caliop-Privacy"), HeaderEdit.remove("Subject", 2),
            HeaderEdit.add("Caliop-Privacy", "p"),
            HeaderEdit.replace("Subject", 1, "[privacy C] a long\r\n subject"),
            HeaderEdit.replace("Subject", 2, "[privacy C] gone")),
        List.of());

    assertThat(answers).containsExactly(
        new Answer.ChangeHeader("Subject", 1, "[privacy C] a long\n subject"),
        new Answer.DeleteHeader("caliop-privacy", 1),
        new Answer.DeleteHeader("subject", 2),
        new Answer.InsertHeader(0, "Caliop-Privacy", "p"));
  }

  @Test
  void judgeShouldOnlyTagWhenThePolicyIsInDryRun() throws Exception {
    RecipientPolicy policy = new RecipientPolicy();
    policy.dryRun = true;
    Judge judge = new Judge(new Engine(() -> policy));

    try (MessageInProgress m = message("<reject@y.test>")) {
      Judge.Judgement j = judge.judge(m, ConnectionFacts.builder().queueId("Q1").build());

      assertThat(j.disposition().kind()).isEqualTo(Disposition.Kind.ACCEPT);
      assertThat(j.disposition().detail()).isEqualTo("dry_run=reject");
      assertThat(j.answers()).last().isEqualTo(new Answer.Continue());
    }
  }

  @Test
  void judgeShouldRejectWithThePolicyCodesAndText() throws Exception {
    RecipientPolicy policy = new RecipientPolicy();
    Judge judge = new Judge(new Engine(() -> policy));

    try (MessageInProgress m = message("<reject@y.test>")) {
      Judge.Judgement j = judge.judge(m, ConnectionFacts.builder().build());

      assertThat(j.answers()).containsExactly(new Answer.Reply(SmtpReply.of(554, "5.7.1", RecipientPolicy.REJECT_TEXT)));
    }
  }

  @Test
  void judgeShouldRedirectByDeletingEveryRecipientAndAddingTheTarget() throws Exception {
    RecipientPolicy policy = new RecipientPolicy();
    Judge judge = new Judge(new Engine(() -> policy));

    try (MessageInProgress m = message("<redirect@y.test>", "<other@y.test>")) {
      Judge.Judgement j = judge.judge(m, ConnectionFacts.builder().build());

      assertThat(j.answers()).containsSubsequence(new Answer.DeleteRecipient("<redirect@y.test>"),
          new Answer.DeleteRecipient("<other@y.test>"), new Answer.AddRecipient("<quarantine@y.test>"),
          new Answer.Continue());
    }
  }

  @Test
  void replyTextShouldDoublePercentForTheMilterAndStayOnOneLineOfAReplysLength() {
    assertThat(SmtpReply.of(550, "5.7.1", "100% sure").milterText()).isEqualTo("100%% sure");
    assertThat(SmtpReply.cleaned(550, "5.7.1", "first\r\nsecond line", "x").text()).isEqualTo("first second line");
    assertThat(SmtpReply.cleaned(550, "5.7.1", "%".repeat(2000), "x").milterText())
        .isEqualTo("%%".repeat(SmtpReply.MAX_MILTER_TEXT / 2));
    assertThat(SmtpReply.cleaned(550, "5.7.1", "x" + "\u00e9".repeat(2000), "x").text())
        .isEqualTo("x" + "?".repeat(SmtpReply.MAX_TEXT - 1));
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
