package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.caliop.milter.config.Knob;
import org.caliop.spill.SpillDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message that cannot be stored whole, because its spill file cannot be written (a full or vanished spill
 * directory), gets {@code caliop_on_error} and is never judged on the part that was stored; the connection goes on
 * and the next message, small enough for memory, is judged. The fault run (PostfixFaultsTest) fills a real file
 * system; here the daemon's private spill directory is taken away under it.
 */
class SpillFailureTest {
  @TempDir
  Path spill;

  @Test
  void aMessageThatCannotBeSpilledShouldGetTheOnErrorAnswer() throws Exception {
    LoopbackMilter milter = LoopbackMilter.start(new RecipientPolicy(),
        Map.of(Knob.MEMORY_BUFFER_SIZE, "4k", Knob.SPILL_DIRECTORY, spill.toString()));
    try (RawMilterClient mta = new RawMilterClient(milter.port)) {
      deleteRecursively(privateDirectory());
      byte[] body = ("x".repeat(78) + "\r\n").repeat(200).getBytes(StandardCharsets.US_ASCII);
      mta.negotiate().messageUpToEom("S1", "someone@y.test", "Subject", "spilled").body(body);
      mta.endOfMessage();

      assertThat(mta.finalReply()).isEqualTo("y451 4.3.0 caliop: temporary failure, try again later");

      mta.message(new String[] {"i", "S2"}, "someone@y.test", "Subject", "small");
      mta.endOfMessage();
      assertThat(mta.finalAnswer()).as("the next message on the same connection").isEqualTo('c');
    } finally {
      milter.close();
    }
  }

  private Path privateDirectory() throws Exception {
    try (Stream<Path> dirs = Files.list(spill)) {
      List<Path> mine = dirs.filter(p -> p.getFileName().toString().startsWith(SpillDirectory.PREFIX))
          .collect(Collectors.toList());
      assertThat(mine).as("the daemon's private spill directory").hasSize(1);
      return mine.get(0);
    }
  }

  private static void deleteRecursively(Path dir) throws Exception {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
