package org.caliop.james.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.caliop.james.it.JamesServerFixture.Variant;

/**
 * A James 3.8.1 memory server in a JVM of its own, so that JamesKillIT can kill it with SIGKILL and start it again
 * on the same working directory.
 *
 * <pre>
 * JamesChild WORKDIR VARIANT|boot USER...
 * </pre>
 *
 * A variant prepares WORKDIR (configuration, extensions-jars) and starts James; {@code boot} starts James on a
 * WORKDIR prepared before. It prints {@code caliop-child ready smtp PORT} once James listens, then answers the
 * lines read from stdin: {@code N held} with {@code caliop-child N held SUBJECT|SUBJECT...} (each mail of caliop's
 * hold repository read back from it), {@code N inbox USER} with {@code caliop-child N inbox USER COUNT}, either
 * with {@code caliop-child N error TEXT} when James could not answer. It stops James and exits when stdin closes.
 */
final class JamesChild {
  static final String ANSWER = "caliop-child ";

  private JamesChild() {}

  public static void main(String[] args) throws Exception {
    Path workDir = Path.of(args[0]);
    String[] users = Arrays.copyOfRange(args, 2, args.length);
    JamesServerFixture james = "boot".equals(args[1]) ? JamesServerFixture.boot(workDir, users)
        : JamesServerFixture.start(workDir, Variant.valueOf(args[1]), users);
    System.out.println(ANSWER + "ready smtp " + james.smtpPort());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.trim().split(" ");
      String answer;
      try {
        if (words.length == 2 && "held".equals(words[1])) {
          answer = "held " + String.join("|", james.heldSubjects());
        } else if (words.length == 3 && "inbox".equals(words[1])) {
          answer = "inbox " + words[2] + " " + james.deliveredCount(words[2]);
        } else {
          answer = "unknown " + line;
        }
      } catch (Exception e) {
        // James's file repository cannot read a mail while a mailet stores it (it finds the key before the
        // files): the caller asks again.
        answer = "error " + e.toString().replace('\n', ' ');
      }
      System.out.println(ANSWER + words[0] + " " + answer);
    }
    james.close();
    System.exit(0);
  }
}
