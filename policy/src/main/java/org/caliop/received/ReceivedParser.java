package org.caliop.received;

import org.caliop.hop.Hop;
import org.caliop.hop.Trust;

/** Turns one {@code Received:} value into a claimed hop. Never throws. */
public final class ReceivedParser {
  private ReceivedParser() {
  }

  /** @param value the unfolded header value (without the name) */
  public static Hop parse(String value) {
    // Skeleton: replaced by the real tokenizer and state machine.
    return Hop.builder(Trust.CLAIMED).raw(value).parsed(false).build();
  }
}
