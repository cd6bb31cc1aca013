package org.caliop.facts;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The SMTP envelope: reverse path and forward paths, as bare addresses without angle brackets. */
public final class Envelope {
  private static final Envelope EMPTY = new Envelope(null, List.of());

  private final String sender;
  private final List<String> recipients;

  private Envelope(String sender, List<String> recipients) {
    this.sender = sender == null || sender.isEmpty() ? null : sender;
    this.recipients = List.copyOf(recipients);
  }

  public static Envelope of(String sender, List<String> recipients) {
    return new Envelope(sender, Objects.requireNonNull(recipients));
  }

  /** No envelope known (the CLI scoring stored files). */
  public static Envelope empty() {
    return EMPTY;
  }

  /** Empty for the null reverse path ({@code MAIL FROM:<>}) or when unknown. */
  public Optional<String> sender() {
    return Optional.ofNullable(sender);
  }

  public List<String> recipients() {
    return recipients;
  }

  @Override
  public String toString() {
    return "Envelope[from=" + sender + ", to=" + recipients + "]";
  }
}
