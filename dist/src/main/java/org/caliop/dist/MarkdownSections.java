package org.caliop.dist;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Markdown document cut at its headings (outside code blocks): the text before the first heading, then one part
 * per heading with everything up to the next heading of the same or a higher level. Lets a man page take one
 * section of a doc ({@code ### caliop_listen (default: ...)} of docs/milter.md) or leave one out.
 */
final class MarkdownSections {
  /** A heading with its level, its title as written, and the Markdown under it (sub-sections included). */
  record Section(int level, String title, String body, int start, int end) {
  }

  private final List<String> lines;
  private final String preamble;
  private final List<Section> sections;

  private MarkdownSections(List<String> lines, String preamble, List<Section> sections) {
    this.lines = lines;
    this.preamble = preamble;
    this.sections = sections;
  }

  static MarkdownSections of(String markdown) {
    List<String> lines = markdown.lines().toList();
    List<int[]> headings = new ArrayList<>();
    boolean fenced = false;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.startsWith("```")) {
        fenced = !fenced;
      } else if (!fenced && l.startsWith("#")) {
        int level = 0;
        while (level < l.length() && l.charAt(level) == '#') {
          level++;
        }
        if (level < l.length() && l.charAt(level) == ' ') {
          headings.add(new int[] {i, level});
        }
      }
    }
    int first = headings.isEmpty() ? lines.size() : headings.get(0)[0];
    String preamble = String.join("\n", lines.subList(0, first)) + "\n";
    List<Section> sections = new ArrayList<>();
    for (int h = 0; h < headings.size(); h++) {
      int start = headings.get(h)[0];
      int level = headings.get(h)[1];
      int end = lines.size();
      for (int k = h + 1; k < headings.size(); k++) {
        if (headings.get(k)[1] <= level) {
          end = headings.get(k)[0];
          break;
        }
      }
      sections.add(new Section(level, lines.get(start).substring(level + 1).trim(),
          String.join("\n", lines.subList(start + 1, end)) + "\n", start, end));
    }
    return new MarkdownSections(lines, preamble, List.copyOf(sections));
  }

  /** What comes before the first heading (the document's title line included, when it has one). */
  String preamble() {
    return preamble;
  }

  /** The sections of one level, in order. */
  List<Section> level(int level) {
    return sections.stream().filter(s -> s.level() == level).toList();
  }

  /** The first section whose title is {@code title} or starts with {@code title + " "}. */
  Optional<Section> find(String title) {
    return sections.stream().filter(s -> s.title().equals(title) || s.title().startsWith(title + " ")).findFirst();
  }

  /** The whole document without the sections (and their sub-sections) titled {@code titles}; each must exist. */
  String without(String... titles) {
    boolean[] drop = new boolean[lines.size()];
    for (String t : titles) {
      Section s = find(t).orElseThrow(() -> new IllegalArgumentException("no section '" + t + "'"));
      for (int i = s.start(); i < s.end(); i++) {
        drop[i] = true;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      if (!drop[i]) {
        sb.append(lines.get(i)).append('\n');
      }
    }
    return sb.toString();
  }

  /** The text between the heading and its first sub-heading. */
  static String intro(Section s) {
    return of(s.body()).preamble();
  }
}
