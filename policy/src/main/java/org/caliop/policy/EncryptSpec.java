package org.caliop.policy;

import java.util.Objects;
import java.util.Optional;
import org.caliop.crypto.EncryptOptions;

/** How a rule with action {@code encrypt} wants the gateway to encrypt, and what to do without a key. */
public final class EncryptSpec {
  private final EncryptOptions options;
  /** What to do for a recipient without a usable key: never a silent clear send. */
  private final Action onMissingKey;
  private final boolean splitPerRecipient;

  private EncryptSpec(EncryptOptions options, Action onMissingKey, boolean splitPerRecipient) {
    this.options = Objects.requireNonNull(options);
    this.onMissingKey = Objects.requireNonNull(onMissingKey);
    this.splitPerRecipient = splitPerRecipient;
  }

  public static EncryptSpec of(EncryptOptions.Format format, Action onMissingKey, boolean splitPerRecipient,
      String outerSubject) {
    return new EncryptSpec(EncryptOptions.of(format, outerSubject), onMissingKey, splitPerRecipient);
  }

  /** The options as given (format, outer subject, S/MIME algorithms per recipient). */
  public static EncryptSpec of(EncryptOptions options, Action onMissingKey, boolean splitPerRecipient) {
    return new EncryptSpec(options, onMissingKey, splitPerRecipient);
  }

  /** What the gateway encryptor needs: format, outer subject, S/MIME algorithms. */
  public EncryptOptions options() { return options; }
  public EncryptOptions.Format format() { return options.format(); }
  /** One of TAG (send clear and tag), TEMPFAIL, REJECT, HOLD. */
  public Action onMissingKey() { return onMissingKey; }
  public boolean splitPerRecipient() { return splitPerRecipient; }
  /** The Subject that replaces the original outside the encrypted part; empty keeps it. */
  public Optional<String> outerSubject() { return options.outerSubject(); }
}
