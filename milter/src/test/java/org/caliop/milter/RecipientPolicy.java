package org.caliop.milter;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.caliop.crypto.EncryptOptions;
import org.caliop.crypto.EncryptionResult;
import org.caliop.crypto.GatewayEncryptor;
import org.caliop.engine.EncryptorSource;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.HeaderEdit;
import org.caliop.facts.MessageFacts;
import org.caliop.policy.Action;
import org.caliop.policy.Decision;
import org.caliop.policy.EncryptSpec;
import org.caliop.policy.Policy;
import org.caliop.policy.SmtpReply;
import org.caliop.score.Score;

/**
 * A test policy that decides by the first recipient's local part ({@code reject@}, {@code tempfail@}, {@code hold@},
 * {@code redirect@}, {@code encrypt@}, {@code slow@}; {@code overflow@} and {@code oom@} throw a real
 * StackOverflowError and OutOfMemoryError; anything else is accepted), and remembers the first-hand facts
 * it was given, by queue id.
 */
final class RecipientPolicy implements Policy {
  static final String ARMOUR_BEGIN = "-----BEGIN CALIOP TEST ENCRYPTED-----\r\n";
  static final String ARMOUR_END = "-----END CALIOP TEST ENCRYPTED-----\r\n";
  static final String REJECT_TEXT = "TLS required (100% of our mail is)";
  static final String REDIRECT_TARGET = "quarantine@y.test";

  final Map<String, ConnectionFacts> factsByQueueId = new ConcurrentHashMap<>();
  /** The name of the thread each message was judged on, by queue id. */
  final Map<String, String> threadByQueueId = new ConcurrentHashMap<>();
  /** The size of each message as the engine saw it, by queue id. */
  final Map<String, Long> sizeByQueueId = new ConcurrentHashMap<>();
  /** The thread the last encryption ran on. */
  volatile String encryptionThread;
  volatile CountDownLatch slow = new CountDownLatch(0);
  /** Decide as a policy in {@code mode: dry-run} does. */
  volatile boolean dryRun;

  @Override
  public String source() {
    return "test:recipient-policy";
  }

  /**
   * An encryptor that encrypts (for the test: base64 in an armour) only when every recipient is
   * {@code encrypt-ok@}; otherwise says keys are missing.
   */
  EncryptorSource encryptors() {
    return policy -> encryptor();
  }

  private GatewayEncryptor encryptor() {
    return ((message, recipients, spec, newBody) -> {
      encryptionThread = Thread.currentThread().getName();
      List<String> missing = recipients.stream().filter(r -> !r.startsWith("encrypt-ok@")).toList();
      if (!missing.isEmpty()) {
        message.transferTo(OutputStream.nullOutputStream());
        return EncryptionResult.missingKeys(missing);
      }
      newBody.write(ARMOUR_BEGIN.getBytes(StandardCharsets.US_ASCII));
      try (OutputStream b64 = Base64.getMimeEncoder().wrap(new FilterOutputStream(newBody) {
        @Override
        public void close() throws IOException {
          flush();
        }
      })) {
        message.transferTo(b64);
      }
      newBody.write(("\r\n" + ARMOUR_END).getBytes(StandardCharsets.US_ASCII));
      return EncryptionResult.encrypted("test-armour",
          List.of(HeaderEdit.add("Content-Type", "application/x-caliop-test-encrypted")));
    });
  }

  @Override
  public Decision decide(MessageFacts facts, Score score) {
    facts.connection().ifPresent(c -> c.queueId().ifPresent(q -> {
      factsByQueueId.put(q, c);
      threadByQueueId.put(q, Thread.currentThread().getName());
      sizeByQueueId.put(q, facts.size());
    }));
    Decision d = decideByRecipient(facts);
    if (!dryRun) {
      return d;
    }
    Decision.Builder b = Decision.builder(d.policyAction()).dryRun(true);
    d.rule().ifPresent(b::rule);
    return b.build();
  }

  private Decision decideByRecipient(MessageFacts facts) {
    String local = facts.envelope().recipients().isEmpty() ? "" : facts.envelope().recipients().get(0).localPart();
    switch (local) {
      case "reject":
        return Decision.builder(Action.REJECT).rule("test:reject").reply(SmtpReply.of(554, "5.7.1", REJECT_TEXT))
            .build();
      case "tempfail":
        return Decision.builder(Action.TEMPFAIL).rule("test:tempfail").replyText("Try later, please").build();
      case "hold":
        return Decision.builder(Action.HOLD).rule("test:hold").replyText("held for review").build();
      case "redirect":
        return Decision.builder(Action.REDIRECT).rule("test:redirect").redirectTo(REDIRECT_TARGET).build();
      case "encrypt":
      case "encrypt-ok":
        return Decision.builder(Action.ENCRYPT).rule("test:encrypt")
            .encrypt(EncryptSpec.of(EncryptOptions.Format.PGP, Action.TEMPFAIL, false, null)).build();
      case "overflow":
        return overflow(1);
      case "oom":
        // a real OutOfMemoryError, without filling the test JVM's heap
        long[] tooLarge = new long[Integer.MAX_VALUE];
        return tooLarge.length > 0 ? Decision.accept() : null;
      case "slow":
        try {
          slow.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return Decision.accept();
      default:
        return Decision.accept();
    }
  }

  /** Recurses until the stack is gone: a real StackOverflowError. */
  private static Decision overflow(int depth) {
    return depth == 0 ? Decision.accept() : overflow(depth + 1);
  }
}
