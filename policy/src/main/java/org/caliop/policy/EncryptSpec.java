package org.caliop.policy;

import java.util.Objects;
import java.util.Optional;
import org.caliop.crypto.EncryptOptions;

/** How a rule with action {@code encrypt} wants the gateway to encrypt, and what to do without a key. */
public final class EncryptSpec {
  private final EncryptOptions options;
  /** What to do for a recipient without a usable key: never a silent clear send. */
  private final Action onMissingKey;
  /** What to do when encryption fails (no usable encryptor, an error): never a clear send. */
  private final Action onFailure;
  private final boolean splitPerRecipient;

  private EncryptSpec(EncryptOptions options, Action onMissingKey, Action onFailure, boolean splitPerRecipient) {
    this.options = Objects.requireNonNull(options);
    this.onMissingKey = Objects.requireNonNull(onMissingKey);
    this.onFailure = Objects.requireNonNull(onFailure);
    this.splitPerRecipient = splitPerRecipient;
  }

  /** With the default failure action, {@code tempfail}. */
  public static EncryptSpec of(EncryptOptions.Format format, Action onMissingKey, boolean splitPerRecipient,
      String outerSubject) {
    return of(format, onMissingKey, Action.TEMPFAIL, splitPerRecipient, outerSubject);
  }

  public static EncryptSpec of(EncryptOptions.Format format, Action onMissingKey, Action onFailure,
      boolean splitPerRecipient, String outerSubject) {
    return new EncryptSpec(EncryptOptions.of(format, outerSubject), onMissingKey, onFailure, splitPerRecipient);
  }

  /** What a rule without an {@code encrypt:} mapping gets: prefer-pgp, hold without key, tempfail on failure. */
  public static EncryptSpec defaults() {
    return of(EncryptOptions.Format.PREFER_PGP, Action.HOLD, Action.TEMPFAIL, false, null);
  }

  /** The options as given (format, outer subject, S/MIME algorithms per recipient); failure: tempfail. */
  public static EncryptSpec of(EncryptOptions options, Action onMissingKey, boolean splitPerRecipient) {
    return of(options, onMissingKey, Action.TEMPFAIL, splitPerRecipient);
  }

  public static EncryptSpec of(EncryptOptions options, Action onMissingKey, Action onFailure,
      boolean splitPerRecipient) {
    return new EncryptSpec(options, onMissingKey, onFailure, splitPerRecipient);
  }

  /** What the gateway encryptor needs: format, outer subject, S/MIME algorithms. */
  public EncryptOptions options() { return options; }
  public EncryptOptions.Format format() { return options.format(); }
  /** One of TAG (send clear and tag), TEMPFAIL, REJECT, HOLD. */
  public Action onMissingKey() { return onMissingKey; }
  /** One of TEMPFAIL, REJECT, HOLD: when no encryptor can be had or encrypting fails. */
  public Action onFailure() { return onFailure; }
  public boolean splitPerRecipient() { return splitPerRecipient; }
  /** The Subject that replaces the original outside the encrypted part; empty keeps it. */
  public Optional<String> outerSubject() { return options.outerSubject(); }
}
