package org.caliop.milter.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.slf4j.event.Level;

/**
 * How a log event becomes one line on standard error.
 *
 * <ul>
 *   <li>{@link #JOURNAL}: under systemd, stderr is a stream to journald, which stamps the time itself and reads a
 *       leading {@code <N>} as the syslog priority of the line (sd-daemon(3)); without it every line would be
 *       {@code info}, and {@code journalctl -p err} would find nothing. No time stamp of our own.
 *   <li>{@link #PLAIN}: on a terminal or into a file, an ISO-8601 time stamp and the level in brackets.
 * </ul>
 *
 * Either way one event is one line: line breaks inside a message (a policy error listing several problems, a
 * value taken from the network) are joined with {@code "; "} and other control characters become {@code ?}, so
 * nothing can start a line that looks like another event, and an exception is summed up on the same line.
 */
public enum LogFormat {
  JOURNAL,
  PLAIN;

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
      Locale.ROOT);

  /** The system property that forces a format ({@code journal} or {@code plain}), for tests and odd set-ups. */
  public static final String PROPERTY = "caliop.log.format";

  /** The format of this process's log lines (detected once). */
  public static LogFormat current() {
    return CaliopLoggingProvider.settings().format();
  }

  /**
   * The format for this process: {@link #JOURNAL} when systemd connected our stderr to the journal (it sets
   * {@code JOURNAL_STREAM} to the device and inode of that stream, and a child whose stderr was redirected keeps the
   * variable, so the inode of fd 2 must match), else {@link #PLAIN}.
   */
  public static LogFormat detect() {
    return detect(System.getProperty(PROPERTY), System.getenv(), Path.of("/proc/self/fd/2"));
  }

  static LogFormat detect(String forced, Map<String, String> env, Path stderrLink) {
    if (forced != null && !forced.isBlank()) {
      return valueOf(forced.trim().toUpperCase(Locale.ROOT));
    }
    String stream = env.get("JOURNAL_STREAM");
    if (stream == null || stream.indexOf(':') < 0) {
      return PLAIN;
    }
    String inode = stream.substring(stream.indexOf(':') + 1);
    try {
      // A socket shows as "socket:[INODE]".
      String target = Files.readSymbolicLink(stderrLink).toString();
      return target.equals("socket:[" + inode + "]") ? JOURNAL : PLAIN;
    } catch (IOException | UnsupportedOperationException e) {
      return JOURNAL;
    }
  }

  /** The line for one event, without the line end. */
  public String line(Level level, String message, Throwable thrown, OffsetDateTime now) {
    StringBuilder sb = new StringBuilder(message.length() + 48);
    if (this == JOURNAL) {
      sb.append('<').append(priority(level)).append('>');
    } else {
      sb.append(TIME.format(now)).append(" [").append(level).append("] ");
    }
    appendOneLine(sb, message);
    if (thrown != null) {
      sb.append(": ");
      appendOneLine(sb, summary(thrown));
    }
    return sb.toString();
  }

  /** syslog(3) priorities: err, warning, info, debug. */
  static int priority(Level level) {
    switch (level) {
      case ERROR:
        return 3;
      case WARN:
        return 4;
      case INFO:
        return 6;
      default:
        return 7;
    }
  }

  /** The exception, where it was thrown, and each cause: {@code E: m (at C.m(F.java:1)); caused by E2: m2}. */
  static String summary(Throwable thrown) {
    StringBuilder sb = new StringBuilder(thrown.toString());
    StackTraceElement[] trace = thrown.getStackTrace();
    if (trace.length > 0) {
      sb.append(" (at ").append(trace[0]).append(')');
    }
    int depth = 0;
    for (Throwable c = thrown.getCause(); c != null && c != thrown && depth < 8; c = c.getCause(), depth++) {
      sb.append("; caused by ").append(c);
    }
    return sb.toString();
  }

  private static void appendOneLine(StringBuilder sb, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' || c == '\n') {
        while (i + 1 < text.length() && (text.charAt(i + 1) == '\r' || text.charAt(i + 1) == '\n')) {
          i++;
        }
        if (i + 1 < text.length()) {
          sb.append("; ");
        }
      } else if (c == '\t') {
        sb.append(' ');
      } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
        sb.append('?');
      } else {
        sb.append(c);
      }
    }
  }
}
