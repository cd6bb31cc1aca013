package org.caliop.score;

import java.util.Locale;
import java.util.Optional;

/** Letter grades, best first. */
public enum Grade {
  A, B, C, D, E;

  public boolean worseThan(Grade other) {
    return compareTo(other) > 0;
  }

  public static Optional<Grade> parse(String text) {
    if (text == null || text.trim().length() != 1) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
