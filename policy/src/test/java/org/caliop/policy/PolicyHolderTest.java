package org.caliop.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.caliop.policy.PolicyFixtures.facts;
import static org.caliop.policy.PolicyFixtures.score;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.caliop.facts.MessageFacts;
import org.caliop.score.Grade;
import org.caliop.score.Score;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class PolicyHolderTest {
  /** Holds: hold at line 3, with 200 domain rules that must all be there. */
  private static final String A = policy("hold", "# policy A");
  /** Rejects: reject at line 4. */
  private static final String B = policy("reject", "# policy B\n# second line");
  private static final String BROKEN = "global:\n  min_score: 50\n  action: explode\n";

  @TempDir
  Path dir;

  private static String policy(String action, String header) {
    StringBuilder b = new StringBuilder(header).append("\nglobal:\n  action: ").append(action)
        .append("\n  min_score: 50\ndomains:\n");
    for (int i = 0; i < 200; i++) {
      b.append("  d").append(i).append(".example:\n    min_score: 60\n");
    }
    return b.toString();
  }

  private static void replace(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void loadShouldFailWhenTheFirstLoadFails() throws IOException {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, BROKEN);
    assertThatThrownBy(() -> PolicyHolder.load(file)).isInstanceOf(PolicyException.class)
        .hasMessageContaining("policy.yaml:3:11: unknown action 'explode'");
  }

  @Test
  void reloadShouldKeepTheOldPolicyWhenTheNewFileIsBroken() throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, A);
    try (PolicyHolder holder = PolicyHolder.load(file)) {
      Policy before = holder.get();
      replace(file, BROKEN);
      PolicyHolder.ReloadResult r = holder.reload();
      assertThat(r.reloaded()).isFalse();
      assertThat(r.problems()).extracting(Problem::toString)
          .containsExactly(file + ":3:11: unknown action 'explode' (expected accept, tag, reject, tempfail, hold"
              + " (or quarantine), redirect or encrypt)");
      assertThat(holder.get()).isSameAs(before);
      replace(file, B);
      assertThat(holder.reload().reloaded()).isTrue();
      assertThat(holder.get()).isNotSameAs(before);
      assertThat(holder.get().decide(facts().build(), score(10, Grade.E)).action()).isEqualTo(Action.REJECT);
    }
  }

  @Test
  void pollShouldReloadOnlyWhenTheContentChanged() throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, A);
    try (PolicyHolder holder = PolicyHolder.load(file)) {
      assertThat(holder.pollOnce()).isFalse();
      Files.writeString(file, A);
      assertThat(holder.pollOnce()).isFalse();
      replace(file, B);
      assertThat(holder.pollOnce()).isTrue();
      assertThat(holder.pollOnce()).isFalse();
    }
  }

  @Test
  void watcherShouldPickUpARenamedFile() throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, A);
    try (PolicyHolder holder = PolicyHolder.load(file)) {
      Policy first = holder.get();
      holder.watch(Duration.ofMillis(20));
      replace(file, B);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (holder.get() == first && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(holder.get()).isNotSameAs(first);
      holder.stopWatching();
    }
  }

  /**
   * Threads decide continuously while the file flips between two valid policies and a broken one, written both by
   * rename and in place (a reader may see a half-written file): every decision comes from policy A or policy B
   * whole, never a mix and never an error.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void reloadUnderConcurrentUseShouldAlwaysDecideWithACompletePolicy() throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, A);
    PolicyHolder holder = PolicyHolder.load(file);
    holder.watch(Duration.ofMillis(1));
    MessageFacts plain = facts().to("someone@d7.example").build();
    MessageFacts other = facts().to("someone@elsewhere.example").build();
    Score s = score(55, Grade.C);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong decisions = new AtomicLong();
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      Thread reader = new Thread(() -> {
        try {
          while (!stop.get()) {
            Policy p = holder.get();
            Decision inDomain = p.decide(plain, s);
            Decision outside = p.decide(other, s);
            // Score 55: fails the d7.example rule (60), meets global (50). Same policy object for both.
            String pair = inDomain.action().token() + "@" + inDomain.rule().orElse("-") + " "
                + outside.action().token();
            seen.add(pair);
            decisions.incrementAndGet();
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      reader.start();
      readers.add(reader);
    }
    int failedReloads = 0;
    for (int i = 0; i < 150; i++) {
      String content = i % 3 == 0 ? A : i % 3 == 1 ? BROKEN : B;
      if (i % 2 == 0) {
        replace(file, content);
      } else {
        Files.writeString(file, content, StandardCharsets.UTF_8);
      }
      if (!holder.reload().reloaded()) {
        failedReloads++;
      }
    }
    stop.set(true);
    for (Thread r : readers) {
      r.join();
    }
    holder.close();
    assertThat(failure.get()).isNull();
    assertThat(failedReloads).isGreaterThanOrEqualTo(50);
    assertThat(decisions.get()).isPositive();
    String d7a = "hold@policy.yaml:" + (A.split("\n").length - 200 * 2 + 7 * 2 + 1);
    String d7b = "reject@policy.yaml:" + (B.split("\n").length - 200 * 2 + 7 * 2 + 1);
    assertThat(seen).isSubsetOf(d7a + " accept", d7b + " accept").isNotEmpty();
  }
}
