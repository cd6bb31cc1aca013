package org.caliop.milter.config;

import java.util.Locale;

/** What the milter answers when it has no verdict of its own. */
public enum OnError {
  TEMPFAIL, ACCEPT, REJECT, HOLD;

  static OnError parse(Knob knob, String value, boolean holdAllowed) {
    try {
      OnError v = valueOf(value.trim().toUpperCase(Locale.ROOT));
      if (v == HOLD && !holdAllowed) {
        throw new IllegalArgumentException();
      }
      return v;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(knob.key() + ": expected tempfail, accept or reject"
          + (holdAllowed ? " or hold" : "") + ", got '" + value + "'");
    }
  }

  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }
}
