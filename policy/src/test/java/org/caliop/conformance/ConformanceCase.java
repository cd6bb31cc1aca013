package org.caliop.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row of the conformance table: a policy file and the state of its key directory, a message, the SMTP client and
 * envelope, and the one outcome every adapter (the engine itself, the milter, the James mailets and hook) must reach.
 */
public final class ConformanceCase {
  /** What the key directory the policy names looks like when the first message arrives. */
  public enum KeyDirectory {
    /** A directory with the case's key files. */
    PRESENT,
    /** Does not exist (a policy may name it before it is created): nobody has a key. */
    MISSING,
    /** Existed when the policy was loaded, then became something that cannot be listed. */
    UNLISTABLE
  }

  public final String name;
  private final String policy;
  private final KeyDirectory directory;
  private final Map<String, byte[]> keyFiles;
  public final Client client;
  public final String sender;
  public final List<String> recipients;
  private final byte[] message;
  private final Outcome expected;
  private final Outcome expectedWhenSplit;
  /** Why the expected outcome is not reached yet (work in progress elsewhere); null when it must be. */
  public final String pending;

  private ConformanceCase(Builder b) {
    this.name = Objects.requireNonNull(b.name);
    this.policy = Objects.requireNonNull(b.policy);
    this.directory = b.directory;
    this.keyFiles = Map.copyOf(b.keyFiles);
    this.client = b.client;
    this.sender = b.sender;
    this.recipients = List.copyOf(b.recipients);
    this.message = crlf(b.message);
    this.expected = Objects.requireNonNull(b.expected);
    this.expectedWhenSplit = b.expectedWhenSplit == null ? b.expected : b.expectedWhenSplit;
    this.pending = b.pending;
  }

  static Builder named(String name) {
    return new Builder(name);
  }

  /** Writes {@code dir/policy.yaml} and its key directory {@code dir/keys}; returns the policy file. */
  public Path writePolicy(Path dir) throws IOException {
    Files.createDirectories(dir);
    if (directory != KeyDirectory.MISSING) {
      Path keys = Files.createDirectories(dir.resolve("keys"));
      for (Map.Entry<String, byte[]> f : keyFiles.entrySet()) {
        Files.write(keys.resolve(f.getKey()), f.getValue());
      }
    }
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, policy, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * Call once the adapter has loaded the policy, before the first message: an unlistable key directory becomes a
   * regular file then (as root, permissions would not stop the daemon from listing it; a file in its place does).
   */
  public void afterPolicyLoaded(Path dir) throws IOException {
    if (directory == KeyDirectory.UNLISTABLE) {
      Path keys = dir.resolve("keys");
      try (var files = Files.list(keys)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.delete(f);
        }
      }
      Files.delete(keys);
      Files.writeString(keys, "not a directory any more\n");
    }
  }

  /** The message, CRLF line ends, as the MTA hands it over. */
  public byte[] message() {
    return message.clone();
  }

  /** What the adapter must do; {@code splits}: the adapter can send one copy per recipient (James). */
  public Outcome expected(boolean splits) {
    return splits ? expectedWhenSplit : expected;
  }

  @Override
  public String toString() {
    return name;
  }

  private static byte[] crlf(byte[] raw) {
    String s = new String(raw, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\n", "\r\n");
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static final class Builder {
    private final String name;
    private String policy;
    private KeyDirectory directory = KeyDirectory.PRESENT;
    private final Map<String, byte[]> keyFiles = new LinkedHashMap<>();
    private Client client = Client.outsideTls();
    private String sender = "alice@example.org";
    private List<String> recipients = List.of("bob@example.net");
    private byte[] message = ConformanceCases.CLEAR;
    private Outcome expected;
    private Outcome expectedWhenSplit;
    private String pending;

    private Builder(String name) {
      this.name = name;
    }

    Builder policy(String... lines) {
      policy = String.join("\n", lines) + "\n";
      return this;
    }

    Builder keys(KeyDirectory v) { directory = v; return this; }
    Builder key(String file, byte[] content) { keyFiles.put(file, content); return this; }
    Builder client(Client v) { client = v; return this; }
    Builder to(String... v) { recipients = List.of(v); return this; }
    Builder message(byte[] v) { message = v; return this; }
    Builder expect(Outcome v) { expected = v; return this; }
    Builder expectWhenSplit(Outcome v) { expectedWhenSplit = v; return this; }
    Builder pending(String why) { pending = why; return this; }

    ConformanceCase build() {
      return new ConformanceCase(this);
    }
  }
}
