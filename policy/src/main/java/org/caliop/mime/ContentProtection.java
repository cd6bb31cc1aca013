package org.caliop.mime;

import java.util.Objects;

/** What the MIME walk found about end-to-end protection of the body. */
public final class ContentProtection {
  private static final ContentProtection NONE = new ContentProtection(Encryption.NONE, Signature.NONE);

  private final Encryption encrypted;
  private final Signature signed;

  private ContentProtection(Encryption encrypted, Signature signed) {
    this.encrypted = Objects.requireNonNull(encrypted);
    this.signed = Objects.requireNonNull(signed);
  }

  public static ContentProtection of(Encryption encrypted, Signature signed) {
    return encrypted == Encryption.NONE && signed == Signature.NONE ? NONE : new ContentProtection(encrypted, signed);
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

  @Override
  public boolean equals(Object o) {
    return o instanceof ContentProtection && ((ContentProtection) o).encrypted == encrypted
        && ((ContentProtection) o).signed == signed;
  }

  @Override
  public int hashCode() {
    return Objects.hash(encrypted, signed);
  }

  @Override
  public String toString() {
    return "ContentProtection[encrypted=" + encrypted.token() + ", signed=" + signed.token() + "]";
  }
}
