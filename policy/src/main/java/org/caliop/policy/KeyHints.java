package org.caliop.policy;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What to tell an admin about a key caliop does not know where he wrote it: the known key it is a misspelling of, or
 * where in a policy file it belongs, or else the keys expected there.
 */
final class KeyHints {
  private KeyHints() {
  }

  /** The message for {@code key}, unknown {@code where} ("in trust", "at the top of a policy file"...). */
  static String unknownKey(String key, List<String> known, String where) {
    String near = nearest(key, known);
    String hint = near != null ? "did you mean '" + near + "'?" : placement(key, where);
    return "unknown key '" + key + "' " + where + " (" + (hint != null ? hint
        : "expected one of: " + String.join(", ", known)) + ")";
  }

  static String nearest(String key, List<String> known) {
    return Spelling.nearest(key, known);
  }

  /** Where a key that is valid elsewhere in a policy file belongs, or null. */
  private static String placement(String key, String where) {
    String k = key.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    boolean top = where.startsWith("at the top");
    if (ValueChecks.direction(k) != null) {
      return k + " blocks go inside global:, a domain or a user entry";
    }
    if (k.equals("encrypt") || k.equals("applies_to") || Knob.byKey(k).filter(x -> !x.key().startsWith(
        Knob.ENCRYPT_PREFIX)).isPresent()) {
      return top ? k + " is a rule key: it goes under global:, a domain or a user entry"
          : where.equals("in encrypt") ? k + " is a rule key: it goes beside encrypt:, not inside it"
          : k + " is a rule key";
    }
    if (!top && PolicyCompiler.TOP_KEYS.contains(k)) {
      return k + " belongs at the top of the policy file";
    }
    for (Map.Entry<String, List<String>> section : Map.of("trust", TrustSection.KEYS, "limits", LimitsSection.KEYS,
        "encryption", EncryptionSection.KEYS).entrySet()) {
      if (section.getValue().contains(k)) {
        return k + " belongs in " + section.getKey() + ":";
      }
    }
    if (top && k.indexOf('@') > 0) {
      return "an address: user entries go under users:";
    }
    if (top && k.indexOf('.') > 0) {
      return "a domain? domain entries go under domains:";
    }
    return null;
  }
}
