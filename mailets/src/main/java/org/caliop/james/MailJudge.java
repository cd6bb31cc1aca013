package org.caliop.james;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.function.Supplier;
import javax.mail.MessagingException;
import org.apache.mailet.Mail;
import org.caliop.engine.Assessment;
import org.caliop.engine.EncryptorSource;
import org.caliop.engine.Engine;
import org.caliop.engine.Verdict;
import org.caliop.policy.Policy;

/**
 * Runs the engine on a James mail: facts from the mail, the message read where James holds it ({@link HeldMessage}:
 * read once to judge, once more to encrypt). A judgement ({@link #assess}) keeps what it was made from, so that a
 * later stage can tell whether it still holds ({@link #stillHolds}) instead of judging again. The verdict's
 * disposition is final; the caller maps it and closes the verdict.
 */
public final class MailJudge {
  private static final String DIGEST = "SHA-256";

  private final Engine engine;
  private final Supplier<Policy> policy;
  private final String settings;
  private final int spillThreshold;

  /**
   * The engine as James runs it: it can send one copy of a mail per recipient, so {@code split_per_recipient} gives
   * one encrypted copy each; encrypted bodies spill past {@code spillThreshold} bytes into this JVM's private spill
   * directory ({@link MessageSpill#directory()}).
   */
  public MailJudge(Supplier<Policy> policy, int spillThreshold, boolean fullOutboundHeaders,
      EncryptorSource encryptors) throws IOException {
    this.policy = Objects.requireNonNull(policy);
    this.spillThreshold = spillThreshold;
    this.engine = Engine.builder(policy)
        .splitsCopies(true)
        .spill(spillThreshold, MessageSpill.directory())
        .fullOutboundHeaders(fullOutboundHeaders)
        .encryptors(encryptors)
        .build();
    // What else makes two engines on one policy judge alike (concluding is each caller's own).
    this.settings = "outbound_headers=" + (fullOutboundHeaders ? "full" : "private");
  }

  /** The mail's message, read where James holds it when it can be; close it after the verdict. */
  public HeldMessage message(Mail mail) throws IOException, MessagingException {
    return HeldMessage.of(mail.getMessage(), spillThreshold);
  }

  /** Judges and carries the decision out in one go; the caller closes the verdict (encrypted bodies). */
  public Verdict judge(Mail mail) throws IOException, MessagingException {
    try (HeldMessage message = message(mail)) {
      return conclude(assess(mail, message), message);
    }
  }

  /**
   * Judges the mail: facts, score, decision, header edits, with the inputs they were made from.
   *
   * @throws IOException when the message cannot be read
   */
  public Judgement assess(Mail mail, HeldMessage message) throws IOException {
    MailFacts facts = MailFacts.read(mail);
    Policy before = policy.get();
    MessageDigest digest = sha256();
    Assessment assessment;
    try (InputStream in = new Digesting(message.open(), digest)) {
      assessment = engine.assess(facts.connection(), facts.envelope(), in);
      // The engine reads to the end; the digest must cover every byte all the same.
      in.transferTo(OutputStream.nullOutputStream());
    }
    // A reload while judging: which generation judged is not known, so the judgement never stands for another.
    Policy judgedBy = policy.get() == before ? before : null;
    return new Judgement(assessment, new Judgement.Inputs(digest.digest(), facts.inputs(), judgedBy, settings));
  }

  /**
   * Whether {@code earlier} is the judgement this judge would make of the mail now: same message bytes, same facts
   * read from the mail, same policy generation, same engine settings. Reads the message once (no parsing).
   */
  public boolean stillHolds(Judgement earlier, Mail mail, HeldMessage message) throws IOException {
    Judgement.Inputs then = earlier.inputs();
    Policy now = policy.get();
    if (!then.judgedBy(now)) {
      return false;
    }
    MessageDigest digest = sha256();
    try (InputStream in = new Digesting(message.open(), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return then.sameAs(new Judgement.Inputs(digest.digest(), MailFacts.read(mail).inputs(), now, settings));
  }

  /** Carries the judgement out (encrypts when it says so, reading the message again). */
  public Verdict conclude(Judgement judgement, HeldMessage message) {
    return engine.conclude(judgement.assessment(), message);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance(DIGEST);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has " + DIGEST, e);
    }
  }

  /** One INFO line per decision, Postfix style: queue id first, then key=value. */
  public static String logLine(Mail mail, Verdict verdict) {
    StringBuilder s = new StringBuilder(mail.getName()).append(": caliop score=").append(verdict.score().value())
        .append(" grade=").append(verdict.score().grade()).append(" action=")
        .append(verdict.disposition().token());
    verdict.decision().rule().ifPresent(r -> s.append(" rule=").append(r));
    if (!verdict.disposition().detail().isEmpty()) {
      s.append(' ').append(verdict.disposition().detail());
    }
    return s.toString();
  }

  /**
   * Digests every byte that passes, skipped ones too (the engine skips what it need not read, which
   * {@code java.security.DigestInputStream} would leave out); no mark and reset.
   */
  private static final class Digesting extends FilterInputStream {
    private final MessageDigest digest;
    private final byte[] skipped = new byte[8192];

    Digesting(InputStream in, MessageDigest digest) {
      super(in);
      this.digest = digest;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        digest.update((byte) b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        digest.update(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      int r = read(skipped, 0, (int) Math.min(n, skipped.length));
      return Math.max(r, 0);
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
    }

    @Override
    public synchronized void reset() throws IOException {
      throw new IOException("mark and reset are not supported");
    }
  }
}
