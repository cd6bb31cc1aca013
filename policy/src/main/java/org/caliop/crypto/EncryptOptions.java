package org.caliop.crypto;

import java.util.Objects;
import java.util.Optional;

/**
 * How the gateway encrypts one message: the format, and the Subject shown outside the encrypted part. What to do
 * when a key is missing is not here: that is the policy's answer, given by the engine.
 */
public final class EncryptOptions {
  /** Which format to use for a recipient. */
  public enum Format { PGP, SMIME, PREFER_PGP, PREFER_SMIME }

  private final Format format;
  private final String outerSubject;

  private EncryptOptions(Format format, String outerSubject) {
    this.format = Objects.requireNonNull(format);
    this.outerSubject = outerSubject;
  }

  public static EncryptOptions of(Format format, String outerSubject) {
    return new EncryptOptions(format, outerSubject);
  }

  public Format format() { return format; }
  /** The Subject that replaces the original outside the encrypted part; empty keeps it. */
  public Optional<String> outerSubject() { return Optional.ofNullable(outerSubject); }
}
