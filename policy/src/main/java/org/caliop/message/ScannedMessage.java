package org.caliop.message;

import java.util.List;
import java.util.Objects;
import org.caliop.mime.ContentProtection;

/** What one streaming pass over a message found: the header fields the engine needs and the content protection. */
public final class ScannedMessage {
  private final List<String> received;
  private final List<String> authenticationResults;
  private final ForeignFields foreignFields;
  private final ContentProtection content;
  private final long size;
  private final List<String> diagnostics;

  private ScannedMessage(List<String> received, List<String> authenticationResults, ForeignFields foreignFields,
      ContentProtection content, long size, List<String> diagnostics) {
    this.received = List.copyOf(received);
    this.authenticationResults = List.copyOf(authenticationResults);
    this.foreignFields = Objects.requireNonNull(foreignFields);
    this.content = Objects.requireNonNull(content);
    this.size = size;
    this.diagnostics = List.copyOf(diagnostics);
  }

  public static ScannedMessage of(List<String> received, List<String> authenticationResults,
      ForeignFields foreignFields, ContentProtection content, long size, List<String> diagnostics) {
    return new ScannedMessage(received, authenticationResults, foreignFields, content, size, diagnostics);
  }

  /** Unfolded {@code Received:} values, topmost (newest) first. */
  public List<String> received() {
    return received;
  }

  /** Unfolded {@code Authentication-Results:} values, topmost first, not yet filtered by authserv-id. */
  public List<String> authenticationResults() {
    return authenticationResults;
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
