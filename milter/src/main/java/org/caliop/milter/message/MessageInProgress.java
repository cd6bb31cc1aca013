package org.caliop.milter.message;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.caliop.address.EmailAddress;
import org.caliop.facts.Envelope;
import org.caliop.message.ForeignFields;
import org.caliop.message.SpillBuffer;

/**
 * One message between MAIL FROM and end of message: envelope as the MTA sent it, the raw message re-serialized into
 * a {@link SpillBuffer}, and the header fields that must not arrive from outside (by name and occurrence, as the
 * milter protocol removes them). Written by one network thread, then handed whole to one worker.
 *
 * <p>While the message fits in memory, bytes are stored on the calling (network) thread. From the write that would
 * go to the spill file on, every write runs on the {@code disk} executor instead, in order, so a slow disk never
 * stalls the network threads; {@link DiskQueue} hears how many bytes wait, to pause reading from the MTA.
 */
public final class MessageInProgress implements AutoCloseable {
  private static final byte[] CRLF = {'\r', '\n'};

  private final SpillBuffer raw;
  private final ForeignFields foreign;
  private final List<String> recipients = new ArrayList<>();
  private final List<EmailAddress> recipientAddresses = new ArrayList<>();
  private final long startedNanos = System.nanoTime();
  private String sender;
  private EmailAddress senderAddress;
  private boolean headersEnded;
  private int headerCount;
  /** What the re-injection listener needs to know of the header (null elsewhere): see {@link #keepForReinjection}. */
  private Reinjection reinjection;
  private volatile String queueId;
  private volatile String intakeNote;
  private volatile int ownHops;

  /**
   * Hears how many bytes wait for the disk executor: after each queued write (on the network thread) and after each
   * write done (on the disk executor); {@code now} reads the count again.
   */
  public interface DiskQueue {
    DiskQueue NONE = new DiskQueue() {
      @Override
      public void queued(long waitingBytes, LongSupplier now) {
      }

      @Override
      public void written(long waitingBytes, LongSupplier now) {
      }
    };

    void queued(long waitingBytes, LongSupplier now);

    void written(long waitingBytes, LongSupplier now);
  }

  private final Runnable onClose;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile String failure;
  private volatile boolean refused;
  private final Executor disk;
  private final DiskQueue diskQueue;
  private final AtomicLong waiting = new AtomicLong();
  /** The last write given to the disk executor; null while every byte stayed in memory. */
  private volatile CompletableFuture<Void> diskTail;

  public MessageInProgress(SpillBuffer raw, Predicate<String> foreignHeader, Runnable onClose) {
    this(raw, foreignHeader, onClose, null, DiskQueue.NONE);
  }

  /** {@code disk} null: every write on the calling thread. */
  public MessageInProgress(SpillBuffer raw, Predicate<String> foreignHeader, Runnable onClose, Executor disk,
      DiskQueue diskQueue) {
    this.raw = raw;
    this.foreign = ForeignFields.of(foreignHeader, false);
    this.onClose = onClose;
    this.disk = disk;
    this.diskQueue = diskQueue;
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

  /** Started after the daemon began to stop: to be refused with a 4xx, not judged. */
  public void refuse() {
    refused = true;
  }

  public boolean refused() {
    return refused;
  }

  /**
   * @param rawSender the MAIL FROM argument as sent
   * @param canonical the MTA's canonical form of it ({@code {mail_addr}}), or null when the MTA sent none: then the
   *     argument itself is read
   */
  public void sender(String rawSender, String canonical) {
    this.sender = rawSender;
    this.senderAddress = address(rawSender, canonical);
  }

  /**
   * @param rawRecipient the RCPT TO argument as sent (what SMFIR_DELRCPT names)
   * @param canonical the MTA's canonical form of it ({@code {rcpt_addr}}: Postfix unquotes {@code "ceo"@x}), or null
   *     when the MTA sent none: then the argument itself is read
   */
  public void addRecipient(String rawRecipient, String canonical) {
    recipients.add(rawRecipient);
    EmailAddress a = address(rawRecipient, canonical);
    if (a != null) {
      recipientAddresses.add(a);
    }
  }

  private static EmailAddress address(String raw, String canonical) {
    String text = canonical != null && !canonical.isBlank() ? canonical : raw;
    return EmailAddress.parse(text).orElse(null);
  }

  /** The envelope as the engine judges it: the MTA's canonical addresses. */
  public Envelope envelope() {
    return Envelope.ofAddresses(senderAddress, recipientAddresses);
  }

  /**
   * Appends one header field from the bytes the MTA sent, unchanged: a value need not be UTF-8 (8-bit bytes in
   * other charsets still arrive in real mail), and decoding it would change what the engine judges. The value keeps
   * its leading space when that was negotiated; folded lines may be separated by LF or CRLF.
   */
  public void header(String name, byte[] value, int offset, int length) throws IOException {
    headerCount++;
    foreign.field(name, value, offset, offset + length);
    if (reinjection != null) {
      reinjection.field(name, value, offset, length);
    }
    byte[] nameBytes = name.getBytes(StandardCharsets.ISO_8859_1);
    // Folded lines arrive separated by LF (Postfix) or CRLF; the message we judge has CRLF.
    int crs = 0;
    for (int i = offset; i < offset + length; i++) {
      if (bareLf(value, offset, i)) {
        crs++;
      }
    }
    byte[] field = new byte[nameBytes.length + 1 + length + crs + 2];
    System.arraycopy(nameBytes, 0, field, 0, nameBytes.length);
    int at = nameBytes.length;
    field[at++] = ':';
    for (int i = offset; i < offset + length; i++) {
      if (bareLf(value, offset, i)) {
        field[at++] = '\r';
      }
      field[at++] = value[i];
    }
    field[at++] = '\r';
    field[at] = '\n';
    store(field);
  }

  private static boolean bareLf(byte[] value, int offset, int i) {
    return value[i] == '\n' && (i == offset || value[i - 1] != '\r');
  }

  public void endOfHeaders() throws IOException {
    if (!headersEnded) {
      headersEnded = true;
      store(CRLF);
    }
  }

  /** {@code chunk} is ours from now on (it may be written later, on another thread). */
  public void body(byte[] chunk) throws IOException {
    endOfHeaders();
    if (chunk != null && chunk.length > 0) {
      store(chunk);
    }
  }

  private void store(byte[] bytes) throws IOException {
    if (diskTail == null && (disk == null || !raw.wouldSpill(bytes.length))) {
      raw.write(bytes);
      return;
    }
    if (diskTail == null) {
      diskTail = CompletableFuture.completedFuture(null);
    }
    diskQueue.queued(waiting.addAndGet(bytes.length), waiting::get);
    diskTail = diskTail.thenRunAsync(() -> {
      try {
        if (!closed.get()) {
          raw.write(bytes);
        }
      } catch (IOException | RuntimeException | VirtualMachineError e) {
        fail("buffer: " + e);
      } finally {
        diskQueue.written(waiting.addAndGet(-bytes.length), waiting::get);
      }
    }, disk);
  }

  /** Completes when every byte given so far is stored; at once when none went to the disk executor. */
  public CompletableFuture<Void> stored() {
    return diskTail == null ? CompletableFuture.completedFuture(null) : diskTail;
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

  /**
   * The fields only our servers may write that arrived, counted per name as the MTA numbers them for
   * SMFIR_CHGHEADER; bounded ({@link ForeignFields#overflow()}), and naming a field that hid one behind a bare CR.
   */
  public ForeignFields foreignFields() {
    return foreign;
  }

  /**
   * On caliop's re-injection listener: keep the values of the first few sealed-facts fields and {@code Received:}
   * fields as they arrive (bounded), to open the seal and find our own first-hand line at end of message.
   *
   * @param sealField the name of the field that carries sealed facts
   */
  public void keepForReinjection(String sealField) {
    reinjection = new Reinjection(sealField);
  }

  /**
   * How the message is judged, decided at end of message: the queue id the MTA keeps it under now, a note for the
   * log line ({@code sealed=4F1A2B3C}, {@code seal=none}), and how many {@code Received:} fields at the top the
   * engine leaves out (our own re-injection hops above the sealed first-hand line).
   */
  public void intake(String queueId, String note, int ownHops) {
    this.queueId = queueId;
    this.intakeNote = note;
    this.ownHops = Math.max(0, ownHops);
  }

  /** The queue id set by {@link #intake}, or null. */
  public String queueId() {
    return queueId;
  }

  /** The log note set by {@link #intake}, or null. */
  public String intakeNote() {
    return intakeNote;
  }

  /** The message as the engine reads it: all of it, less our own re-injection hops ({@link #intake}). */
  public java.io.InputStream openJudged() throws IOException {
    java.io.InputStream in = raw.open();
    return ownHops == 0 ? in : new FieldsDropping(in, "Received", ownHops);
  }

  /** The sealed-facts values seen, in message order (at most {@link Reinjection#MAX_SEALS}); empty elsewhere. */
  public List<String> seals() {
    return reinjection == null ? List.of() : List.copyOf(reinjection.seals);
  }

  /** The first {@code Received:} values, top first (at most {@link Reinjection#MAX_RECEIVED}); empty elsewhere. */
  public List<String> topReceived() {
    return reinjection == null ? List.of() : List.copyOf(reinjection.received);
  }

  /** Bounded record of the fields the re-injection listener reads itself. */
  static final class Reinjection {
    /** More sealed-facts fields than this: none is believed anyway (caliop writes one). */
    static final int MAX_SEALS = 4;
    /** Our own re-injection hops above the sealed first-hand line: one per release from hold, and more is odd. */
    static final int MAX_RECEIVED = 16;
    /** A value longer than this is not kept (a sealed value is far shorter; a Received line too). */
    static final int MAX_VALUE = 64 * 1024;

    private final String sealField;
    private final List<String> seals = new ArrayList<>();
    private final List<String> received = new ArrayList<>();
    private int receivedSeen;

    Reinjection(String sealField) {
      this.sealField = sealField;
    }

    void field(String name, byte[] value, int offset, int length) {
      boolean seal = name.equalsIgnoreCase(sealField);
      boolean hop = name.equalsIgnoreCase("Received");
      if (seal && seals.size() <= MAX_SEALS) {
        // one past the bound is kept, as a marker that there were too many
        seals.add(length <= MAX_VALUE ? new String(value, offset, length, StandardCharsets.ISO_8859_1) : "");
      } else if (hop && receivedSeen++ < MAX_RECEIVED) {
        received.add(length <= MAX_VALUE ? new String(value, offset, length, StandardCharsets.ISO_8859_1) : "");
      }
    }
  }

  public int headerCount() {
    return headerCount;
  }

  public long startedNanos() {
    return startedNanos;
  }

  /** Frees the buffer (after the writes still queued for the disk, which then store nothing). */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      CompletableFuture<Void> tail = diskTail;
      if (tail == null) {
        raw.close();
      } else {
        tail.whenComplete((v, e) -> raw.close());
      }
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
}
