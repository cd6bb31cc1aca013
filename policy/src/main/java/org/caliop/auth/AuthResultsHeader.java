package org.caliop.auth;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code Authentication-Results} field of the message, parsed once: who wrote it (the authserv-id, lower case;
 * absent when the field names none, as Microsoft writes them), its results, and where it stood: which occurrence
 * of the name it is (1 = topmost, as the milter protocol counts) and how many {@code Received:} fields were above
 * it (RFC 8601 §5: where a field stands tells who could have written it).
 */
public final class AuthResultsHeader {
  private final String authservId;
  private final List<MethodResult> results;
  private final String value;
  private final int occurrence;
  private final int receivedAbove;

  private AuthResultsHeader(String authservId, List<MethodResult> results, String value, int occurrence,
      int receivedAbove) {
    this.authservId = authservId;
    this.results = List.copyOf(results);
    this.value = value;
    this.occurrence = occurrence;
    this.receivedAbove = receivedAbove;
  }

  /**
   * @param value the unfolded value; null when the message was too large for it to be kept (then the field is
   *     unreadable: nothing in it is believed, and it is taken out like a forgery, since it may claim our id)
   */
  public static AuthResultsHeader of(String authservId, List<MethodResult> results, String value, int occurrence,
      int receivedAbove) {
    return new AuthResultsHeader(authservId, results, value, occurrence, receivedAbove);
  }

  /** A field whose value was not kept (over the header budget). */
  public static AuthResultsHeader unreadable(int occurrence, int receivedAbove) {
    return new AuthResultsHeader(null, List.of(), null, occurrence, receivedAbove);
  }

  public Optional<String> authservId() { return Optional.ofNullable(authservId); }
  public List<MethodResult> results() { return results; }
  /** The unfolded value as it arrived, for renaming; empty when unreadable. */
  public Optional<String> value() { return Optional.ofNullable(value); }
  public boolean readable() { return value != null; }
  public int occurrence() { return occurrence; }
  public int receivedAbove() { return receivedAbove; }

  /** The methods of ours this field speaks of ({@code dkim-atps}, {@code iprev} and the like are not counted). */
  public Set<AuthMethod> methods() {
    Set<AuthMethod> m = EnumSet.noneOf(AuthMethod.class);
    for (MethodResult r : results) {
      m.add(r.method());
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AuthResultsHeader)) {
      return false;
    }
    AuthResultsHeader h = (AuthResultsHeader) o;
    return occurrence == h.occurrence && receivedAbove == h.receivedAbove && Objects.equals(authservId, h.authservId)
        && results.equals(h.results) && Objects.equals(value, h.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(authservId, results, value, occurrence, receivedAbove);
  }

  @Override
  public String toString() {
    return "Authentication-Results[" + occurrence + ", " + receivedAbove + " Received above]: " + authservId + " "
        + results;
  }
}
