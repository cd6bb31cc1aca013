package org.caliop.mime;

/** End-to-end signature found in the body (present, not verified: we do not hold the sender's keys). */
public enum Signature {
  NONE("none"),
  PGP_MIME("pgp-mime"),
  PGP_INLINE("pgp-inline"),
  SMIME("smime");

  private final String token;

  Signature(String token) {
    this.token = token;
  }

  public String token() {
    return token;
  }
}
