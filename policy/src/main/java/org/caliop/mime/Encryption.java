package org.caliop.mime;

/** End-to-end encryption found in the body. */
public enum Encryption {
  NONE("none"),
  PGP_MIME("pgp-mime"),
  PGP_INLINE("pgp-inline"),
  SMIME("smime"),
  /** Some parts encrypted and others in clear, or several kinds at once. */
  MIXED("mixed");

  private final String token;

  Encryption(String token) {
    this.token = token;
  }

  public String token() {
    return token;
  }
}
