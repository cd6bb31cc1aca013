package org.caliop.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the engine's floors: facts at the bottom, the engine on top. A package may import only packages on a lower
 * floor; two packages on one floor do not know each other. So there is no package cycle and no import running back up.
 * A new package must be given a floor here, which is the moment to ask where it belongs.
 */
class PackageLayersTest {
  /** Floor of each package under {@code org.caliop}, lowest first. */
  private static final Map<String, Integer> FLOORS = Map.ofEntries(
      // mail addresses and domain names in the one form everything compares
      Map.entry("address", 0),
      // values every other package reads: hops, MIME protection, authentication results
      Map.entry("hop", 1), Map.entry("mime", 1), Map.entry("auth", 1),
      // IP-to-country databases and jurisdiction groups
      Map.entry("geo", 1),
      // where temporary copies of messages live, and their removal after a crash
      Map.entry("spill", 1),
      // the facts the engine works from, and the trust settings that label them; the streaming message scan, which
      // the facts do not know and which gateway encryption uses to tell ciphertext from labels
      Map.entry("facts", 2), Map.entry("message", 2),
      // the Received parser; gateway encryption; the score formula
      Map.entry("received", 3), Map.entry("crypto", 3), Map.entry("score", 3),
      // policy files and their decisions
      Map.entry("policy", 4),
      // what we write into the message
      Map.entry("header", 5),
      // facts → score → decision → final disposition
      Map.entry("engine", 6),
      // the command line
      Map.entry("cli", 7));

  /** An import, or a fully qualified name in code or Javadoc: both are a dependency. */
  private static final Pattern REFERENCE = Pattern.compile("\\borg\\.caliop\\.([a-z0-9_]+)\\.[A-Za-z]");

  @Test
  void everyPackageShouldHaveAFloor() {
    assertThat(imports().keySet()).as("packages under policy/src/main/java/org/caliop; give each a floor here")
        .isSubsetOf(FLOORS.keySet());
  }

  @Test
  void importsShouldOnlyGoDownAFloor() {
    List<String> upOrSideways = new ArrayList<>();
    imports().forEach((from, targets) -> targets.forEach(to -> {
      if (!to.equals(from) && FLOORS.getOrDefault(to, 99) >= FLOORS.getOrDefault(from, -1)) {
        upOrSideways.add(from + " (floor " + FLOORS.get(from) + ") imports " + to + " (floor " + FLOORS.get(to) + ")");
      }
    }));
    assertThat(upOrSideways).as("imports that run up or sideways").isEmpty();
  }

  /** Package name to the org.caliop packages its main sources name. */
  private static Map<String, TreeSet<String>> imports() {
    Path root = Paths.get("src/main/java/org/caliop");
    Map<String, TreeSet<String>> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList())) {
        String pkg = root.relativize(file.getParent()).toString().replace('/', '.');
        TreeSet<String> targets = out.computeIfAbsent(pkg, k -> new TreeSet<>());
        String text = Files.readString(file).replaceFirst("(?m)^package [\\w.]+;", "");
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
          targets.add(m.group(1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
