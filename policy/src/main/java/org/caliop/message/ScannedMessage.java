package org.caliop.message;

import java.util.List;
import java.util.Objects;
import org.caliop.auth.AuthResultsHeader;
import org.caliop.mime.ContentProtection;

/** What one streaming pass over a message found: the header fields the engine needs and the content protection. */
public final class ScannedMessage {
  private final List<String> received;
  private final List<AuthResultsHeader> authenticationResults;
  private final List<String> from;
  private final List<String> arcSeals;
  private final ForeignFields foreignFields;
  private final List<HeaderField> subjects;
  private final ContentProtection content;
  private final long size;
  private final List<String> diagnostics;

  private ScannedMessage(List<String> received, List<AuthResultsHeader> authenticationResults,
      ForeignFields foreignFields, ContentProtection content, long size, List<String> diagnostics,
      List<String> from, List<String> arcSeals, List<HeaderField> subjects) {
    this.received = List.copyOf(received);
    this.authenticationResults = List.copyOf(authenticationResults);
    this.from = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(from));
    this.arcSeals = List.copyOf(arcSeals);
    this.foreignFields = Objects.requireNonNull(foreignFields);
    this.subjects = List.copyOf(subjects);
    this.content = Objects.requireNonNull(content);
    this.size = size;
    this.diagnostics = List.copyOf(diagnostics);
  }

  public static ScannedMessage of(List<String> received, List<AuthResultsHeader> authenticationResults,
      ForeignFields foreignFields, ContentProtection content, long size, List<String> diagnostics) {
    return new ScannedMessage(received, authenticationResults, foreignFields, content, size, diagnostics, List.of(),
        List.of(), List.of());
  }

  /** The same scan with the fields that say who the author is: {@code From:} and {@code ARC-Seal}. */
  public ScannedMessage withAuthorFields(List<String> fromValues, List<String> arcSealValues) {
    return new ScannedMessage(received, authenticationResults, foreignFields, content, size, diagnostics, fromValues,
        arcSealValues, subjects);
  }

  /** The same scan with the message's {@code Subject:} fields. */
  public ScannedMessage withSubjects(List<HeaderField> subjectFields) {
    return new ScannedMessage(received, authenticationResults, foreignFields, content, size, diagnostics, from,
        arcSeals, subjectFields);
  }

  /**
   * Every top-level {@code Subject:} field (normally one), unfolded, not decoded, with its occurrence; a value not
   * kept whole says so ({@link HeaderField#isCut()}). Counted wherever it stands, as foreign fields are.
   */
  public List<HeaderField> subjects() {
    return subjects;
  }

  /** Unfolded {@code Received:} values, topmost (newest) first. */
  public List<String> received() {
    return received;
  }

  /** Every {@code Authentication-Results:} field, parsed, with where it stood; topmost first, nothing judged yet. */
  public List<AuthResultsHeader> authenticationResults() {
    return authenticationResults;
  }

  /**
   * Unfolded values of the top-level {@code From:} fields, at most two (two already make the author ambiguous); an
   * entry is null when its value was over the header budget.
   */
  public List<String> from() {
    return from;
  }

  /** Unfolded {@code ARC-Seal:} values, at most 50. */
  public List<String> arcSeals() {
    return arcSeals;
  }

  /** The top-level fields only our servers may write, counted per name (complete, or saying it overflowed). */
  public ForeignFields foreignFields() {
    return foreignFields;
  }

  public ContentProtection content() {
    return content;
  }

  /** Bytes read, headers included. */
  public long size() {
    return size;
  }

  /** Stable codes for what was odd or cut short ({@code header-field-truncated}, {@code too-many-parts} ...). */
  public List<String> diagnostics() {
    return diagnostics;
  }
}
