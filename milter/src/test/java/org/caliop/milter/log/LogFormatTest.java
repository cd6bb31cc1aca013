package org.caliop.milter.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

class LogFormatTest {
  static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 3, 10, 0, 0, 0, ZoneOffset.UTC);

  @TempDir
  Path dir;

  @Test
  void journalLinesShouldCarryTheSyslogPriorityAndNoTimeStamp() {
    assertThat(LogFormat.JOURNAL.line(Level.ERROR, "Q1: caliop: error=timeout", null, NOW))
        .isEqualTo("<3>Q1: caliop: error=timeout");
    assertThat(LogFormat.JOURNAL.line(Level.WARN, "w", null, NOW)).isEqualTo("<4>w");
    assertThat(LogFormat.JOURNAL.line(Level.INFO, "i", null, NOW)).isEqualTo("<6>i");
    assertThat(LogFormat.JOURNAL.line(Level.DEBUG, "d", null, NOW)).isEqualTo("<7>d");
    assertThat(LogFormat.JOURNAL.line(Level.TRACE, "t", null, NOW)).isEqualTo("<7>t");
  }

  @Test
  void plainLinesShouldCarryTheTimeAndTheLevel() {
    assertThat(LogFormat.PLAIN.line(Level.INFO, "Q1: caliop: score=71", null, NOW))
        .isEqualTo("2026-12-03T10:00:00.000Z [INFO] Q1: caliop: score=71");
  }

  @Test
  void aLineBreakInAValueShouldNeverStartAnotherLine() {
    // What a hostile value that reached a log line would try: a forged event of its own, at error priority.
    String forged = "from=<a@x>\r\n<3>Q2: caliop: error=internal\n";

    assertThat(LogFormat.JOURNAL.line(Level.INFO, forged, null, NOW))
        .isEqualTo("<6>from=<a@x>; <3>Q2: caliop: error=internal").doesNotContain("\n").doesNotContain("\r");
    assertThat(LogFormat.JOURNAL.line(Level.INFO, "a\u0000b\u001bc\u0085d\u2028e\tf", null, NOW))
        .isEqualTo("<6>a?b?c?d?e f");
  }

  @Test
  void anExceptionShouldBeSummedUpOnTheSameLine() {
    Exception e = new IllegalStateException("broken", new java.io.IOException("disk\nfull"));

    String line = LogFormat.JOURNAL.line(Level.ERROR, "Q1: caliop: error=internal", e, NOW);

    assertThat(line).startsWith("<3>Q1: caliop: error=internal: java.lang.IllegalStateException: broken (at ")
        .contains(LogFormatTest.class.getName())
        .endsWith("; caused by java.io.IOException: disk; full").doesNotContain("\n");
  }

  @Test
  void journalShouldBeDetectedOnlyWhenStandardErrorIsTheJournalsStream() throws IOException {
    Path journal = Files.createSymbolicLink(dir.resolve("fd2-journal"), Path.of("socket:[4711]"));
    Path redirected = Files.createSymbolicLink(dir.resolve("fd2-file"), Path.of("/var/log/caliop.log"));

    assertThat(LogFormat.detect(null, Map.of(), journal)).isEqualTo(LogFormat.PLAIN);
    assertThat(LogFormat.detect(null, Map.of("JOURNAL_STREAM", "8:4711"), journal)).isEqualTo(LogFormat.JOURNAL);
    // A child of a service whose stderr went elsewhere keeps the variable: the stream decides.
    assertThat(LogFormat.detect(null, Map.of("JOURNAL_STREAM", "8:4711"), redirected)).isEqualTo(LogFormat.PLAIN);
    assertThat(LogFormat.detect(null, Map.of("JOURNAL_STREAM", "8:4712"), journal)).isEqualTo(LogFormat.PLAIN);
    assertThat(LogFormat.detect("plain", Map.of("JOURNAL_STREAM", "8:4711"), journal)).isEqualTo(LogFormat.PLAIN);
    assertThat(LogFormat.detect("journal", Map.of(), journal)).isEqualTo(LogFormat.JOURNAL);
  }

  @Test
  void linePrefixStreamShouldPrefixEveryLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(new LinePrefixStream(bytes, "<4>"), true, StandardCharsets.UTF_8);
    ps.println("keys: 2 file(s)");
    ps.print("warning: a\nwarning: b\n");

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo("<4>keys: 2 file(s)" + System.lineSeparator() + "<4>warning: a\n<4>warning: b\n");
  }
}
