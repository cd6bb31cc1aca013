package org.caliop.mime;

import java.util.Objects;

/** What the MIME walk found about end-to-end protection of the body. */
public final class ContentProtection {
  private static final ContentProtection NONE = new ContentProtection(Encryption.NONE, Signature.NONE, false,
      SignatureStatus.NONE, "");

  private final Encryption encrypted;
  private final Signature signed;
  private final boolean labelWithoutCiphertext;
  private final SignatureStatus signatureStatus;
  private final String signatureDetail;

  private ContentProtection(Encryption encrypted, Signature signed, boolean labelWithoutCiphertext,
      SignatureStatus signatureStatus, String signatureDetail) {
    this.encrypted = Objects.requireNonNull(encrypted);
    this.signed = Objects.requireNonNull(signed);
    this.labelWithoutCiphertext = labelWithoutCiphertext;
    this.signatureStatus = Objects.requireNonNull(signatureStatus);
    this.signatureDetail = Objects.requireNonNull(signatureDetail);
  }

  /** A signature, if any, is {@link SignatureStatus#UNVERIFIED}. */
  public static ContentProtection of(Encryption encrypted, Signature signed) {
    return of(encrypted, signed, false);
  }

  /** A signature, if any, is {@link SignatureStatus#UNVERIFIED}. */
  public static ContentProtection of(Encryption encrypted, Signature signed, boolean labelWithoutCiphertext) {
    return of(encrypted, signed, labelWithoutCiphertext,
        signed == Signature.NONE ? SignatureStatus.NONE : SignatureStatus.UNVERIFIED, "");
  }

  /**
   * @param signatureStatus {@link SignatureStatus#NONE} exactly when {@code signed} is {@link Signature#NONE}
   * @param signatureDetail why, in a few words, for people (the signer, what was missing); may be empty
   */
  public static ContentProtection of(Encryption encrypted, Signature signed, boolean labelWithoutCiphertext,
      SignatureStatus signatureStatus, String signatureDetail) {
    if ((signed == Signature.NONE) != (signatureStatus == SignatureStatus.NONE)) {
      throw new IllegalArgumentException("signature " + signed + " with status " + signatureStatus);
    }
    return encrypted == Encryption.NONE && signed == Signature.NONE && !labelWithoutCiphertext ? NONE
        : new ContentProtection(encrypted, signed, labelWithoutCiphertext, signatureStatus, signatureDetail);
  }

  public static ContentProtection none() {
    return NONE;
  }

  public Encryption encrypted() {
    return encrypted;
  }

  /** The kind of the outermost visible signature, verified or not (see {@link #signatureStatus()}). */
  public Signature signed() {
    return signed;
  }

  public boolean isEncrypted() {
    return encrypted != Encryption.NONE;
  }

  /**
   * Whether the whole content is ciphertext ({@code pgp-mime}, {@code smime} or {@code pgp-inline}, nothing in
   * clear): what the gateway treats as already protected.
   */
  public boolean isFullyEncrypted() {
    return encrypted != Encryption.NONE && encrypted != Encryption.MIXED;
  }

  /**
   * Some part is labelled as encrypted ({@code multipart/encrypted}, {@code smime-type=enveloped-data}, a PGP
   * armor line, an OpenPGP file name or type) but holds no ciphertext: the label was not believed, the part counted
   * as clear.
   */
  public boolean labelWithoutCiphertext() {
    return labelWithoutCiphertext;
  }

  /** Whether the signature was verified and anchored; {@link SignatureStatus#NONE} without a signature. */
  public SignatureStatus signatureStatus() {
    return signatureStatus;
  }

  /** Whether the message is signed by its {@code From:} address, verified and anchored: what may earn points. */
  public boolean isSignatureVerified() {
    return signatureStatus == SignatureStatus.VERIFIED;
  }

  /** Why the signature has its status, for people ({@code "signer alice@example.com, not anchored"}); may be empty. */
  public String signatureDetail() {
    return signatureDetail;
  }

  /** Equal facts; the detail text is not compared. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ContentProtection)) {
      return false;
    }
    ContentProtection c = (ContentProtection) o;
    return c.encrypted == encrypted && c.signed == signed && c.labelWithoutCiphertext == labelWithoutCiphertext
        && c.signatureStatus == signatureStatus;
  }

  @Override
  public int hashCode() {
    return Objects.hash(encrypted, signed, labelWithoutCiphertext, signatureStatus);
  }

  @Override
  public String toString() {
    return "ContentProtection[encrypted=" + encrypted.token() + ", signed=" + signed.token()
        + (signed == Signature.NONE ? "" : " (" + signatureStatus.token()
            + (signatureDetail.isEmpty() ? "" : ": " + signatureDetail) + ")")
        + (labelWithoutCiphertext ? ", label-without-ciphertext" : "") + "]";
  }
}
