package org.caliop.milter.log;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a prefix at the start of every line: under systemd, the journal priority ({@code <3>}) of what a command
 * prints for the admin (the configuration check that {@code ExecStartPre} runs), so its errors are errors in the
 * journal too. Outside the journal the stream is returned as it is.
 */
public final class LinePrefixStream extends FilterOutputStream {
  private final byte[] prefix;
  private boolean atLineStart = true;

  LinePrefixStream(OutputStream out, String prefix) {
    super(out);
    this.prefix = prefix.getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code stream} with each line starting with the journal priority of {@code priority}, under systemd only. */
  public static PrintStream of(PrintStream stream, org.slf4j.event.Level priority) {
    if (LogFormat.current() != LogFormat.JOURNAL) {
      return stream;
    }
    return new PrintStream(new LinePrefixStream(stream, "<" + LogFormat.priority(priority) + ">"), true,
        StandardCharsets.UTF_8);
  }

  @Override
  public void write(int b) throws IOException {
    if (atLineStart) {
      out.write(prefix);
      atLineStart = false;
    }
    out.write(b);
    if (b == '\n') {
      atLineStart = true;
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }
}
