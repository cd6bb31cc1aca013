package org.caliop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What {@code caliop hold} reads from Postfix's tools (the texts below are what postqueue -j and postcat -e -h of
 * Postfix 3.7 printed for a message caliop held) and what it refuses before running any. The commands against a
 * real Postfix are in the milter module (HeldForKeyPostfixTest).
 */
class HoldCommandTest {
  private static final String POSTCAT = String.join("\n",
      "*** ENVELOPE RECORDS hold/147C720C0F4 ***",
      "message_size:            1089             777               2               0            1089               0",
      "sender: alice@partner.example",
      "named_attribute: dsn_orig_rcpt=rfc822;alias@example.org",
      "original_recipient: bob@encrypt.example",
      "recipient: bob@encrypt.example",
      "*** MESSAGE CONTENTS hold/147C720C0F4 ***",
      "Caliop-Privacy: score=40, grade=C, v=2, reasons=(firsthand-local auth-unknown e2e-none), encrypted=none,"
          + " signed=none, hops=2",
      "Caliop-Hold: direction=outbound, reason=\"no key for bob@encrypt.example\", action=encrypt,",
      "\trule=\"policy.yaml:4\", missing=(\"bob@encrypt.example\"), id=\"147C720C0F4\"",
      "Received: from mx.caliop.test (localhost [127.0.0.1])",
      "\tby mx.caliop.test (Postfix) with ESMTP id 147C720C0F4;",
      "\tThu,  3 Dec 2026 21:08:06 +0000 (UTC)",
      "Subject: exp1",
      "*** HEADER EXTRACTED hold/147C720C0F4 ***",
      "content_filter: caliop-out:[127.0.0.1]:10026",
      "*** MESSAGE FILE END hold/147C720C0F4 ***",
      "");

  @Test
  void aHeldCopyShouldGiveCaliopsRecordAndItsRoute() {
    HoldCommand.Inspection i = HoldCommand.Queue.parseInspection(POSTCAT);

    assertThat(i.held()).isTrue();
    assertThat(i.contentFilter()).contains("caliop-out:[127.0.0.1]:10026");
    assertThat(i.record().orElseThrow().reason()).isEqualTo("no key for bob@encrypt.example");
    assertThat(i.record().orElseThrow().missing()).containsExactly("bob@encrypt.example");
    assertThat(i.record().orElseThrow().direction()).contains("outbound");
  }

  @Test
  void aMessageWithoutRecordOrFilterShouldSayNeither() {
    String other = POSTCAT.replace("hold/", "deferred/").replaceAll("(?m)^(Caliop-Hold|\tmissing|content_filter).*\n",
        "");

    HoldCommand.Inspection i = HoldCommand.Queue.parseInspection(other);

    assertThat(i.held()).isFalse();
    assertThat(i.record()).isEmpty();
    assertThat(i.contentFilter()).isEmpty();
  }

  @Test
  void aCaliopHoldFieldInTheBodyOrEnvelopeShouldNotCount() {
    String text = "*** ENVELOPE RECORDS hold/ABCDEF1 ***\nCaliop-Hold: reason=\"forged\"\n"
        + "*** MESSAGE CONTENTS hold/ABCDEF1 ***\nSubject: x\n*** MESSAGE FILE END hold/ABCDEF1 ***\n";

    assertThat(HoldCommand.Queue.parseInspection(text).record()).isEmpty();
  }

  @Test
  void postqueueJsonShouldGiveTheHoldQueueOnly() throws IOException {
    JsonFactory json = new JsonFactory();
    String held = "{\"queue_name\": \"hold\", \"queue_id\": \"2FF4320C536\", \"arrival_time\": 1796332067,"
        + " \"message_size\": 843, \"forced_expire\": false, \"sender\": \"alice@partner.example\", \"recipients\":"
        + " [{\"address\": \"bob@encrypt.example\"}, {\"address\": \"carol@example.net\", \"delay_reason\": \"x\"}]}";

    HoldCommand.Held h = HoldCommand.Queue.parseEntry(json, held);

    assertThat(h.queueId()).isEqualTo("2FF4320C536");
    assertThat(h.arrival()).isEqualTo(1796332067L);
    assertThat(h.recipients()).containsExactly("bob@encrypt.example", "carol@example.net");
    assertThat(HoldCommand.Queue.parseEntry(json, held.replace("\"hold\"", "\"deferred\""))).isNull();
    assertThatThrownBy(() -> HoldCommand.Queue.parseEntry(json, "postqueue: fatal: x"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void somethingThatIsNoQueueIdShouldNeverReachPostsuper() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // A --postfix-bin with no programs: any command run would fail with a different message.
    int status = HoldCommand.run(new String[] {"delete", "--postfix-bin", Path.of("/nonexistent").toString(), "ALL",
        "-x", "../../x"}, new PrintStream(out), new PrintStream(err));

    String e = err.toString(StandardCharsets.UTF_8);
    assertThat(status).isNotZero();
    assertThat(e).doesNotContain("nonexistent");
  }

  @Test
  void noSubcommandShouldBeAUsageError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = Main.run(new String[] {"hold"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("list, release or delete");
  }
}
