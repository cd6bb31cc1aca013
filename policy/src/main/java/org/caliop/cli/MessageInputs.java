package org.caliop.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Turns the PATH arguments of {@code caliop score} (and {@code policy replay}) into messages: a message file, a
 * directory (recursively, in name order), a maildir ({@code cur/} and {@code new/}, and its Maildir++ folders), an
 * mbox (one message at a time), or {@code -} for standard input (a message or an mbox).
 */
public final class MessageInputs {
  /** Receives the messages in order; a failure to read one path is reported and the walk goes on. */
  public interface Sink {
    /** @param in the raw message; the sink may read it partly, the rest is skipped */
    void message(String name, InputStream in) throws IOException;

    void error(String name, String reason);
  }

  private static final int SNIFF = 5;

  private final InputStream stdin;

  public MessageInputs(InputStream stdin) {
    this.stdin = stdin;
  }

  /** Walks every path; returns true when everything could be read. */
  public boolean walk(List<String> paths, Sink sink) {
    boolean ok = true;
    for (String path : paths) {
      ok &= "-".equals(path) ? stream("-", stdin, sink) : path(Path.of(path), path, sink);
    }
    return ok;
  }

  private boolean path(Path path, String name, Sink sink) {
    if (Files.isDirectory(path)) {
      return directory(path, sink);
    }
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.exists(path)) {
      sink.error(name, "no such file or directory");
      return false;
    }
    if (!Files.isRegularFile(path)) {
      sink.error(name, "not a regular file");
      return false;
    }
    try (InputStream in = Files.newInputStream(path)) {
      return stream(name, in, sink);
    } catch (IOException e) {
      sink.error(name, describe(e));
      return false;
    }
  }

  /** A single message or an mbox, told apart by the first bytes. */
  private static boolean stream(String name, InputStream raw, Sink sink) {
    try {
      BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
      in.mark(SNIFF);
      byte[] head = new byte[SNIFF];
      int n = in.readNBytes(head, 0, SNIFF);
      in.reset();
      if (!MboxReader.looksLikeMbox(head, n)) {
        sink.message(name, in);
        return true;
      }
      MboxReader mbox = new MboxReader(in);
      int index = 0;
      for (InputStream message = mbox.next(); message != null; message = mbox.next()) {
        sink.message(name + "#" + (++index), message);
      }
      return true;
    } catch (IOException e) {
      sink.error(name, describe(e));
      return false;
    }
  }

  private boolean directory(Path dir, Sink sink) {
    if (isMaildir(dir)) {
      return maildir(dir, sink);
    }
    List<Path> entries;
    try {
      entries = sortedEntries(dir);
    } catch (IOException e) {
      sink.error(dir.toString(), describe(e));
      return false;
    }
    boolean ok = true;
    for (Path entry : entries) {
      String file = entry.getFileName().toString();
      if (skipped(file)) {
        continue;
      }
      if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
        ok &= directory(entry, sink);
      } else if (Files.isRegularFile(entry)) {
        ok &= path(entry, entry.toString(), sink);
      }
    }
    return ok;
  }

  private boolean maildir(Path dir, Sink sink) {
    boolean ok = true;
    for (String sub : new String[] {"cur", "new"}) {
      List<Path> entries;
      try {
        entries = sortedEntries(dir.resolve(sub));
      } catch (IOException e) {
        sink.error(dir.resolve(sub).toString(), describe(e));
        ok = false;
        continue;
      }
      for (Path entry : entries) {
        if (!entry.getFileName().toString().startsWith(".") && Files.isRegularFile(entry)) {
          ok &= path(entry, entry.toString(), sink);
        }
      }
    }
    // Maildir++ folders (.Sent, .Archive ...) live inside the top maildir.
    try {
      for (Path entry : sortedEntries(dir)) {
        String file = entry.getFileName().toString();
        if (file.startsWith(".") && !file.equals(".") && !file.equals("..")
            && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) && isMaildir(entry)) {
          ok &= maildir(entry, sink);
        }
      }
    } catch (IOException e) {
      sink.error(dir.toString(), describe(e));
      ok = false;
    }
    return ok;
  }

  /** Dot files, and the notes and policy files kept beside sample messages, are not messages. */
  private static boolean skipped(String file) {
    return file.startsWith(".") || file.endsWith(".md") || file.endsWith(".yaml") || file.endsWith(".yml");
  }

  static boolean isMaildir(Path dir) {
    return Files.isDirectory(dir.resolve("cur")) && Files.isDirectory(dir.resolve("new"))
        && Files.isDirectory(dir.resolve("tmp"));
  }

  private static List<Path> sortedEntries(Path dir) throws IOException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        entries.add(p);
      }
    }
    Collections.sort(entries);
    return entries;
  }

  static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
