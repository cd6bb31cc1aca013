package org.caliop.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.caliop.crypto.EncryptionException;
import org.caliop.crypto.EncryptionResult;
import org.caliop.crypto.GatewayEncryptor;
import org.caliop.crypto.KeyChoice;
import org.caliop.facts.Envelope;
import org.caliop.message.SpillBuffer;
import org.caliop.policy.Action;
import org.caliop.policy.Decision;
import org.caliop.policy.EncryptSpec;
import org.caliop.policy.Policy;
import org.caliop.policy.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out an {@code encrypt} decision, the same way for every adapter: the encryptor of the policy generation
 * that decided, one copy for all recipients or one per recipient, and what happens when it cannot be done: a
 * recipient without a usable key takes the rule's {@code on_missing_key}, any other failure (no keys configured, a
 * key directory that cannot be listed, an error while encrypting, a message only partly kept, a body past its bound)
 * takes {@code on_failure}. Never a clear send the rule did not ask for. Thread-safe.
 */
final class Encryption {
  private static final Logger LOG = LoggerFactory.getLogger(Encryption.class);
  /** The encrypted body may be this much larger than the message (armor, base64, CMS), plus {@link #BODY_SLACK}. */
  private static final int BODY_GROWTH = 2;
  private static final long BODY_SLACK = 1 << 20;

  private final EncryptorSource source;
  private final int memoryThreshold;
  private final Path spillDirectory;
  private final boolean splits;
  private final boolean discardBodies;
  /** The encryptor (or why there is none) of the last policy generation seen; a benign race opens it twice. */
  private volatile Generation generation;

  Encryption(EncryptorSource source, int memoryThreshold, Path spillDirectory, boolean splits,
      boolean discardBodies) {
    this.source = Objects.requireNonNull(source);
    this.memoryThreshold = memoryThreshold;
    this.spillDirectory = Objects.requireNonNull(spillDirectory);
    this.splits = splits;
    this.discardBodies = discardBodies;
  }

  Disposition carryOut(Policy policy, Decision decision, Envelope envelope, MessageSource message) {
    EncryptSpec spec = decision.encrypt().orElse(EncryptSpec.defaults());
    List<String> recipients = recipients(envelope);
    if (recipients.isEmpty()) {
      return failed(spec, decision, "no recipient to encrypt to");
    }
    if (message.truncated()) {
      return failed(spec, decision, "message larger than the part kept for inspection");
    }
    Generation g = generation(policy);
    if (g.encryptor == null) {
      return failed(spec, decision, g.failure);
    }
    boolean split = splits && spec.splitPerRecipient() && recipients.size() > 1;
    List<List<String>> groups = new ArrayList<>();
    if (split) {
      recipients.forEach(r -> groups.add(List.of(r)));
    } else {
      groups.add(recipients);
    }
    List<Disposition.Copy> copies = new ArrayList<>(groups.size());
    Set<String> missing = new LinkedHashSet<>();
    try {
      for (List<String> group : groups) {
        SpillBuffer body = body(message);
        EncryptionResult result;
        try (InputStream in = message.open()) {
          result = group.size() == 1 && split ? g.encryptor.encryptFor(in, group.get(0), spec.options(), body)
              : g.encryptor.encrypt(in, group, spec.options(), body);
        } catch (IOException | RuntimeException e) {
          body.close();
          return failed(spec, decision, "encryptor failed: " + describe(e));
        }
        switch (result.status()) {
          case ENCRYPTED:
            if (!discardBodies && (body.kept() == 0 || body.truncated())) {
              body.close();
              return failed(spec, decision, body.kept() == 0 ? "encryptor wrote no body"
                  : "encrypted body larger than its bound (" + body.kept() + " bytes)");
            }
            copies.add(new Disposition.Copy(group, result.format().orElse("?"), result.headerEdits(), body));
            break;
          case ALREADY_PROTECTED:
            body.close();
            copies.forEach(Disposition.Copy::close);
            copies.clear();
            return Disposition.alreadyProtected();
          default:
            body.close();
            missing.addAll(result.recipientsWithoutKey());
        }
      }
    } catch (RuntimeException e) {
      copies.forEach(Disposition.Copy::close);
      return failed(spec, decision, "cannot buffer the encrypted body: " + describe(e));
    }
    if (!missing.isEmpty()) {
      copies.forEach(Disposition.Copy::close);
      return missingKeys(spec, decision, List.copyOf(missing));
    }
    String format = copies.get(0).format();
    return Disposition.encrypted(copies, "encrypted=" + format + (copies.size() > 1 ? " copies=" + copies.size()
        : ""));
  }

  /**
   * The key each recipient would be encrypted to by {@link #carryOut} (each alone when it splits per recipient),
   * without encrypting; in the envelope's order.
   *
   * @throws IOException when the policy generation has no encryptor ({@code on_failure} applies), saying why
   */
  List<KeyChoice> keysFor(Policy policy, Decision decision, Envelope envelope) throws IOException {
    EncryptSpec spec = decision.encrypt().orElse(EncryptSpec.defaults());
    List<String> recipients = recipients(envelope);
    Generation g = generation(policy);
    if (g.encryptor == null) {
      throw new EncryptionException(g.failure);
    }
    if (!(splits && spec.splitPerRecipient() && recipients.size() > 1)) {
      return g.encryptor.keysFor(recipients, spec.options());
    }
    List<KeyChoice> out = new ArrayList<>(recipients.size());
    for (String r : recipients) {
      out.addAll(g.encryptor.keysFor(List.of(r), spec.options()));
    }
    return out;
  }

  /** Keys are looked up by the canonical address (case, quoting and IDN as EmailAddress has them). */
  private static List<String> recipients(Envelope envelope) {
    List<String> recipients = new ArrayList<>(envelope.recipients().size());
    envelope.recipients().forEach(r -> recipients.add(r.toString()));
    return recipients;
  }

  /** Bounded: what the encrypted form of this message can need; a body past it is a failure, not a cut message. */
  private SpillBuffer body(MessageSource message) {
    if (discardBodies) {
      return new SpillBuffer(0, 0, spillDirectory);
    }
    long limit = BODY_GROWTH * Math.max(0, message.size()) + BODY_SLACK;
    return new SpillBuffer(memoryThreshold, limit, spillDirectory);
  }

  /** The rule's {@code on_missing_key}: tag (send clear and tag), tempfail, reject or hold. */
  private static Disposition missingKeys(EncryptSpec spec, Decision decision, List<String> missing) {
    String who = "no key for " + String.join(" ", missing);
    Action action = spec.onMissingKey();
    String detail = "encrypt_missing_keys=" + missing.size() + " on_missing_key=" + action.token();
    switch (action) {
      case TAG:
      case ACCEPT:
        return Disposition.accept(detail);
      case REJECT:
        return Disposition.reject(reply(550, decision, "Cannot encrypt: " + who, "Cannot encrypt"), detail);
      case TEMPFAIL:
        return Disposition.tempfail(reply(451, decision, "Cannot encrypt yet: " + who, "Cannot encrypt yet"),
            detail);
      default:
        return Disposition.holdForKeys("caliop: " + who, detail, missing);
    }
  }

  /** The rule's {@code on_failure}: tempfail, reject or hold. */
  private static Disposition failed(EncryptSpec spec, Decision decision, String why) {
    Action action = spec.onFailure();
    String detail = "encrypt_failed=\"" + SmtpReply.clean(why).replace('"', '\'') + "\" on_failure=" + action.token()
        + decision.rule().map(r -> " wanted_by=" + r).orElse("");
    switch (action) {
      case REJECT:
        return Disposition.reject(reply(550, decision, SmtpReply.ENCRYPT_FAILED_TEXT, SmtpReply.ENCRYPT_FAILED_TEXT),
            detail);
      case HOLD:
        return Disposition.hold("caliop: encryption failed: " + why, detail);
      default:
        return Disposition.tempfail(reply(451, decision, SmtpReply.ENCRYPT_FAILED_LATER_TEXT,
            SmtpReply.ENCRYPT_FAILED_LATER_TEXT), detail);
    }
  }

  /** The rule's own text when it gives one ({@code reply_text}), else ours. */
  private static SmtpReply reply(int code, Decision decision, String text, String fallback) {
    String enhanced = code >= 500 ? "5.7.1" : "4.7.1";
    return SmtpReply.cleaned(code, enhanced, decision.replyText().orElse(text), fallback);
  }

  private Generation generation(Policy policy) {
    Generation g = generation;
    if (g != null && g.policy == policy) {
      return g;
    }
    try {
      g = new Generation(policy, source.open(policy), null);
    } catch (IOException | RuntimeException e) {
      String why = "no encryptor: " + describe(e);
      LOG.error("caliop: policy={} encryption keys unusable until the policy is reloaded: {}", policy.source(),
          describe(e));
      g = new Generation(policy, null, why);
    }
    generation = g;
    return g;
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }

  /** One policy generation's encryptor, or why it has none. */
  private static final class Generation {
    final Policy policy;
    final GatewayEncryptor encryptor;
    final String failure;

    Generation(Policy policy, GatewayEncryptor encryptor, String failure) {
      this.policy = policy;
      this.encryptor = encryptor;
      this.failure = failure;
    }
  }
}
