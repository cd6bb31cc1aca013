package org.caliop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every CLI command on hostile messages of a few MiB (issue 13, docs/robustness.md): {@code score}, {@code score
 * --json}, {@code policy replay} and {@code policy explain} each finish with a result. The sizes are chosen so that
 * a path going back over the input once per position would take minutes (one such path, the address search of
 * replay and explain, took 20-48 s on 128 KiB); the test asserts no time, a quadratic path shows as a test that does
 * not end.
 */
class HostileInputTest {
  private static final int MIB = 1 << 20;

  @TempDir
  static Path dir;

  static Stream<Arguments> shapes() {
    return Stream.of(
        shape("a To: of 4 MiB without @", "From: a@x.example\r\nTo: ", i -> "b", 4 * MIB, "\r\n\r\nbody\r\n"),
        shape("a To: of 4 MiB of a@", "From: a@x.example\r\nTo: ", i -> "a@", 2 * MIB, "\r\n\r\nbody\r\n"),
        shape("a To: of a million addresses", "From: a@x.example\r\nTo: ", i -> "a@b,", MIB, "\r\n\r\nbody\r\n"),
        shape("40,000 Received", "", i -> "Received: from a" + i + ".example (a [192.0.2.1]) by b.example with "
            + "ESMTPS id X" + i + "; Mon, 1 Jan 2024 00:00:00 +0000\r\n", 40_000, "\r\nbody\r\n"),
        shape("a Received of 2 MiB of (", "Received: from ", i -> "(", 2 * MIB, "\r\n\r\nbody\r\n"),
        shape("a Received of 2 MiB of [", "Received: from ", i -> "[", 2 * MIB, "\r\n\r\nbody\r\n"),
        shape("a Received of 2 MiB of ;", "Received: ", i -> ";", 2 * MIB, "\r\n\r\nbody\r\n"),
        shape("an Authentication-Results of 200,000 results", "Authentication-Results: x; ", i -> "dkim=pass; ",
            200_000, "\r\n\r\nbody\r\n"),
        shape("an Authentication-Results of 2 MiB of (", "Authentication-Results: x; ", i -> "(", 2 * MIB,
            "\r\n\r\nbody\r\n"),
        shape("300,000 distinct fields", "", i -> "X-" + i + ": a\r\n", 300_000, "\r\nbody\r\n"),
        shape("300,000 distinct Caliop- fields", "", i -> "Caliop-" + i + ": a\r\n", 300_000, "\r\nbody\r\n"),
        shape("a field folded 2 million times", "Subject: a\r\n", i -> " b\r\n", 2 * MIB, "\r\nbody\r\n"),
        shape("a body line of 8 MiB", "From: a@x.example\r\n\r\n", i -> "x", 8 * MIB, "\r\n"),
        shape("200,000 armor lines", "From: a@x.example\r\n\r\n", i -> "-----BEGIN PGP MESSAGE-----\r\nx\r\n",
            200_000, ""),
        shape("100,000 parts", "From: a@x.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n",
            i -> "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n", 100_000, "--b--\r\n"),
        shape("20,000 nested multiparts", "From: a@x.example\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n",
            i -> "--b" + i + "\r\nContent-Type: multipart/mixed; boundary=b" + (i + 1) + "\r\n\r\n", 20_000,
            "x\r\n"),
        shape("5,000 nested messages", "From: a@x.example\r\n", i -> "Content-Type: message/rfc822\r\n\r\n", 5_000,
            "x\r\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapes")
  void everyCommandShouldAnswer(String name, Path message) {
    String file = message.toString();
    assertThat(run("score", file)).as(name).isZero();
    assertThat(run("score", "--json", file)).as(name).isZero();
    assertThat(run("policy", "replay", "../conf/default.yaml", file)).as(name).isZero();
    assertThat(run("policy", "explain", "../conf/default.yaml", "--from", "a@x.example", "--to", "b@y.example",
        file)).as(name).isZero();
  }

  private static int run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    return Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  private static Arguments shape(String name, String head, IntFunction<String> unit, int copies, String tail) {
    StringBuilder s = new StringBuilder(head);
    for (int i = 0; i < copies; i++) {
      s.append(unit.apply(i));
    }
    s.append(tail);
    Path file = dir.resolve(name.replaceAll("[^A-Za-z0-9]+", "-") + ".eml");
    try {
      Files.write(file, s.toString().getBytes(StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Arguments.of(name, file);
  }
}
