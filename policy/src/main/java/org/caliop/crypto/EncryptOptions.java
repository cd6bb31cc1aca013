package org.caliop.crypto;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the gateway encrypts one message: the format, the Subject shown outside the encrypted part, and the S/MIME
 * algorithms each recipient's client can open (a default, and per recipient where the policy says otherwise). What
 * to do when a key is missing is not here: that is the policy's answer, given by the engine. Immutable.
 */
public final class EncryptOptions {
  /** Which format to use for a recipient. */
  public enum Format { PGP, SMIME, PREFER_PGP, PREFER_SMIME }

  private final Format format;
  private final String outerSubject;
  private final SmimeAlgorithms smimeDefault;
  private final Map<String, SmimeAlgorithms> smimeByRecipient;

  private EncryptOptions(Format format, String outerSubject, SmimeAlgorithms smimeDefault,
      Map<String, SmimeAlgorithms> smimeByRecipient) {
    this.format = Objects.requireNonNull(format);
    this.outerSubject = outerSubject;
    this.smimeDefault = Objects.requireNonNull(smimeDefault);
    this.smimeByRecipient = Map.copyOf(smimeByRecipient);
  }

  /** {@code format} and outer subject (null keeps the Subject), S/MIME with {@link SmimeAlgorithms#DEFAULT}. */
  public static EncryptOptions of(Format format, String outerSubject) {
    return new EncryptOptions(format, outerSubject, SmimeAlgorithms.DEFAULT, Map.of());
  }

  /** The same options with {@code algorithms} for every recipient not named with {@link #withSmimeFor}. */
  public EncryptOptions withSmime(SmimeAlgorithms algorithms) {
    return new EncryptOptions(format, outerSubject, algorithms, smimeByRecipient);
  }

  /** The same options with {@code algorithms} for {@code recipient} (compared as a bare, lower-case address). */
  public EncryptOptions withSmimeFor(String recipient, SmimeAlgorithms algorithms) {
    Objects.requireNonNull(algorithms);
    Map<String, SmimeAlgorithms> m = new HashMap<>(smimeByRecipient);
    m.put(key(recipient), algorithms);
    return new EncryptOptions(format, outerSubject, smimeDefault, m);
  }

  public Format format() { return format; }
  /** The Subject that replaces the original outside the encrypted part; empty keeps it. */
  public Optional<String> outerSubject() { return Optional.ofNullable(outerSubject); }

  /** The S/MIME algorithms for {@code recipient}'s client. */
  public SmimeAlgorithms smimeFor(String recipient) {
    return smimeByRecipient.getOrDefault(key(recipient), smimeDefault);
  }

  /** The algorithms for recipients the options do not name. */
  public SmimeAlgorithms smimeDefault() { return smimeDefault; }

  private static String key(String recipient) {
    return RecipientAddresses.normalize(recipient).orElse(recipient.trim());
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof EncryptOptions)) {
      return false;
    }
    EncryptOptions e = (EncryptOptions) o;
    return format == e.format && Objects.equals(outerSubject, e.outerSubject) && smimeDefault.equals(e.smimeDefault)
        && smimeByRecipient.equals(e.smimeByRecipient);
  }

  @Override
  public int hashCode() {
    return Objects.hash(format, outerSubject, smimeDefault, smimeByRecipient);
  }
}
