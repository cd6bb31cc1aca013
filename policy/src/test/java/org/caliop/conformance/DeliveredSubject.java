package org.caliop.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.caliop.facts.HeaderEdit;

/**
 * The first {@code Subject:} a message has once the engine's header edits are applied, as the adapters apply them
 * (changes in place, removals, additions at the top): what the engine's own row of the table delivers.
 */
public final class DeliveredSubject {
  private DeliveredSubject() {
  }

  /** The first Subject's value after {@code edits}, unfolded and not decoded; empty when there is none. */
  public static String after(byte[] message, List<HeaderEdit> edits) {
    List<String> subjects = subjects(message);
    for (HeaderEdit e : edits) {
      if (!e.name().equalsIgnoreCase("Subject")) {
        continue;
      }
      if (e.kind() == HeaderEdit.Kind.ADD) {
        subjects.add(0, e.value());
      } else if (e.occurrence() >= 1 && e.occurrence() <= subjects.size()) {
        subjects.set(e.occurrence() - 1, e.kind() == HeaderEdit.Kind.REPLACE ? e.value() : null);
      }
    }
    subjects.removeIf(s -> s == null);
    return subjects.isEmpty() ? "" : Outcome.unfold(subjects.get(0)).strip();
  }

  /** The values of the message's Subject fields, top first, folds kept. */
  static List<String> subjects(byte[] message) {
    String text = new String(message, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    String[] lines = (end < 0 ? text : text.substring(0, end)).split("\r\n");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].toLowerCase(Locale.ROOT).startsWith("subject:")) {
        StringBuilder v = new StringBuilder(lines[i].substring("subject:".length()));
        while (i + 1 < lines.length && (lines[i + 1].startsWith(" ") || lines[i + 1].startsWith("\t"))) {
          v.append("\r\n").append(lines[++i]);
        }
        out.add(v.toString().strip());
      }
    }
    return out;
  }
}
