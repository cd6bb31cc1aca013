package org.caliop.header;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.caliop.facts.HeaderEdit;
import org.caliop.facts.TrustSettings;
import org.caliop.message.ForeignFields;

/**
 * The header edits that take the fields only our servers may write out of a message: every field of each foreign
 * name, by name ({@link HeaderEdit.Kind#REMOVE_ALL}), and, with {@code foreign_header_action: rename}, the kept
 * values re-added at the top under {@code rename_prefix}. The engine and the James mailets both use it.
 */
public final class ForeignEdits {
  private ForeignEdits() {
  }

  /** Counts what {@code trust} calls foreign, keeping the values when its action is rename. */
  public static ForeignFields counter(TrustSettings trust) {
    return ForeignFields.of(trust::isForeignHeaderName,
        trust.foreignHeaderAction() == TrustSettings.ForeignHeaderAction.RENAME);
  }

  /** The removals, one per foreign name. */
  public static List<HeaderEdit> removals(ForeignFields foreign) {
    List<HeaderEdit> out = new ArrayList<>();
    for (String name : foreign.names()) {
      out.add(HeaderEdit.removeAll(name));
    }
    return out;
  }

  /** The renamed fields to add at the top, in message order; empty when stripping. */
  public static List<HeaderEdit> renamed(ForeignFields foreign, TrustSettings trust) {
    List<HeaderEdit> out = new ArrayList<>();
    for (Map.Entry<String, String> f : foreign.kept()) {
      out.add(HeaderEdit.add(trust.renamePrefix() + f.getKey(), f.getValue()));
    }
    return out;
  }
}
