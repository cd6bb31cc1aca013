package org.caliop.mime;

/**
 * What became of the message's signature (the outermost visible one, see {@link Signature}): only a signature that
 * verifies, covers the whole message, and whose signer is anchored in what the admin configured and matches the
 * {@code From:} address is {@link #VERIFIED}.
 */
public enum SignatureStatus {
  /** No signature. */
  NONE("none"),
  /** Verified over the whole message; the signer is anchored (S/MIME trust store, OpenPGP key directory) and is
   * the {@code From:} address. */
  VERIFIED("verified"),
  /** Present, but not verified: nothing to anchor it configured, not anchored (self-signed, unknown key), another
   * signer than {@code From:}, a weak digest, only part of the message signed, or not checked at all. */
  UNVERIFIED("unverified"),
  /** Checked and wrong: the content does not match the signature, or the signature cannot be read. */
  INVALID("invalid");

  private final String token;

  SignatureStatus(String token) {
    this.token = token;
  }

  public String token() {
    return token;
  }
}
