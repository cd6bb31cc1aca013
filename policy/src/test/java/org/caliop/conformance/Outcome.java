package org.caliop.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.caliop.engine.Disposition;

/**
 * What an MTA did with one message, in terms every adapter can observe: the disposition, the SMTP reply of a
 * refusal, the reason of a hold, the address of a redirect, and for an encryption each copy's format and
 * recipients. The conformance tests build one from each adapter's effects and require it to equal the case's.
 */
public final class Outcome {
  private final String kind;
  private final String reply;
  private final String holdReason;
  private final String redirect;
  private final List<String> copies;
  private final String subject;

  private Outcome(String kind, String reply, String holdReason, String redirect, List<String> copies) {
    this(kind, reply, holdReason, redirect, copies, null);
  }

  private Outcome(String kind, String reply, String holdReason, String redirect, List<String> copies,
      String subject) {
    this.kind = Objects.requireNonNull(kind);
    this.reply = reply;
    this.holdReason = holdReason;
    this.redirect = redirect;
    this.copies = List.copyOf(copies);
    this.subject = subject;
  }

  /**
   * This outcome with the first {@code Subject:} of the delivered message, unfolded ({@link #unfold}), not decoded:
   * a case that names one holds every adapter to it.
   */
  public Outcome withSubject(String value) {
    return new Outcome(kind, reply, holdReason, redirect, copies, unfold(value));
  }

  /** The delivered Subject the case requires, if it requires one. */
  public Optional<String> subject() {
    return Optional.ofNullable(subject);
  }

  /** A field value without the line breaks of its folds (CRLF, or LF as the milter sends them). */
  public static String unfold(String value) {
    return value.replace("\r\n", "").replace("\n", "");
  }

  public static Outcome accept() {
    return new Outcome("accept", null, null, null, List.of());
  }

  public static Outcome alreadyProtected() {
    return new Outcome("already-protected", null, null, null, List.of());
  }

  /** {@code reply} as on the wire: {@code 550 5.7.1 text}. */
  public static Outcome reject(String reply) {
    return new Outcome("reject", reply, null, null, List.of());
  }

  public static Outcome tempfail(String reply) {
    return new Outcome("tempfail", reply, null, null, List.of());
  }

  public static Outcome hold(String reason) {
    return new Outcome("hold", null, reason, null, List.of());
  }

  public static Outcome redirect(String address) {
    return new Outcome("redirect", null, null, address, List.of());
  }

  /** One entry per copy: {@code pgp-mime [bob@example.net, carol@example.net]}. */
  public static Outcome encrypted(List<String> copies) {
    return new Outcome("encrypted", null, null, null, copies);
  }

  public static String copy(String format, List<String> recipients) {
    return format + " " + recipients;
  }

  /** What the engine's disposition says. */
  public static Outcome of(Disposition d) {
    switch (d.kind()) {
      case REJECT:
        return reject(d.reply().orElseThrow().toString());
      case TEMPFAIL:
        return tempfail(d.reply().orElseThrow().toString());
      case HOLD:
        return hold(d.holdReason().orElseThrow());
      case REDIRECT:
        return redirect(d.redirectTo().orElseThrow());
      case ENCRYPTED: {
        List<String> copies = new ArrayList<>();
        for (Disposition.Copy c : d.copies()) {
          copies.add(copy(c.format(), c.recipients()));
        }
        return encrypted(copies);
      }
      case ALREADY_PROTECTED:
        return alreadyProtected();
      default:
        return accept();
    }
  }

  public String kind() {
    return kind;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Outcome)) {
      return false;
    }
    Outcome x = (Outcome) o;
    return kind.equals(x.kind) && Objects.equals(reply, x.reply) && Objects.equals(holdReason, x.holdReason)
        && Objects.equals(redirect, x.redirect) && copies.equals(x.copies) && Objects.equals(subject, x.subject);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, reply, holdReason, redirect, copies, subject);
  }

  @Override
  public String toString() {
    return kind + (reply == null ? "" : " \"" + reply + "\"") + (holdReason == null ? "" : " \"" + holdReason + "\"")
        + (redirect == null ? "" : " to " + redirect) + (copies.isEmpty() ? "" : " " + copies)
        + (subject == null ? "" : " subject \"" + subject + "\"");
  }
}
