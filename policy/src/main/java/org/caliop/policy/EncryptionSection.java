package org.caliop.policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.caliop.crypto.EncryptionSettings;

/**
 * Reads the {@code encryption:} section: where the recipients' certificates and public keys are. A path that does
 * not exist yet is a warning (keys may be put there after the policy), one of the wrong kind an error.
 */
final class EncryptionSection {
  static final List<String> KEYS = List.of("keys_dir", "pgp_keyring");

  private final PolicyTree tree;
  private final ProblemSink problems;

  EncryptionSection(PolicyTree tree, ProblemSink problems) {
    this.tree = tree;
    this.problems = problems;
  }

  EncryptionSettings read(ImmutableNode node) {
    if (node == null) {
      return EncryptionSettings.none();
    }
    Path keysDir = null;
    Path keyring = null;
    for (Map.Entry<String, List<ImmutableNode>> e : tree.children(node, List.of("encryption")).entrySet()) {
      List<String> p = List.of("encryption", e.getKey());
      if (!KEYS.contains(e.getKey())) {
        problems.unknownKey(p, e.getKey(), KEYS, "in encryption");
        continue;
      }
      Object raw = tree.scalar(p, e.getValue());
      if (raw == null) {
        continue;
      }
      Path resolved = tree.resolve(p, raw);
      if (resolved == null) {
        continue;
      }
      boolean dir = e.getKey().equals("keys_dir");
      if (!Files.exists(resolved)) {
        problems.warning(p, e.getKey() + " " + resolved + " does not exist (yet)");
      } else if (dir && !Files.isDirectory(resolved)) {
        problems.error(p, "keys_dir " + resolved + " is not a directory");
        continue;
      } else if (!dir && !Files.isRegularFile(resolved)) {
        problems.error(p, "pgp_keyring " + resolved + " is not a file");
        continue;
      }
      if (dir) {
        keysDir = resolved;
      } else {
        keyring = resolved;
      }
    }
    return EncryptionSettings.of(keysDir, keyring);
  }
}
