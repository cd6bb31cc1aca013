package org.caliop.policy;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One SMTP reply, checked once: a 4xx or 5xx code, an RFC 3463 enhanced status of the same class, and one line of
 * printable ASCII text (SMTP replies are ASCII; a text a policy or the engine builds from other text is cleaned into
 * that form by {@link #cleaned}). Every adapter sends it as it is: the milter doubles {@code %}
 * ({@link #milterText()}), James hands code and text to its SMTP server.
 *
 * <p>The default texts live here, written once: adapters and the engine use these constants rather than their own.
 */
public final class SmtpReply {
  /** Longest text: a reply line is at most 512 octets (RFC 5321 4.5.3.1.5) with the codes before the text. */
  public static final int MAX_TEXT = 400;
  /**
   * Longest text as the milter sends it, {@code %} doubled: it must fit the same 512-octet line with the codes (up to
   * 14, {@code 550 5.7.123 }) and CRLF, whatever Postfix makes of it.
   */
  public static final int MAX_MILTER_TEXT = 480;
  private static final Pattern ENHANCED = Pattern.compile("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}");

  /** A rule says reject and gives no text. */
  public static final String POLICY_REJECT_TEXT = "Message refused by policy";
  /** A rule says tempfail and gives no text. */
  public static final String POLICY_TEMPFAIL_TEXT = "Message deferred by policy, try again later";
  /** The message could not be encrypted as the policy requires (a failure, not a missing key). */
  public static final String ENCRYPT_FAILED_TEXT = "Message cannot be delivered as policy requires";
  public static final String ENCRYPT_FAILED_LATER_TEXT = ENCRYPT_FAILED_TEXT + ", try again later";

  /** An adapter could not judge the message (internal error, overload, timeout): the sender retries. */
  public static final SmtpReply INTERNAL_TEMPFAIL = of(451, "4.3.0", "caliop: temporary failure, try again later");
  /** An adapter could not judge the message and is configured to refuse. */
  public static final SmtpReply INTERNAL_REJECT = of(550, "5.3.0", "caliop: message cannot be checked");
  /** A daemon that is stopping refuses new messages. */
  public static final SmtpReply SHUTTING_DOWN = of(451, "4.3.2", "caliop: shutting down, try again later");

  private final int code;
  private final String enhanced;
  private final String text;

  private SmtpReply(int code, String enhanced, String text) {
    this.code = code;
    this.enhanced = enhanced;
    this.text = text;
  }

  /**
   * A reply whose parts are already right.
   *
   * @throws IllegalArgumentException naming what is wrong: a code outside 400-599, an enhanced status of another
   *     class or form, a text that is empty, longer than {@value #MAX_TEXT} or not printable ASCII on one line
   */
  public static SmtpReply of(int code, String enhanced, String text) {
    if (code < 400 || code > 599) {
      throw new IllegalArgumentException("SMTP reply code must be 4xx or 5xx, not " + code);
    }
    Objects.requireNonNull(enhanced, "enhanced");
    if (!ENHANCED.matcher(enhanced).matches() || enhanced.charAt(0) != Integer.toString(code).charAt(0)) {
      throw new IllegalArgumentException("enhanced status '" + enhanced + "' does not fit reply code " + code);
    }
    String bad = problem(Objects.requireNonNull(text, "text"));
    if (bad != null) {
      throw new IllegalArgumentException("SMTP reply text " + bad);
    }
    return new SmtpReply(code, enhanced, text);
  }

  /**
   * A reply of code {@code code} whose text comes from elsewhere (a policy with substituted reasons, addresses):
   * control characters become spaces, anything outside printable ASCII {@code ?}, runs of blanks one space, cut at
   * {@value #MAX_TEXT}; an empty result becomes {@code fallbackText}. The enhanced status, when it does not fit the
   * code, becomes {@code X.7.1}.
   */
  public static SmtpReply cleaned(int code, String enhanced, String text, String fallbackText) {
    char cls = Integer.toString(code).charAt(0);
    String e = enhanced != null && ENHANCED.matcher(enhanced).matches() && enhanced.charAt(0) == cls ? enhanced
        : cls + ".7.1";
    String t = clean(text == null ? "" : text);
    return of(code, e, t.isEmpty() ? fallbackText : t);
  }

  /** The text as one printable ASCII line of at most {@value #MAX_TEXT} characters (possibly empty). */
  public static String clean(String text) {
    StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_TEXT));
    boolean blank = false;
    int milter = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || c == ' ') {
        blank = sb.length() > 0;
        continue;
      }
      char out = c > 0x7e ? '?' : c;
      int space = blank ? 1 : 0;
      int weight = out == '%' ? 2 : 1;
      if (sb.length() + space + 1 > MAX_TEXT || milter + space + weight > MAX_MILTER_TEXT) {
        break;
      }
      if (blank) {
        sb.append(' ');
        milter++;
      }
      blank = false;
      sb.append(out);
      milter += weight;
    }
    return sb.toString();
  }

  private static String problem(String text) {
    if (text.isEmpty()) {
      return "is empty";
    }
    if (text.length() > MAX_TEXT) {
      return "is longer than " + MAX_TEXT + " characters";
    }
    if (text.length() + text.chars().filter(c -> c == '%').count() > MAX_MILTER_TEXT) {
      return "has too many '%' (each counts twice for the milter, at most " + MAX_MILTER_TEXT + ")";
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return "must be one line of printable ASCII (SMTP replies are ASCII)";
      }
    }
    return null;
  }

  /** 451, 550 ... */
  public int code() { return code; }

  /** RFC 3463: {@code 5.7.1}. */
  public String enhanced() { return enhanced; }

  /** One line of printable ASCII. */
  public String text() { return text; }

  /** A 5xx: the sender must not retry. */
  public boolean permanent() {
    return code >= 500;
  }

  /**
   * The text as a milter reply carries it: Postfix reads it as a format, so {@code %} is doubled; at most
   * {@value #MAX_MILTER_TEXT} characters.
   */
  public String milterText() {
    return text.replace("%", "%%");
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SmtpReply)) {
      return false;
    }
    SmtpReply r = (SmtpReply) o;
    return code == r.code && enhanced.equals(r.enhanced) && text.equals(r.text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, enhanced, text);
  }

  /** {@code 550 5.7.1 text}, as it goes on the wire. */
  @Override
  public String toString() {
    return code + " " + enhanced + " " + text;
  }
}
