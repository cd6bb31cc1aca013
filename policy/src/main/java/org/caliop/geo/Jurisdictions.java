package org.caliop.geo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Country codes and named groups of them ({@code EU}, {@code EEA}) as policies write them. The groups come from one
 * dated resource file, {@code jurisdictions.properties}, so a change of membership is one reviewed edit.
 */
public final class Jurisdictions {
  private static final String RESOURCE = "jurisdictions.properties";
  private static final Map<String, Set<String>> GROUPS;
  private static final String AS_OF;

  static {
    Properties p = new Properties();
    try (InputStream in = Jurisdictions.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    AS_OF = p.getProperty("as_of");
    Map<String, Set<String>> groups = new TreeMap<>();
    for (String name : p.stringPropertyNames()) {
      if (!name.equals("as_of")) {
        groups.put(name.toUpperCase(Locale.ROOT), Set.of(p.getProperty(name).trim().split("\\s+")));
      }
    }
    GROUPS = java.util.Collections.unmodifiableMap(groups); // sorted: messages list the names in one order
  }

  private Jurisdictions() {
  }

  /**
   * The codes a policy entry stands for: a group name ({@code EU}, {@code eea}) gives its members, a two-letter
   * ISO 3166-1 alpha-2 code (any case) gives itself in upper case; anything else is empty.
   */
  public static Optional<Set<String>> expand(String entry) {
    String e = entry.trim().toUpperCase(Locale.ROOT);
    Set<String> group = GROUPS.get(e);
    if (group != null) {
      return Optional.of(group);
    }
    return isCountryCode(e) ? Optional.of(Set.of(e)) : Optional.empty();
  }

  /** Two ASCII letters, upper case. */
  public static boolean isCountryCode(String code) {
    return code.length() == 2 && code.charAt(0) >= 'A' && code.charAt(0) <= 'Z' && code.charAt(1) >= 'A'
        && code.charAt(1) <= 'Z';
  }

  /** The group names in alphabetical order, for messages. */
  public static Set<String> groupNames() {
    return GROUPS.keySet();
  }

  /** The date the group membership is correct as of (yyyy-mm-dd). */
  public static String groupsAsOf() {
    return AS_OF;
  }
}
