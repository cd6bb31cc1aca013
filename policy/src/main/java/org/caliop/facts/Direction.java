package org.caliop.facts;

/** Which way a message travels, seen from our domains. */
public enum Direction {
  /** From outside to one of our domains. */
  INBOUND("inbound"),
  /** From one of ours (authenticated or internal network) to outside. */
  OUTBOUND("outbound"),
  /** From one of ours to one of ours. */
  INTERNAL("internal");

  private final String token;

  Direction(String token) {
    this.token = token;
  }

  public String token() {
    return token;
  }
}
