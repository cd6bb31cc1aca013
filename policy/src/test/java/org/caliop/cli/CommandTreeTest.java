package org.caliop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.caliop.engine.BuildInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command of the {@code caliop} tree, found by walking it (so a command added later is covered without
 * editing this test), answers {@code --help} on standard output with exit 0 and {@code --version} with the build's
 * line, and says a usage error in one line on standard error with exit 2.
 */
class CommandTreeTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  static Stream<List<String>> commands() {
    List<List<String>> all = new ArrayList<>();
    walk(Main.commandLine(new ByteArrayInputStream(new byte[0]), System.out, System.err), List.of(), all);
    return all.stream();
  }

  private static void walk(CommandLine cl, List<String> path, List<List<String>> all) {
    all.add(path);
    cl.getSubcommands().forEach((name, sub) -> {
      List<String> next = new ArrayList<>(path);
      next.add(name);
      walk(sub, next, all);
    });
  }

  @ParameterizedTest(name = "caliop {0}")
  @MethodSource("commands")
  void everyCommandShouldAnswerHelpAndVersionAndSayAUsageErrorInOneLine(List<String> path) {
    String name = String.join(" ", prepend("caliop", path));
    boolean group = hasSubcommands(path);

    assertThat(run(path, "--help")).as(name + " --help").isZero();
    assertThat(stdout()).as(name + " --help").contains("Usage: " + name + " ");
    assertThat(stderr()).as(name + " --help").isEmpty();

    assertThat(run(path, "--version")).as(name + " --version").isZero();
    assertThat(stdout()).as(name + " --version").isEqualTo(BuildInfo.current().describe() + "\n");
    assertThat(stderr()).as(name + " --version").isEmpty();

    assertThat(run(path, "--no-such-option")).as(name + " --no-such-option").isEqualTo(2);
    assertThat(stdout()).as(name + " --no-such-option").isEmpty();
    assertThat(stderr()).as(name + " --no-such-option").startsWith(name + ": ").endsWith("\n");
    assertThat(stderr().lines()).as(name + " --no-such-option").hasSize(1);

    if (group) {
      assertThat(run(path)).as(name + " alone").isEqualTo(2);
      assertThat(stdout()).as(name + " alone").isEmpty();
      assertThat(stderr()).as(name + " alone").startsWith(name + ": ");
      assertThat(stderr().lines()).as(name + " alone").hasSize(1);
    }
  }

  private static boolean hasSubcommands(List<String> path) {
    CommandLine cl = Main.commandLine(new ByteArrayInputStream(new byte[0]), System.out, System.err);
    for (String name : path) {
      cl = cl.getSubcommands().get(name);
    }
    return !cl.getSubcommands().isEmpty();
  }

  private int run(List<String> path, String... args) {
    out.reset();
    err.reset();
    List<String> all = new ArrayList<>(path);
    all.addAll(List.of(args));
    return Main.run(all.toArray(new String[0]), new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static List<String> prepend(String first, List<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
