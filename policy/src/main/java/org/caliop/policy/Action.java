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

  /**
   * How strongly the action stops delivery, for combining the decisions of several recipients: the most severe wins.
   * reject > tempfail > hold > encrypt > redirect > tag > accept.
   */
  public int severity() {
    switch (this) {
      case REJECT:
        return 6;
      case TEMPFAIL:
        return 5;
      case HOLD:
        return 4;
      case ENCRYPT:
        return 3;
      case REDIRECT:
        return 2;
      case TAG:
        return 1;
      default:
        return 0;
    }
  }

  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The action named {@code text}, in any case; {@code quarantine} is another name for {@link #HOLD} (what other
   * filters call it), and is always reported as {@code hold}.
   */
  public static Optional<Action> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    if (text.trim().equalsIgnoreCase("quarantine")) {
      return Optional.of(HOLD);
    }
    for (Action a : values()) {
      if (a.token().equalsIgnoreCase(text.trim())) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
