package org.caliop.mime;

import java.util.Objects;

/** What the MIME walk found about end-to-end protection of the body. */
public final class ContentProtection {
  private static final ContentProtection NONE = new ContentProtection(Encryption.NONE, Signature.NONE, false);

  private final Encryption encrypted;
  private final Signature signed;
  private final boolean labelWithoutCiphertext;

  private ContentProtection(Encryption encrypted, Signature signed, boolean labelWithoutCiphertext) {
    this.encrypted = Objects.requireNonNull(encrypted);
    this.signed = Objects.requireNonNull(signed);
    this.labelWithoutCiphertext = labelWithoutCiphertext;
  }

  public static ContentProtection of(Encryption encrypted, Signature signed) {
    return of(encrypted, signed, false);
  }

  public static ContentProtection of(Encryption encrypted, Signature signed, boolean labelWithoutCiphertext) {
    return encrypted == Encryption.NONE && signed == Signature.NONE && !labelWithoutCiphertext ? NONE
        : new ContentProtection(encrypted, signed, labelWithoutCiphertext);
  }

  public static ContentProtection none() {
    return NONE;
  }

  public Encryption encrypted() {
    return encrypted;
  }

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

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ContentProtection)) {
      return false;
    }
    ContentProtection c = (ContentProtection) o;
    return c.encrypted == encrypted && c.signed == signed && c.labelWithoutCiphertext == labelWithoutCiphertext;
  }

  @Override
  public int hashCode() {
    return Objects.hash(encrypted, signed, labelWithoutCiphertext);
  }

  @Override
  public String toString() {
    return "ContentProtection[encrypted=" + encrypted.token() + ", signed=" + signed.token()
        + (labelWithoutCiphertext ? ", label-without-ciphertext" : "") + "]";
  }
}
