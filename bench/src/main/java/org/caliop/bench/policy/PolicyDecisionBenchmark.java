package org.caliop.bench.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.caliop.auth.AuthResults;
import org.caliop.bench.CpuBestOf;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Direction;
import org.caliop.facts.Envelope;
import org.caliop.facts.MessageFacts;
import org.caliop.hop.Hop;
import org.caliop.mime.ContentProtection;
import org.caliop.policy.CompiledPolicy;
import org.caliop.policy.Decision;
import org.caliop.policy.PolicyException;
import org.caliop.policy.PolicyLoader;
import org.caliop.received.FirsthandHop;
import org.caliop.score.Grade;
import org.caliop.score.Score;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one policy decision with 10,000 domain rules and 1,000 user rules (issue 4 bar: at most 2 µs per message).
 * The facts and score are built once: this measures {@link CompiledPolicy#decide} alone, i.e. the layer lookups (hash
 * per address, per domain and per parent domain), laying the layers over one another, the requirement checks and
 * building the decision.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar PolicyDecisionBenchmark} (docs/BENCHMARKS.md). On a
 * shared, oversubscribed machine wall-clock averages mostly measure the other processes; {@link #main} measures
 * the CPU time of this thread per decision instead (time spent descheduled does not count).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyDecisionBenchmark {
  static final int DOMAINS = 10_000;
  static final int USERS = 1_000;

  private Path dir;
  private Path file;
  private CompiledPolicy policy;
  private Score score;
  /** Recipient in a domain with a rule that fails: the decision is a reject with reasons. */
  private MessageFacts domainRuleFires;
  /** Recipient in a domain with a rule that passes: accept. */
  private MessageFacts domainRulePasses;
  /** Deep subdomain without a rule: exact miss, then the parent walk (5 labels) down to a {@code .parent} entry. */
  private MessageFacts parentWalk;
  /** No rule anywhere for sender or recipient: global only. */
  private MessageFacts noRule;
  /** A user rule on top of a domain rule. */
  private MessageFacts userRule;
  /** Three recipients in three domains, combined to the most severe. */
  private MessageFacts threeRecipients;

  @Setup(Level.Trial)
  public void setUp() throws IOException, PolicyException {
    dir = Files.createTempDirectory("caliop-policy-bench");
    file = dir.resolve("bench.yaml");
    Files.writeString(file, policyText(), StandardCharsets.UTF_8);
    policy = PolicyLoader.load(file);
    score = Score.of(72, Grade.B, "1", List.of());
    domainRuleFires = facts("sender@outside.example", Direction.OUTBOUND, "TLSv1.2", "bob@d4711.example");
    domainRulePasses = facts("sender@outside.example", Direction.OUTBOUND, "TLSv1.3", "bob@d4711.example");
    parentWalk = facts("sender@outside.example", Direction.INBOUND, "TLSv1.2", "bob@a.b.c.d.p42.example");
    noRule = facts("sender@outside.example", Direction.INBOUND, "TLSv1.3", "bob@nowhere.example");
    userRule = facts("sender@outside.example", Direction.INBOUND, "TLSv1.2", "user17@d17.example");
    threeRecipients = facts("sender@outside.example", Direction.OUTBOUND, "TLSv1.2", "a@d1.example",
        "b@d2.example", "c@nowhere.example");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }

  static String policyText() {
    StringBuilder b = new StringBuilder(1 << 20);
    b.append("mode: enforce\nglobal:\n  min_grade: D\n  action: tag\ndomains:\n");
    for (int i = 0; i < DOMAINS; i++) {
      if (i % 100 == 42) {
        b.append("  .p").append(i).append(".example:\n    min_tls_version: TLSv1.3\n    action: hold\n");
      } else {
        b.append("  d").append(i).append(".example:\n    min_tls_version: TLSv1.3\n    require_tls_on_trusted_hops: true\n")
            .append("    outbound:\n      action: reject\n      reply_text: \"TLS 1.3 required: {reasons}\"\n");
      }
    }
    b.append("users:\n");
    for (int i = 0; i < USERS; i++) {
      b.append("  user").append(i).append("@d").append(i).append(".example:\n    min_score: 80\n    action: hold\n");
    }
    return b.toString();
  }

  static MessageFacts facts(String sender, Direction direction, String tls, String... recipients) {
    ConnectionFacts c = ConnectionFacts.builder().clientAddress("192.0.2.10").helo("mx.sender.example")
        .tlsVersion(tls).protocol("ESMTPS").queueId("BENCH").build();
    List<Hop> hops = new ArrayList<>();
    hops.add(FirsthandHop.of(c));
    return MessageFacts.of(c, Envelope.of(sender, List.of(recipients)), direction, hops, AuthResults.none(),
        ContentProtection.none(), 10_000, List.of());
  }

  @Benchmark
  public Decision domainRuleFires() {
    return policy.decide(domainRuleFires, score);
  }

  @Benchmark
  public Decision domainRulePasses() {
    return policy.decide(domainRulePasses, score);
  }

  @Benchmark
  public Decision parentDomainWalk() {
    return policy.decide(parentWalk, score);
  }

  @Benchmark
  public Decision noRule() {
    return policy.decide(noRule, score);
  }

  @Benchmark
  public Decision userOverDomain() {
    return policy.decide(userRule, score);
  }

  @Benchmark
  public Decision threeRecipients() {
    return policy.decide(threeRecipients, score);
  }

  /**
   * CPU nanoseconds per decision for each case, measured with the thread's CPU clock over {@code args[0]} (default
   * 2,000,000) decisions after as many for warm-up, best of 5 rounds.
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    PolicyDecisionBenchmark b = new PolicyDecisionBenchmark();
    b.setUp();
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    long loadStart = cpu.getCurrentThreadCpuTime();
    for (int i = 0; i < 5; i++) {
      b.loadTenThousandRules();
    }
    System.out.printf("%-20s %10.1f ms CPU per load (%d domain rules, %d user rules, %d bytes)%n", "load",
        (cpu.getCurrentThreadCpuTime() - loadStart) / 5 / 1e6, DOMAINS, USERS, Files.size(b.file));
    String[] names = {"domainRuleFires", "domainRulePasses", "parentDomainWalk", "noRule", "userOverDomain",
        "threeRecipients"};
    java.util.function.Supplier<?>[] cases = {b::domainRuleFires, b::domainRulePasses, b::parentDomainWalk,
        b::noRule, b::userOverDomain, b::threeRecipients};
    for (int c = 0; c < cases.length; c++) {
      System.out.printf("%-20s %10.1f ns CPU per decision%n", names[c], CpuBestOf.nanosPerCall(cases[c], n));
    }
    b.tearDown();
  }

  /** Loading and compiling the 10,000-rule file (about 1 MB of YAML): what a reload costs. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3)
  @Measurement(iterations = 10)
  public CompiledPolicy loadTenThousandRules() throws PolicyException {
    return PolicyLoader.load(file);
  }
}
