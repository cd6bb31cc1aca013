package org.caliop.policy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.caliop.geo.Jurisdictions;

/**
 * The value of {@code require_jurisdictions} or {@code deny_jurisdictions}: the entries as written ({@code EU},
 * {@code CH}) for messages, and the country codes they stand for, expanded once when the policy is compiled.
 */
final class JurisdictionList {
  private final List<String> written;
  private final Set<String> codes;

  private JurisdictionList(List<String> written, Set<String> codes) {
    this.written = List.copyOf(written);
    this.codes = Set.copyOf(codes);
  }

  /** @param entries group names or ISO 3166-1 alpha-2 codes, each already checked with {@link #problem} */
  static JurisdictionList of(List<String> entries) {
    Set<String> codes = new TreeSet<>();
    List<String> written = new java.util.ArrayList<>(new LinkedHashSet<>(entries));
    for (String e : written) {
      codes.addAll(Jurisdictions.expand(e).orElseThrow());
    }
    return new JurisdictionList(written, codes);
  }

  /** Null when the entry is a group name or a country code, else what is wrong with it. */
  static String problem(String entry) {
    if (Jurisdictions.expand(entry).isPresent()) {
      return null;
    }
    return "not a two-letter ISO 3166-1 country code nor a group (" + String.join(", ", Jurisdictions.groupNames())
        + ")";
  }

  boolean contains(String countryCode) {
    return codes.contains(countryCode);
  }

  /** "EU, CH": as the policy wrote it. */
  String text() {
    return String.join(", ", written);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JurisdictionList && ((JurisdictionList) o).codes.equals(codes)
        && ((JurisdictionList) o).written.equals(written);
  }

  @Override
  public int hashCode() {
    return codes.hashCode();
  }

  @Override
  public String toString() {
    return text();
  }
}
