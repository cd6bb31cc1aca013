package org.caliop.james;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.caliop.facts.HeaderEdit;
import org.caliop.facts.TrustSettings;
import org.caliop.header.ForeignEdits;
import org.caliop.message.ForeignFields;

/**
 * Applies the engine's header edits to a javax.mail message: removals by name (every field of it) or by name and
 * original occurrence, changes of a value in place by name and original occurrence (a field both changed and removed
 * is removed), then additions at the top of the header section, top first. javax.mail can neither remove the n-th
 * field of a name nor insert at the top, so the header section is rebuilt line by line, keeping every other field
 * raw and in order.
 *
 * <p>Foreign fields go by name in the message James delivers: javax.mail's own header lines, which it splits at a
 * bare CR too, so a field hidden after one is a line of its own here and goes with its name.
 */
public final class HeaderEditor {
  private HeaderEditor() {
  }

  /** @return whether the message changed */
  public static boolean apply(MimeMessage message, List<HeaderEdit> edits) throws MessagingException {
    return apply(message, edits, name -> false);
  }

  /**
   * @param alsoRemove names whose every field goes too: what the trust settings call foreign, judged on the lines
   *     of the message James delivers rather than on what the engine saw
   * @return whether the message changed
   */
  public static boolean apply(MimeMessage message, List<HeaderEdit> edits, Predicate<String> alsoRemove)
      throws MessagingException {
    List<String> lines = Collections.list(message.getAllHeaderLines());
    List<String> kept = edited(lines, edits, alsoRemove);
    if (kept.equals(lines)) {
      return false;
    }
    Set<String> names = new LinkedHashSet<>();
    for (String line : lines) {
      names.add(nameOf(line));
    }
    for (String name : names) {
      message.removeHeader(name);
    }
    for (String line : kept) {
      message.addHeaderLine(line);
    }
    return true;
  }

  /**
   * The header lines of {@code message} as they are after {@code edits} and {@code alsoRemove} (as in
   * {@link #apply(MimeMessage, List, Predicate)}), top first, without changing the message: additions first (in
   * order), then every field not removed, raw and in order.
   */
  public static List<String> edited(MimeMessage message, List<HeaderEdit> edits, Predicate<String> alsoRemove)
      throws MessagingException {
    return edited(Collections.list(message.getAllHeaderLines()), edits, alsoRemove);
  }

  private static List<String> edited(List<String> lines, List<HeaderEdit> edits, Predicate<String> alsoRemove) {
    Map<String, Set<Integer>> removals = new HashMap<>();
    Set<String> removeAll = new HashSet<>();
    Map<String, Map<Integer, String>> changes = new HashMap<>();
    List<String> additions = new ArrayList<>();
    for (HeaderEdit edit : edits) {
      switch (edit.kind()) {
        case REMOVE:
          removals.computeIfAbsent(lower(edit.name()), k -> new HashSet<>()).add(edit.occurrence());
          break;
        case REMOVE_ALL:
          removeAll.add(lower(edit.name()));
          break;
        case REPLACE:
          changes.computeIfAbsent(lower(edit.name()), k -> new HashMap<>()).put(edit.occurrence(),
              edit.name() + ": " + edit.value());
          break;
        default:
          additions.add(edit.name() + ": " + edit.value());
      }
    }
    List<String> kept = new ArrayList<>(additions);
    Map<String, Integer> seen = new HashMap<>();
    for (String line : lines) {
      String name = nameOf(line);
      String key = lower(name);
      int occurrence = seen.merge(key, 1, Integer::sum);
      if (!removeAll.contains(key) && !alsoRemove.test(name)
          && !removals.getOrDefault(key, Set.of()).contains(occurrence)) {
        kept.add(changes.getOrDefault(key, Map.of()).getOrDefault(occurrence, line));
      }
    }
    return kept;
  }

  /**
   * The edits that remove (or rename) every field {@code trust} calls foreign in the message as James holds it:
   * {@code StripForeignHeaders}' work, and {@code CaliopScore}'s when the engine could not judge the message.
   */
  public static List<HeaderEdit> foreignEdits(MimeMessage message, TrustSettings trust) throws MessagingException {
    // Past ForeignFields' bounds the list stops growing: apply these with the trust settings' name test as
    // alsoRemove, which removes every foreign line whatever the count (only renaming stops at the bound).
    ForeignFields foreign = ForeignEdits.counter(trust);
    for (String line : Collections.list(message.getAllHeaderLines())) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        foreign.field(line.substring(0, colon).trim(), line.substring(colon + 1));
      }
    }
    List<HeaderEdit> edits = new ArrayList<>(ForeignEdits.removals(foreign));
    edits.addAll(ForeignEdits.renamed(foreign, trust));
    return edits;
  }

  private static String nameOf(String line) {
    int colon = line.indexOf(':');
    return (colon < 0 ? line : line.substring(0, colon)).trim();
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
