package org.caliop.milter.config;

import java.util.Locale;

/** What the milter answers when it has no verdict: the engine failed, timed out, or no worker was free. */
public enum OnError {
  TEMPFAIL, ACCEPT, REJECT;

  static OnError parse(Knob knob, String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(knob.key() + ": expected tempfail, accept or reject, got '" + value + "'");
    }
  }

  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }
}
