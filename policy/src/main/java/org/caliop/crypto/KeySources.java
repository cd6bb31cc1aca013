package org.caliop.crypto;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads the key sources a policy names: every regular file of the key directory (not its subdirectories, hidden
 * files or {@code README*}), then the exported keyring. What the encryptor indexes and what the inventory reports come from
 * this one reading, so they never disagree.
 */
final class KeySources {
  /**
   * The list of AES-GCM readers that older versions read from the key directory; the policy's
   * {@code encrypt.smime_content} replaced it. Skipped with a warning rather than reported as a broken key file.
   */
  static final String OBSOLETE_AUTH_ENVELOPED_FILE = "smime-authenveloped.txt";

  private final List<KeyFile> files;
  private final List<KeyProblem> problems;

  private KeySources(List<KeyFile> files, List<KeyProblem> problems) {
    this.files = List.copyOf(files);
    this.problems = List.copyOf(problems);
  }

  List<KeyFile> files() {
    return files;
  }

  /** Problems of the sources themselves (a directory that does not exist yet, an obsolete file). */
  List<KeyProblem> problems() {
    return problems;
  }

  /**
   * Reads {@code dir} (when not null) and then {@code extraFiles}. A directory or extra file that does not exist is
   * a warning: its recipients simply have no key until it does.
   *
   * @throws IOException when the directory exists but cannot be listed (a configuration error: fail fast)
   */
  static KeySources read(Path dir, List<Path> extraFiles, Provider bc) throws IOException {
    List<Path> paths = new ArrayList<>();
    List<KeyProblem> problems = new ArrayList<>();
    if (dir != null) {
      if (!Files.exists(dir)) {
        problems.add(KeyProblem.ofFile(KeyProblem.Code.MISSING, dir,
            "keys_dir does not exist: no recipient has a key until it does"));
      } else {
        paths.addAll(listing(dir, problems));
      }
    }
    for (Path extra : extraFiles) {
      if (Files.exists(extra)) {
        paths.add(extra);
      } else {
        problems.add(KeyProblem.ofFile(KeyProblem.Code.MISSING, extra,
            "does not exist: its recipients have no key until it does"));
      }
    }
    List<KeyFile> files = new ArrayList<>();
    for (Path p : paths) {
      files.add(KeyFile.read(p, bc));
    }
    return new KeySources(files, problems);
  }

  private static List<Path> listing(Path dir, List<KeyProblem> problems) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
      for (Path p : listing) {
        String name = p.getFileName().toString();
        // Hidden files and a README (the administrator's notes on where the keys came from) are not keys.
        if (name.startsWith(".") || name.startsWith("README") || !Files.isRegularFile(p)) {
          continue;
        }
        if (name.equals(OBSOLETE_AUTH_ENVELOPED_FILE)) {
          problems.add(KeyProblem.ofFile(KeyProblem.Code.OBSOLETE, p, "no longer read: say which recipients read"
              + " AES-GCM with encrypt.smime_content: aes-gcm in their domain or user rule (docs/policy.md)"));
          continue;
        }
        files.add(p);
      }
    }
    Collections.sort(files);
    return files;
  }
}
