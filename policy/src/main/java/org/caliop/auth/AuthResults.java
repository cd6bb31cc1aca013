package org.caliop.auth;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the engine believes about who sent the message: for each method, the result one of our authserv-ids wrote
 * inside our trusted run (the topmost believed field that speaks of it), judged against the {@code From:} domain
 * ({@link Alignment}); and how many fields claiming our id were not believed.
 */
public final class AuthResults {
  private static final AuthResults NONE = new AuthResults(new EnumMap<>(AuthMethod.class), List.of());

  private final Map<AuthMethod, MethodResult> results;
  private final List<AuthResultsHeader> refused;

  private AuthResults(Map<AuthMethod, MethodResult> results, List<AuthResultsHeader> refused) {
    this.results = results;
    this.refused = List.copyOf(refused);
  }

  /** Nothing trusted was said. */
  public static AuthResults none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Optional<MethodResult> get(AuthMethod method) {
    return Optional.ofNullable(results.get(method));
  }

  public Optional<MethodResult> dkim() { return get(AuthMethod.DKIM); }
  public Optional<MethodResult> spf() { return get(AuthMethod.SPF); }
  public Optional<MethodResult> dmarc() { return get(AuthMethod.DMARC); }
  public Optional<MethodResult> arc() { return get(AuthMethod.ARC); }

  /** Whether a believed result of this method is an aligned pass: what earns points and meets a requirement. */
  public boolean alignedPass(AuthMethod method) {
    MethodResult r = results.get(method);
    return r != null && r.alignedPass();
  }

  /** No believed result at all. */
  public boolean isEmpty() {
    return results.isEmpty();
  }

  /** How many fields claiming one of our authserv-ids were not believed. */
  public int notBelieved() {
    return refused.size();
  }

  /** The fields claiming one of our authserv-ids that were not believed: the engine takes them out of the message. */
  public List<AuthResultsHeader> refused() {
    return refused;
  }

  /** Collects one result per method; the first one given for a method stays. */
  public static final class Builder {
    private final Map<AuthMethod, MethodResult> results = new EnumMap<>(AuthMethod.class);
    private List<AuthResultsHeader> refused = List.of();

    private Builder() {
    }

    public Builder add(MethodResult r) {
      results.putIfAbsent(r.method(), r);
      return this;
    }

    public Builder refused(List<AuthResultsHeader> fields) {
      refused = List.copyOf(fields);
      return this;
    }

    public AuthResults build() {
      return results.isEmpty() && refused.isEmpty() ? NONE : new AuthResults(new EnumMap<>(results), refused);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthResults && ((AuthResults) o).results.equals(results)
        && ((AuthResults) o).refused.equals(refused);
  }

  @Override
  public int hashCode() {
    return Objects.hash(results, refused);
  }

  @Override
  public String toString() {
    return "AuthResults" + results.values() + (refused.isEmpty() ? "" : " not believed: " + refused);
  }
}
