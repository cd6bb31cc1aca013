package org.caliop.milter.message;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One message between MAIL FROM and end of message: envelope as the MTA sent it, the raw message re-serialized into
 * a {@link SpillBuffer}, and the header fields that must not arrive from outside (by name and occurrence, as the
 * milter protocol removes them). Written by one network thread, then handed whole to one worker.
 */
public final class MessageInProgress implements AutoCloseable {
  private static final byte[] CRLF = {'\r', '\n'};

  private final SpillBuffer raw;
  private final Predicate<String> foreignHeader;
  private final List<String> recipients = new ArrayList<>();
  private final Map<String, Integer> occurrences = new HashMap<>();
  private final List<HeaderRef> foreign = new ArrayList<>();
  private final long startedNanos = System.nanoTime();
  private String sender;
  private boolean headersEnded;
  private int headerCount;

  /** A header field by name and 1-based occurrence among fields of that name. */
  public record HeaderRef(String name, int occurrence) {
  }

  private final Runnable onClose;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile String failure;

  public MessageInProgress(SpillBuffer raw, Predicate<String> foreignHeader, Runnable onClose) {
    this.raw = raw;
    this.foreignHeader = foreignHeader;
    this.onClose = onClose;
  }

  /** Something went wrong while receiving (e.g. the spill file could not be written): answer on_error at the end. */
  public void fail(String why) {
    if (failure == null) {
      failure = why;
    }
  }

  public String failure() {
    return failure;
  }

  public void sender(String rawSender) {
    this.sender = rawSender;
  }

  public void addRecipient(String rawRecipient) {
    recipients.add(rawRecipient);
  }

  /**
   * Appends one header field. {@code value} is as the MTA sent it: with the leading space when that was negotiated,
   * folded lines separated by LF or CRLF.
   */
  public void header(String name, String value) throws IOException {
    headerCount++;
    int n = occurrences.merge(name.toLowerCase(Locale.ROOT), 1, Integer::sum);
    if (foreignHeader.test(name)) {
      foreign.add(new HeaderRef(name, n));
    }
    raw.write(name.getBytes(StandardCharsets.UTF_8));
    raw.write(':');
    raw.write(crlf(value).getBytes(StandardCharsets.UTF_8));
    raw.write(CRLF);
  }

  public void endOfHeaders() throws IOException {
    if (!headersEnded) {
      headersEnded = true;
      raw.write(CRLF);
    }
  }

  public void body(byte[] chunk) throws IOException {
    endOfHeaders();
    if (chunk != null) {
      raw.write(chunk);
    }
  }

  public SpillBuffer raw() {
    return raw;
  }

  /** MAIL FROM argument as sent, angle brackets included; null when none was seen. */
  public String rawSender() {
    return sender;
  }

  /** RCPT TO arguments as sent, angle brackets included. */
  public List<String> rawRecipients() {
    return List.copyOf(recipients);
  }

  /** Fields whose names matched the foreign-header test, in message order. */
  public List<HeaderRef> foreignHeaders() {
    return List.copyOf(foreign);
  }

  public int headerCount() {
    return headerCount;
  }

  public long startedNanos() {
    return startedNanos;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      raw.close();
      onClose.run();
    }
  }

  /** {@code <a@b>} or {@code a@b} to {@code a@b}; {@code <>} to empty. */
  public static String bare(String address) {
    if (address == null) {
      return "";
    }
    String s = address.trim();
    if (s.startsWith("<") && s.endsWith(">")) {
      s = s.substring(1, s.length() - 1);
    }
    return s;
  }

  private static String crlf(String value) {
    if (value.indexOf('\n') < 0) {
      return value;
    }
    return value.replace("\r\n", "\n").replace("\n", "\r\n");
  }
}
