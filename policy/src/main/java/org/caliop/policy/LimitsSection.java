package org.caliop.policy;

import java.util.List;
import java.util.Map;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.caliop.message.ScanLimits;

/** Reads the {@code limits:} section: how much of a message is read, each bound a whole number within its range. */
final class LimitsSection {
  static final List<String> KEYS = List.of("max_header_fields", "max_header_field_bytes",
      "max_header_section_bytes", "max_nesting_depth", "max_parts", "max_inspect_bytes", "max_part_inspect_bytes");

  private final PolicyTree tree;
  private final ProblemSink problems;

  LimitsSection(PolicyTree tree, ProblemSink problems) {
    this.tree = tree;
    this.problems = problems;
  }

  ScanLimits read(ImmutableNode node) {
    ScanLimits d = ScanLimits.defaults();
    if (node == null) {
      return d;
    }
    long[] v = {d.maxHeaderFields(), d.maxHeaderFieldBytes(), d.maxHeaderSectionBytes(), d.maxNestingDepth(),
        d.maxParts(), d.maxInspectBytes(), d.maxPartInspectBytes()};
    for (Map.Entry<String, List<ImmutableNode>> e : tree.children(node, List.of("limits")).entrySet()) {
      List<String> p = List.of("limits", e.getKey());
      int i = KEYS.indexOf(e.getKey());
      if (i < 0) {
        problems.unknownKey(p, e.getKey(), KEYS, "in limits");
        continue;
      }
      Object raw = tree.scalar(p, e.getValue());
      if (raw == null) {
        continue;
      }
      boolean bytes = i == 5 || i == 6;
      long max = bytes ? Long.MAX_VALUE : i == 3 ? ScanLimits.MAX_NESTING_DEPTH : Integer.MAX_VALUE;
      if (bytes && "unlimited".equals(raw)) {
        v[i] = Long.MAX_VALUE;
      } else if ((raw instanceof Integer || raw instanceof Long) && ((Number) raw).longValue() > 0
          && ((Number) raw).longValue() <= max) {
        v[i] = ((Number) raw).longValue();
      } else {
        problems.error(p, e.getKey() + " must be a whole number from 1 to " + max + (bytes ? " or unlimited" : "")
            + ", not '" + raw + "'");
      }
    }
    return ScanLimits.of((int) v[0], (int) v[1], (int) v[2], (int) v[3], (int) v[4], v[5], v[6]);
  }
}
