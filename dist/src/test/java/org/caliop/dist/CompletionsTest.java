package org.caliop.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated completion scripts, sourced in bash as bash-completion does, complete what an admin types. */
class CompletionsTest {
  @TempDir
  Path dir;

  @Test
  void caliopPolShouldCompleteToPolicy() throws Exception {
    assertThat(complete(Completions.caliop(), "caliop", "caliop pol")).containsExactly("policy");
  }

  @Test
  void subcommandsAndTheirOptionsShouldComplete() throws Exception {
    assertThat(complete(Completions.caliop(), "caliop", "caliop policy ch")).containsExactly("check");
    assertThat(complete(Completions.caliop(), "caliop", "caliop score --js")).containsExactly("--json");
    assertThat(complete(Completions.caliop(), "caliop", "caliop milter --lis")).containsExactly("--listen");
    assertThat(complete(Completions.milter(), "caliop-milter", "caliop-milter --lis")).containsExactly("--listen");
  }

  @Test
  void scriptsShouldBeSourcedNotRun() {
    assertThat(Completions.caliop()).doesNotStartWith("#!");
    assertThat(Completions.milter()).doesNotStartWith("#!");
  }

  /** The words bash offers for {@code line} (the cursor at its end), after sourcing {@code script}. */
  private List<String> complete(String script, String command, String line) throws IOException, InterruptedException {
    Path file = Files.writeString(dir.resolve(command), script, StandardCharsets.UTF_8);
    // The function registered for the command, called as bash-completion calls it: COMP_WORDS, COMP_CWORD, and
    // the command, the word being completed and the word before it as arguments.
    String driver = "source \"$1\"\n"
        + "COMP_LINE=\"$2\"; COMP_POINT=${#COMP_LINE}\n"
        + "read -r -a COMP_WORDS <<< \"$COMP_LINE\"\n"
        + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
        + "f=$(complete -p \"$3\" | sed -n 's/.* -F \\([^ ]*\\) .*/\\1/p')\n"
        + "[ -n \"$f\" ] || { echo \"no completion registered for $3\" >&2; exit 3; }\n"
        + "\"$f\" \"$3\" \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\" 2>/dev/null\n"
        + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    Process p = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", driver, "bash", file.toString(), line,
        command).redirectErrorStream(false).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    return out.lines().filter(l -> !l.isBlank()).map(String::trim).toList();
  }
}
