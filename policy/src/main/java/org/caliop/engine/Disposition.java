package org.caliop.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.caliop.facts.HeaderEdit;
import org.caliop.message.SpillBuffer;
import org.caliop.policy.SmtpReply;

/**
 * What the MTA does with a message, fully decided by the engine: the policy's decision carried out, with gateway
 * encryption, missing keys, failures and dry-run already taken into account. A closed set: the subclasses below and
 * no other (the constructor is private). Adapters map each kind onto milter replies or mailet effects and decide
 * nothing themselves; whenever they deliver or keep the message they also apply the verdict's header edits.
 *
 * <ul>
 * <li>{@link Accept}: deliver.</li>
 * <li>{@link Reject} and {@link Tempfail}: refuse with the {@link SmtpReply} (5xx, 4xx).</li>
 * <li>{@link Hold}: quarantine, with the reason.</li>
 * <li>{@link Redirect}: deliver to the address instead of the recipients.</li>
 * <li>{@link Encrypted}: replace the body (and the content header fields) by the encrypted copy, or copies when
 * split per recipient; the bodies are in bounded spill buffers the adapter streams, then {@link #close()}s.</li>
 * <li>{@link AlreadyProtected}: the policy said encrypt and the message already is: deliver it untouched.</li>
 * </ul>
 */
public abstract class Disposition implements AutoCloseable {
  /** The kinds, for a {@code switch}; each has exactly one subclass. */
  public enum Kind {
    ACCEPT, REJECT, TEMPFAIL, HOLD, REDIRECT, ENCRYPTED, ALREADY_PROTECTED;

    /** {@code accept}, {@code already-protected} ...: the spelling of log lines and mail attributes. */
    public String token() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Kind> parse(String token) {
      for (Kind k : values()) {
        if (k.token().equalsIgnoreCase(token == null ? "" : token.trim())) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
  }

  private final String detail;

  private Disposition(String detail) {
    this.detail = detail == null ? "" : detail;
  }

  public abstract Kind kind();

  public final String token() {
    return kind().token();
  }

  /**
   * How the engine got here when it is more than the rule's action, as {@code key=value} pairs for the adapter's log
   * line ({@code dry_run=reject}, {@code encrypted=pgp-mime}, {@code encrypt_missing_keys=1 on_missing_key=hold});
   * empty otherwise.
   */
  public final String detail() {
    return detail;
  }

  /** Reject or tempfail: the message is refused, nothing is delivered. */
  public final boolean refuses() {
    return kind() == Kind.REJECT || kind() == Kind.TEMPFAIL;
  }

  /** The reply of a {@link Reject} or {@link Tempfail}. */
  public Optional<SmtpReply> reply() {
    return Optional.empty();
  }

  /** The reason of a {@link Hold}. */
  public Optional<String> holdReason() {
    return Optional.empty();
  }

  /**
   * The recipients without a usable key, when the message is held for want of keys ({@code on_missing_key: hold});
   * empty otherwise. For the held copy's record ({@code Caliop-Hold}, {@code caliop hold list}).
   */
  public List<String> recipientsWithoutKey() {
    return List.of();
  }

  /** The address of a {@link Redirect}. */
  public Optional<String> redirectTo() {
    return Optional.empty();
  }

  /** The copies of an {@link Encrypted}; empty for every other kind. */
  public List<Copy> copies() {
    return List.of();
  }

  /** Frees what the disposition holds (encrypted bodies); idempotent. */
  @Override
  public void close() {
    // only Encrypted holds anything
  }

  @Override
  public String toString() {
    return token() + (detail.isEmpty() ? "" : " " + detail);
  }

  static Accept accept(String detail) {
    return new Accept(detail);
  }

  static Reject reject(SmtpReply reply, String detail) {
    return new Reject(reply, detail);
  }

  static Tempfail tempfail(SmtpReply reply, String detail) {
    return new Tempfail(reply, detail);
  }

  static Hold hold(String reason, String detail) {
    return new Hold(reason, detail, List.of());
  }

  /** A hold for want of keys: {@code withoutKey} are the recipients that have none. */
  static Hold holdForKeys(String reason, String detail, List<String> withoutKey) {
    return new Hold(reason, detail, withoutKey);
  }

  static Redirect redirect(String address) {
    return new Redirect(address);
  }

  static Encrypted encrypted(List<Copy> copies, String detail) {
    return new Encrypted(copies, detail);
  }

  static AlreadyProtected alreadyProtected() {
    return new AlreadyProtected();
  }

  /** Deliver to the recipients. */
  public static final class Accept extends Disposition {
    private Accept(String detail) {
      super(detail);
    }

    @Override
    public Kind kind() { return Kind.ACCEPT; }
  }

  /** Refuse for good: 5xx. */
  public static final class Reject extends Disposition {
    private final SmtpReply reply;

    private Reject(SmtpReply reply, String detail) {
      super(detail);
      if (!reply.permanent()) {
        throw new IllegalArgumentException("a reject needs a 5xx reply, not " + reply);
      }
      this.reply = reply;
    }

    @Override
    public Kind kind() { return Kind.REJECT; }

    @Override
    public Optional<SmtpReply> reply() { return Optional.of(reply); }
  }

  /** Refuse for now: 4xx, the sender retries. */
  public static final class Tempfail extends Disposition {
    private final SmtpReply reply;

    private Tempfail(SmtpReply reply, String detail) {
      super(detail);
      if (reply.permanent()) {
        throw new IllegalArgumentException("a tempfail needs a 4xx reply, not " + reply);
      }
      this.reply = reply;
    }

    @Override
    public Kind kind() { return Kind.TEMPFAIL; }

    @Override
    public Optional<SmtpReply> reply() { return Optional.of(reply); }
  }

  /** Quarantine (Postfix hold queue, a James mail repository). */
  public static final class Hold extends Disposition {
    private final String reason;
    private final List<String> withoutKey;

    private Hold(String reason, String detail, List<String> withoutKey) {
      super(detail);
      String r = SmtpReply.clean(reason);
      this.reason = r.isEmpty() ? "caliop: held by policy" : r;
      this.withoutKey = List.copyOf(withoutKey);
    }

    @Override
    public Kind kind() { return Kind.HOLD; }

    /** One line of printable ASCII, starting {@code caliop: }. */
    @Override
    public Optional<String> holdReason() { return Optional.of(reason); }

    @Override
    public List<String> recipientsWithoutKey() { return withoutKey; }
  }

  /** Deliver to {@link #redirectTo()} instead of every recipient. */
  public static final class Redirect extends Disposition {
    private final String address;

    private Redirect(String address) {
      super("redirect=" + bare(address));
      this.address = bare(address);
    }

    private static String bare(String address) {
      String a = address.trim();
      return a.startsWith("<") && a.endsWith(">") ? a.substring(1, a.length() - 1).trim() : a;
    }

    @Override
    public Kind kind() { return Kind.REDIRECT; }

    /** A bare address, without angle brackets. */
    @Override
    public Optional<String> redirectTo() { return Optional.of(address); }
  }

  /** The body was encrypted at the gateway: one copy for all recipients, or one per recipient when split. */
  public static final class Encrypted extends Disposition {
    private final List<Copy> copies;

    private Encrypted(List<Copy> copies, String detail) {
      super(detail);
      if (copies.isEmpty()) {
        throw new IllegalArgumentException("no encrypted copy");
      }
      this.copies = List.copyOf(copies);
    }

    @Override
    public Kind kind() { return Kind.ENCRYPTED; }

    /** In envelope order; together they cover every recipient once. */
    @Override
    public List<Copy> copies() { return copies; }

    @Override
    public void close() {
      copies.forEach(Copy::close);
    }
  }

  /** The policy said encrypt and the message is already end-to-end encrypted: deliver it untouched. */
  public static final class AlreadyProtected extends Disposition {
    private AlreadyProtected() {
      super("encrypted=already");
    }

    @Override
    public Kind kind() { return Kind.ALREADY_PROTECTED; }
  }

  /** One encrypted message: for whom, in which format, the content header edits and the new body. */
  public static final class Copy implements AutoCloseable {
    private final List<String> recipients;
    private final String format;
    private final List<HeaderEdit> headerEdits;
    private final SpillBuffer body;

    Copy(List<String> recipients, String format, List<HeaderEdit> headerEdits, SpillBuffer body) {
      this.recipients = List.copyOf(recipients);
      this.format = Objects.requireNonNull(format);
      this.headerEdits = List.copyOf(headerEdits);
      this.body = Objects.requireNonNull(body);
    }

    /** The envelope recipients this copy is for, as the adapter gave them. */
    public List<String> recipients() { return recipients; }

    /** {@code pgp-mime} or {@code smime}. */
    public String format() { return format; }

    /**
     * The content fields to remove (by original occurrence) and the new ones to add at the top, applied together
     * with the verdict's header edits: removals first, then additions.
     */
    public List<HeaderEdit> headerEdits() { return headerEdits; }

    /** The new body (without header section), CRLF line ends; a fresh stream each time. */
    public InputStream openBody() throws IOException {
      return body.open();
    }

    /** Bytes of the new body. */
    public long bodySize() {
      return body.kept();
    }

    @Override
    public void close() {
      body.close();
    }
  }
}
