package org.caliop.policy;

import java.util.Locale;
import java.util.Optional;

/** What the MTA does with a message, mildest first as far as delivery goes. */
public enum Action {
  /** Deliver, add our headers. */
  ACCEPT,
  /** Deliver, add our headers including {@code Caliop-Policy}. */
  TAG,
  /** Refuse with 5xx and a human reason. */
  REJECT,
  /** Refuse with 4xx: the sender retries. */
  TEMPFAIL,
  /** Keep in quarantine (Postfix hold queue, a James repository). */
  HOLD,
  /** Deliver to another address instead. */
  REDIRECT,
  /** Encrypt at the gateway before delivery or relay. */
  ENCRYPT;

  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Action> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    for (Action a : values()) {
      if (a.token().equalsIgnoreCase(text.trim())) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
