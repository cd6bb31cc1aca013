package org.caliop.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * "Did you mean": the configuration key an administrator most likely meant when he wrote one that does not exist,
 * for policy files and the milter's {@code caliop_*} settings alike.
 */
public final class Spelling {
  private Spelling() {
  }

  /**
   * The known key the admin most likely meant: the same words spelled with {@code -} or in capitals, the same words
   * in another order ({@code tls_min_version}), a few typing slips (at most two edits, one for short keys), or the one
   * key that begins with what was written ({@code min_tls}). Null when nothing is close.
   */
  public static String nearest(String key, Collection<String> known) {
    String k = key.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    if (known.contains(k)) {
      return k;
    }
    Set<String> words = new HashSet<>(Arrays.asList(k.split("_")));
    for (String c : known) {
      if (words.size() > 1 && words.equals(new HashSet<>(Arrays.asList(c.split("_"))))) {
        return c;
      }
    }
    String best = null;
    int bestDistance = k.length() <= 4 ? 2 : 3;
    for (String c : known) {
      int d = distance(k, c);
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    if (best != null || k.length() < 4) {
      return best;
    }
    List<String> starting = new ArrayList<>();
    for (String c : known) {
      if (c.startsWith(k)) {
        starting.add(c);
      }
    }
    return starting.size() == 1 ? starting.get(0) : null;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

}
