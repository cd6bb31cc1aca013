package org.caliop.james;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.caliop.facts.HeaderEdit;

/**
 * Applies the engine's header edits to a javax.mail message: removals and changes of a value in place by name and
 * original occurrence (a field both changed and removed is removed), then additions at the top of the header section, top first. javax.mail can neither remove the n-th field of a name nor
 * insert at the top, so the header section is rebuilt line by line, keeping every other field raw and in order.
 */
public final class HeaderEditor {
  private HeaderEditor() {
  }

  /** @return whether the message changed */
  public static boolean apply(MimeMessage message, List<HeaderEdit> edits) throws MessagingException {
    if (edits.isEmpty()) {
      return false;
    }
    Set<String> names = new LinkedHashSet<>();
    for (String line : Collections.list(message.getAllHeaderLines())) {
      names.add(nameOf(line));
    }
    List<String> kept = edited(message, edits);
    for (String name : names) {
      message.removeHeader(name);
    }
    for (String line : kept) {
      message.addHeaderLine(line);
    }
    return true;
  }

  /**
   * The header lines of {@code message} as they are after {@code edits}, top first, without changing the message:
   * additions first (in order), then every field not removed, raw and in order.
   */
  public static List<String> edited(MimeMessage message, List<HeaderEdit> edits) throws MessagingException {
    Map<String, Set<Integer>> removals = new HashMap<>();
    Map<String, Map<Integer, String>> changes = new HashMap<>();
    List<String> additions = new ArrayList<>();
    for (HeaderEdit edit : edits) {
      if (edit.kind() == HeaderEdit.Kind.REMOVE) {
        removals.computeIfAbsent(lower(edit.name()), k -> new HashSet<>()).add(edit.occurrence());
      } else if (edit.kind() == HeaderEdit.Kind.REPLACE) {
        changes.computeIfAbsent(lower(edit.name()), k -> new HashMap<>()).put(edit.occurrence(),
            edit.name() + ": " + edit.value());
      } else {
        additions.add(edit.name() + ": " + edit.value());
      }
    }
    List<String> kept = new ArrayList<>(additions);
    Map<String, Integer> seen = new HashMap<>();
    Enumeration<String> lines = message.getAllHeaderLines();
    for (String line : Collections.list(lines)) {
      String key = lower(nameOf(line));
      int occurrence = seen.merge(key, 1, Integer::sum);
      if (!removals.getOrDefault(key, Set.of()).contains(occurrence)) {
        kept.add(changes.getOrDefault(key, Map.of()).getOrDefault(occurrence, line));
      }
    }
    return kept;
  }

  private static String nameOf(String line) {
    int colon = line.indexOf(':');
    return (colon < 0 ? line : line.substring(0, colon)).trim();
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
