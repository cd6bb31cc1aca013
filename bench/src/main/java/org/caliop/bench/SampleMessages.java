package org.caliop.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The real sample messages of {@code shared/fixtures}, in memory: every {@code *.eml} (S/MIME, OpenPGP, Autocrypt,
 * plain mail from Thunderbird, K-9, Delta Chat and mailing lists). The dkimchecks collection is left out: its files
 * are header excerpts, not whole messages.
 * The folder is {@code -Dcaliop.fixtures=DIR}, else the first of {@code ../shared/fixtures} and
 * {@code ../../shared/fixtures} that exists (run from the project root or from {@code bench/}).
 */
public final class SampleMessages {
  private SampleMessages() {
  }

  public static Path fixtures() {
    String configured = System.getProperty("caliop.fixtures");
    if (configured != null) {
      return Paths.get(configured);
    }
    for (String candidate : List.of("../shared/fixtures", "../../shared/fixtures", "shared/fixtures")) {
      Path p = Paths.get(candidate);
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    throw new IllegalStateException("no shared/fixtures folder found; set -Dcaliop.fixtures=DIR");
  }

  /** Every sample message, sorted by path so runs are comparable. */
  public static List<byte[]> load() {
    Path root = fixtures();
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> paths = files.filter(Files::isRegularFile).filter(SampleMessages::isMessage).sorted()
          .collect(Collectors.toList());
      if (paths.isEmpty()) {
        throw new IllegalStateException("no sample messages under " + root.toAbsolutePath());
      }
      return paths.stream().map(SampleMessages::read).collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isMessage(Path p) {
    String name = p.getFileName().toString();
    return name.endsWith(".eml");
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
