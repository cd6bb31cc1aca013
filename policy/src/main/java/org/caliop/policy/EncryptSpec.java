package org.caliop.policy;

import java.util.Objects;
import java.util.Optional;

/** How a rule with action {@code encrypt} wants the gateway to encrypt. */
public final class EncryptSpec {
  /** Which format to use for a recipient. */
  public enum Format { PGP, SMIME, PREFER_PGP, PREFER_SMIME }

  private final Format format;
  /** What to do for a recipient without a usable key: never a silent clear send. */
  private final Action onMissingKey;
  private final boolean splitPerRecipient;
  private final String outerSubject;

  private EncryptSpec(Format format, Action onMissingKey, boolean splitPerRecipient, String outerSubject) {
    this.format = Objects.requireNonNull(format);
    this.onMissingKey = Objects.requireNonNull(onMissingKey);
    this.splitPerRecipient = splitPerRecipient;
    this.outerSubject = outerSubject;
  }

  public static EncryptSpec of(Format format, Action onMissingKey, boolean splitPerRecipient, String outerSubject) {
    return new EncryptSpec(format, onMissingKey, splitPerRecipient, outerSubject);
  }

  public Format format() { return format; }
  /** One of TAG (send clear and tag), TEMPFAIL, REJECT, HOLD. */
  public Action onMissingKey() { return onMissingKey; }
  public boolean splitPerRecipient() { return splitPerRecipient; }
  /** The Subject that replaces the original outside the encrypted part; empty keeps it. */
  public Optional<String> outerSubject() { return Optional.ofNullable(outerSubject); }
}
