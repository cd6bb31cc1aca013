package org.caliop.message;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Predicate;
import org.caliop.mime.ContentProtection;

/** One streaming pass over a raw message. Never throws on content; memory bounded by {@link ScanLimits}. */
public final class MessageScanner {
  private MessageScanner() {
  }

  /**
   * @param message the raw message; read to its end (drained past the limits), not closed
   * @param foreignHeader which top-level header names to report in {@link ScannedMessage#matchedHeaders()}
   */
  public static ScannedMessage scan(InputStream message, ScanLimits limits, Predicate<String> foreignHeader)
      throws IOException {
    // Skeleton: replaced by the mime4j streaming walk.
    long size = message.transferTo(OutputStreamSink.INSTANCE);
    return ScannedMessage.of(List.of(), List.of(), List.of(), ContentProtection.none(), size, List.of());
  }

  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {
    }

    @Override
    public void write(byte[] b, int off, int len) {
    }
  }
}
