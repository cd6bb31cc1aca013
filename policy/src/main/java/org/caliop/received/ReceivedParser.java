package org.caliop.received;

import org.caliop.hop.Hop;
import org.caliop.hop.Trust;

/**
 * Turns one {@code Received:} value into a claimed hop. Never throws.
 *
 * <p>A tokenizer ({@link ReceivedTokenizer}) and a small state machine ({@link ReceivedReader}) read the clauses
 * {@code from}, {@code by}, {@code via}, {@code with}, {@code id}, {@code for} and the TCP-info and TLS comments
 * written by Postfix, Sendmail, Exim, qmail, Exchange/Microsoft 365, Gmail, Courier, Zimbra, z/OS and others; the
 * date after the last top-level {@code ;} is read by {@link LenientDate}. A value in which nothing is recognised
 * gives {@code parsed(false)} with the raw text kept.
 */
public final class ReceivedParser {
  /** Clause text read per value; real headers are far shorter, the rest of a hostile value is skipped. */
  static final int MAX_CLAUSE_CHARS = 64 * 1024;
  /** Date text read after the last {@code ;}. */
  static final int MAX_DATE_CHARS = 512;

  private ReceivedParser() {
  }

  /** @param value the unfolded header value (without the name); folded values are read too */
  public static Hop parse(String value) {
    if (value == null) {
      return Hop.builder(Trust.CLAIMED).parsed(false).build();
    }
    try {
      return new ReceivedReader(value).read();
    } catch (RuntimeException e) {
      // a bug in the reader must not cost the message: keep the hop, unparsed
      return Hop.builder(Trust.CLAIMED).raw(value).parsed(false).build();
    }
  }
}
