package org.caliop.cli;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits an mbox into messages, streaming: one message at a time, never more than a buffer in memory.
 *
 * <p>A separator is a line starting with {@code "From "} at the start of the file or after an empty line (that
 * empty line belongs to the separator, not to the message). Inside a message, {@code >From }, {@code >>From } ...
 * lose one {@code >} (mboxrd); in mboxo files this also turns a real {@code >From } into {@code From }, which
 * changes nothing the engine looks at.
 */
final class MboxReader {
  private static final int BUFFER = 64 * 1024;
  /** Longest run of {@code >} we look through to recognise an escaped {@code From } line. */
  private static final int MAX_QUOTES = 64;

  private final InputStream in;
  private final byte[] buf = new byte[BUFFER];
  private int pos;
  private int limit;
  private boolean eof;
  private MessageStream current;

  MboxReader(InputStream in) {
    this.in = in;
  }

  /** Whether the stream starts like an mbox ({@code "From "}); reads nothing past the first bytes. */
  static boolean looksLikeMbox(byte[] head, int length) {
    return length >= 5 && head[0] == 'F' && head[1] == 'r' && head[2] == 'o' && head[3] == 'm' && head[4] == ' ';
  }

  /**
   * The next message, positioned after its separator line; null at the end. The previous message's stream is
   * drained first if the caller did not read it to its end.
   */
  InputStream next() throws IOException {
    if (current != null) {
      current.drain();
      current = null;
    }
    // Skip the separator line (and anything before the first separator that is only blank lines).
    while (true) {
      if (!ensure(1)) {
        return null;
      }
      if (startsWith("From ")) {
        skipLine();
        break;
      }
      if (isBlankLineAhead()) {
        skipLine();
        continue;
      }
      // Text before any separator: treat it as a message of its own rather than dropping it.
      break;
    }
    if (!ensure(1)) {
      return null;
    }
    current = new MessageStream();
    return current;
  }

  private boolean ensure(int n) throws IOException {
    if (limit - pos >= n) {
      return true;
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    while (limit - pos < n && !eof) {
      int r = in.read(buf, limit, buf.length - limit);
      if (r < 0) {
        eof = true;
      } else {
        limit += r;
      }
    }
    return limit - pos >= n;
  }

  private boolean startsWith(String s) throws IOException {
    if (!ensure(s.length())) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (buf[pos + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private boolean isBlankLineAhead() throws IOException {
    if (!ensure(1)) {
      return false;
    }
    if (buf[pos] == '\n') {
      return true;
    }
    return buf[pos] == '\r' && ensure(2) && buf[pos + 1] == '\n';
  }

  private int blankLineLength() {
    return buf[pos] == '\n' ? 1 : 2;
  }

  private void skipLine() throws IOException {
    while (ensure(1)) {
      byte b = buf[pos++];
      if (b == '\n') {
        return;
      }
    }
  }

  /** How many {@code >} start an escaped {@code From } line here, or 0. */
  private int escapedFromQuotes() throws IOException {
    if (!ensure(1) || buf[pos] != '>') {
      return 0;
    }
    int q = 0;
    while (q < MAX_QUOTES && ensure(q + 1) && buf[pos + q] == '>') {
      q++;
    }
    if (!ensure(q + 5)) {
      return 0;
    }
    for (int i = 0; i < 5; i++) {
      if (buf[pos + q + i] != "From ".charAt(i)) {
        return 0;
      }
    }
    return q;
  }

  /** One message's bytes, up to (not including) the blank line before the next separator. */
  private final class MessageStream extends InputStream {
    private boolean atLineStart = true;
    private boolean first = true;
    private boolean ended;
    /** Length (1 or 2) of a blank line held back until we know it is not the one before a separator. */
    private int held;
    private final byte[] queue = new byte[2];
    private int queuePos;
    private int queueLength;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int r = read(one, 0, 1);
      return r < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int n = 0;
      while (n < len) {
        if (queuePos < queueLength) {
          b[off + n++] = queue[queuePos++];
          continue;
        }
        if (ended) {
          break;
        }
        if (atLineStart) {
          lineStart();
          continue;
        }
        if (!ensure(1)) {
          ended = true;
          continue;
        }
        int end = pos;
        int max = Math.min(limit, pos + (len - n));
        while (end < max && buf[end] != '\n') {
          end++;
        }
        boolean newline = end < max;
        int count = (newline ? end + 1 : end) - pos;
        System.arraycopy(buf, pos, b, off + n, count);
        pos += count;
        n += count;
        atLineStart = newline;
      }
      return n == 0 ? -1 : n;
    }

    /** Decides what a new line is: separator (end), blank (held back), or text (after any held blank line). */
    private void lineStart() throws IOException {
      if (!ensure(1)) {
        // The blank line at the very end of an mbox belongs to the format, not to the message.
        held = 0;
        ended = true;
        return;
      }
      if ((held > 0 || first) && startsWith("From ")) {
        held = 0;
        ended = true;
        return;
      }
      first = false;
      if (isBlankLineAhead()) {
        int length = blankLineLength();
        releaseHeld();
        held = length;
        pos += length;
        return;
      }
      if (held > 0) {
        releaseHeld();
        return;
      }
      if (escapedFromQuotes() > 0) {
        pos++;
      }
      atLineStart = false;
    }

    private void releaseHeld() {
      if (held == 0) {
        return;
      }
      queuePos = 0;
      queueLength = 0;
      if (held == 2) {
        queue[queueLength++] = '\r';
      }
      queue[queueLength++] = '\n';
      held = 0;
    }

    void drain() throws IOException {
      byte[] sink = new byte[8192];
      while (read(sink, 0, sink.length) >= 0) {
        // discard
      }
    }
  }
}
