package org.caliop.james;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * Judgements the SMTP hook ({@code CaliopSmtpPolicyHook}) made at the end of DATA, waiting for {@code CaliopScore}
 * so that a message is judged once in James, not twice.
 *
 * <p>Nothing here can be set from outside this JVM. The mail carries only a random 128-bit token in the attribute
 * {@value #ATTRIBUTE_NAME}; the judgement stays in this store, where only the hook puts one. {@code CaliopScore}
 * takes it (once: taking removes it, and the attribute) and uses it only when every input it would judge on is
 * the one the hook judged: the same message bytes (SHA-256), the same envelope and session facts, the same policy
 * generation and engine settings ({@link Judgement#matches}). A token that names nothing (made up, set by another
 * mailet, from another James node or an earlier run, evicted) or a judgement whose inputs changed since (a mailet
 * changed the message or the recipients, the policy was reloaded) is no judgement: the message is judged again.
 *
 * <p>Bounded: at most {@value #CAPACITY} judgements wait (the oldest goes first) and none longer than
 * {@link #MAX_AGE}; a mail that waited longer in James's queue is judged again.
 */
public final class JudgedAtSmtp {
  public static final String ATTRIBUTE_NAME = "caliop.smtp.judgement";
  /** The token of the hook's judgement of this mail (String). */
  public static final AttributeName ATTRIBUTE = AttributeName.of(ATTRIBUTE_NAME);
  /** Judgements kept at most: about a second of a busy James's mail, or a queue backlog of that many mails. */
  public static final int CAPACITY = 1000;
  public static final Duration MAX_AGE = Duration.ofMinutes(10);

  private static final JudgedAtSmtp SHARED = new JudgedAtSmtp(CAPACITY, MAX_AGE, Clock.systemUTC());

  private final SecureRandom random = new SecureRandom();
  private final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
  private final int capacity;
  private final Duration maxAge;
  private final Clock clock;
  private final Map<String, Entry> waiting;

  JudgedAtSmtp(int capacity, Duration maxAge, Clock clock) {
    this.capacity = capacity;
    this.maxAge = maxAge;
    this.clock = clock;
    this.waiting = new LinkedHashMap<>(capacity * 4 / 3 + 1);
  }

  /** The one store of this JVM: the hook and the mailets load caliop from the same extensions-jars. */
  public static JudgedAtSmtp shared() {
    return SHARED;
  }

  /** Keeps the judgement for the mailets and marks the mail with its token (replacing any token it had). */
  public void hand(Mail mail, Judgement judgement) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    String token = encoder.encodeToString(bytes);
    Instant now = clock.instant();
    synchronized (waiting) {
      expire(now);
      if (waiting.size() >= capacity) {
        Iterator<String> oldest = waiting.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
      waiting.put(token, new Entry(judgement, now));
    }
    mail.setAttribute(new Attribute(ATTRIBUTE, AttributeValue.of(token)));
  }

  /**
   * The judgement the mail's token names, removed from the store and the token from the mail; empty when there is
   * none (no token, an unknown or expired one). The caller still checks {@link Judgement#matches}.
   */
  public Optional<Judgement> take(Mail mail) {
    Optional<String> token = CaliopAttributes.string(mail, ATTRIBUTE);
    if (mail.getAttribute(ATTRIBUTE).isPresent()) {
      mail.removeAttribute(ATTRIBUTE);
    }
    if (token.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    synchronized (waiting) {
      expire(now);
      Entry entry = waiting.remove(token.get());
      return entry == null ? Optional.empty() : Optional.of(entry.judgement);
    }
  }

  /** Judgements waiting now (tests, bounds). */
  int size() {
    synchronized (waiting) {
      return waiting.size();
    }
  }

  /** Drops the judgements older than the bound; insertion order is age order. */
  private void expire(Instant now) {
    Instant limit = now.minus(maxAge);
    Iterator<Entry> it = waiting.values().iterator();
    while (it.hasNext() && it.next().at.isBefore(limit)) {
      it.remove();
    }
  }

  private static final class Entry {
    final Judgement judgement;
    final Instant at;

    Entry(Judgement judgement, Instant at) {
      this.judgement = judgement;
      this.at = at;
    }
  }
}
