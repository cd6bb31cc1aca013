package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.caliop.message.NestedMessages;
import org.caliop.milter.config.Knob;
import org.caliop.policy.PolicyLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Messages nested 1,000 and 100,000 levels deep through the daemon with the real engine and the largest nesting limit
 * a policy may set (issue 13: about 1,000 levels of message/rfc822 threw StackOverflowError on the network thread
 * and the connection dropped). Each is judged (stamped and continued: nothing in it is refused), on the network
 * thread when it fits caliop_inline_judge_size and on a worker when not, and the connection goes on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeepNestingMilterTest {
  @TempDir
  static Path dir;
  private LoopbackMilter milter;

  @BeforeAll
  void start() throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, String.join("\n", "version: 1", "limits:", "  max_nesting_depth: 256",
        "  max_parts: 1000000", ""));
    milter = LoopbackMilter.start(PolicyLoader.load(file), Map.of(Knob.INLINE_JUDGE_SIZE, "1m"));
  }

  @AfterAll
  void stop() {
    milter.close();
  }

  @ParameterizedTest(name = "{0} levels of {1}")
  @CsvSource({"1000, message", "100000, message", "1000, quoted-printable message",
      "100000, quoted-printable message", "1000, multipart", "100000, multipart"})
  void aDeeplyNestedMessageShouldBeJudgedAndTheConnectionKept(int levels, String shape) throws Exception {
    byte[] message = NestedMessages.of(levels, shape);
    try (RawMilterClient mta = new RawMilterClient(milter.port)) {
      mta.negotiate().messageUpToEom("N1", "bob@example.org", message);
      mta.endOfMessage();

      assertThat(mta.answers()).as("%d bytes", message.length).anyMatch(a -> a.startsWith("i:Caliop-Privacy[0]"))
          .last().isEqualTo("c");

      mta.message(new String[] {"i", "N2"}, "bob@example.org", "Subject", "next");
      mta.endOfMessage();
      assertThat(mta.finalAnswer()).as("the next message on the same connection").isEqualTo('c');
    }
  }
}
