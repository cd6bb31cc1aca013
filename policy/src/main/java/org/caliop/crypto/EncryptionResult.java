package org.caliop.crypto;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.caliop.facts.HeaderEdit;

/**
 * What gateway encryption did to one message. When {@link #status()} is {@link Status#ENCRYPTED}, the adapter
 * applies {@link #headerEdits()} (content headers replaced, Subject possibly replaced) and replaces the body with
 * what was written to the output stream.
 */
public final class EncryptionResult {
  public enum Status {
    /** The new body was written; apply the header edits. */
    ENCRYPTED,
    /**
     * All of the content is ciphertext already: pass the message through untouched, and discard whatever was written
     * to the output (the body was encrypted while it was being read, before the answer was known).
     */
    ALREADY_PROTECTED,
    /** At least one recipient has no usable key: nothing written; the spec's on-missing-key action applies. */
    MISSING_KEYS
  }

  private final Status status;
  private final String format;
  private final List<HeaderEdit> headerEdits;
  private final List<String> recipientsWithoutKey;

  private EncryptionResult(Status status, String format, List<HeaderEdit> headerEdits,
      List<String> recipientsWithoutKey) {
    this.status = Objects.requireNonNull(status);
    this.format = format;
    this.headerEdits = List.copyOf(headerEdits);
    this.recipientsWithoutKey = List.copyOf(recipientsWithoutKey);
  }

  public static EncryptionResult encrypted(String format, List<HeaderEdit> headerEdits) {
    return new EncryptionResult(Status.ENCRYPTED, format, headerEdits, List.of());
  }

  public static EncryptionResult alreadyProtected() {
    return new EncryptionResult(Status.ALREADY_PROTECTED, null, List.of(), List.of());
  }

  public static EncryptionResult missingKeys(List<String> recipientsWithoutKey) {
    return new EncryptionResult(Status.MISSING_KEYS, null, List.of(), recipientsWithoutKey);
  }

  public Status status() { return status; }
  /** {@code pgp-mime} or {@code smime} when encrypted. */
  public Optional<String> format() { return Optional.ofNullable(format); }
  public List<HeaderEdit> headerEdits() { return headerEdits; }
  public List<String> recipientsWithoutKey() { return recipientsWithoutKey; }
}
