package org.caliop.hop;

/** How far we believe what a hop says. */
public enum Trust {
  /** Seen by our own MTA on the connection it accepted (milter macros, James mail attributes). */
  FIRSTHAND("firsthand"),
  /** Written by a host or network the admin configured as ours. */
  INTERNAL("internal"),
  /** Written by someone else: may lower a score, never raise it. */
  CLAIMED("claimed");

  private final String token;

  Trust(String token) {
    this.token = token;
  }

  /** The lowercase spelling used in JSON and headers. */
  public String token() {
    return token;
  }
}
