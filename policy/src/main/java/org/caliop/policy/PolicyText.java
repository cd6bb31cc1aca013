package org.caliop.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a policy file as text before any YAML parser sees it: bounded size, UTF-8 only, no NUL bytes. A binary file
 * or a 10 MB file fails here, in the time it takes to read at most {@link #MAX_BYTES} + 1 bytes.
 */
final class PolicyText {
  /**
   * 10,000 domain rules of six lines and 1,000 user rules take 1.7 MB (PolicyDecisionBenchmark); 4 MiB leaves room
   * and bounds the parse.
   */
  static final int MAX_BYTES = 4 * 1024 * 1024;

  private PolicyText() {
  }

  /** The file's text, or a problem saying why it is not a policy file. */
  static Result read(Path file, String name) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      // Read one byte past the limit: a file that grows while we read is still caught, and a huge one is never
      // read whole.
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      return Result.failed(Problem.error(name, 1, 1, "cannot read policy file: " + describe(e)));
    }
    return decode(bytes, name);
  }

  static Result decode(byte[] bytes, String name) {
    if (bytes.length > MAX_BYTES) {
      return Result.failed(Problem.error(name, 1, 1, "policy file is larger than " + MAX_BYTES
          + " bytes: not a policy file (10,000 domain rules take about 1.7 MB)"));
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        int[] pos = position(bytes, i);
        return Result.failed(Problem.error(name, pos[0], pos[1],
            "binary file: NUL byte at offset " + i + "; a policy file is UTF-8 text"));
      }
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    if (decoder.decode(in, out, true).isError()) {
      int[] pos = position(bytes, in.position());
      return Result.failed(Problem.error(name, pos[0], pos[1], "binary file: invalid UTF-8 at offset "
          + in.position() + "; a policy file is UTF-8 text"));
    }
    out.flip();
    String text = out.toString();
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    if (isBlank(text)) {
      return Result.failed(Problem.error(name, 1, 1,
          "empty policy file: write at least 'mode: enforce' (see docs/policy.md, or conf/default.yaml)"));
    }
    return Result.ok(text);
  }

  /** Empty, blank or only comments. */
  private static boolean isBlank(String text) {
    for (String line : text.split("\n", -1)) {
      String t = line.strip();
      if (!t.isEmpty() && !t.startsWith("#") && !t.equals("---") && !t.equals("...")) {
        return false;
      }
    }
    return true;
  }

  private static int[] position(byte[] bytes, int offset) {
    int line = 1;
    int col = 1;
    for (int i = 0; i < offset && i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return new int[] {line, col};
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : " " + m);
  }

  static final class Result {
    private final String text;
    private final Problem problem;

    private Result(String text, Problem problem) {
      this.text = text;
      this.problem = problem;
    }

    static Result ok(String text) {
      return new Result(text, null);
    }

    static Result failed(Problem p) {
      return new Result(null, p);
    }

    Optional<String> text() { return Optional.ofNullable(text); }
    Optional<Problem> problem() { return Optional.ofNullable(problem); }
  }
}
