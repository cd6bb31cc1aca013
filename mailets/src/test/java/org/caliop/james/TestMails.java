package org.caliop.james;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.caliop.facts.MessageFacts;
import org.caliop.facts.TrustSettings;
import org.caliop.message.ScanLimits;
import org.caliop.policy.Action;
import org.caliop.policy.Decision;
import org.caliop.policy.Policy;
import org.caliop.score.Score;

/** Messages and policies for the mailet tests. */
public final class TestMails {
  public static final Path FIXTURES = Path.of("../../shared/fixtures");

  private TestMails() {
  }

  public static MimeMessage parse(String raw) throws MessagingException {
    return parse(raw.getBytes(StandardCharsets.UTF_8));
  }

  public static MimeMessage parse(byte[] raw) throws MessagingException {
    return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
  }

  public static MimeMessage fixture(String relative) throws IOException, MessagingException {
    return parse(Files.readAllBytes(FIXTURES.resolve(relative)));
  }

  public static String simple(String... extraHeaders) {
    StringBuilder s = new StringBuilder();
    for (String h : extraHeaders) {
      s.append(h).append("\r\n");
    }
    return s.append("From: alice@example.org\r\nTo: bob@example.net\r\nSubject: hello\r\n"
        + "Message-ID: <1@example.org>\r\n\r\nHello Bob.\r\n").toString();
  }

  public static List<String> headerLines(MimeMessage message) throws MessagingException {
    return new ArrayList<>(Collections.list(message.getAllHeaderLines()));
  }

  /** A policy that always decides the same and remembers the facts it was shown. */
  public static final class FixedPolicy implements Policy {
    private final Decision decision;
    private final AtomicReference<MessageFacts> seen = new AtomicReference<>();

    public FixedPolicy(Decision decision) {
      this.decision = decision;
    }

    public MessageFacts seen() {
      return seen.get();
    }

    @Override
    public String source() {
      return "test";
    }

    @Override
    public Decision decide(MessageFacts facts, Score score) {
      seen.set(facts);
      return decision;
    }

    @Override
    public Set<Action> actions() {
      return EnumSet.of(Action.ACCEPT, decision.policyAction());
    }
  }

  /** Lets a test policy class with a no-argument constructor wrap a configured policy. */
  public static class DelegatingPolicy implements Policy {
    private final Policy delegate;

    public DelegatingPolicy(Policy delegate) {
      this.delegate = delegate;
    }

    @Override
    public String source() {
      return delegate.source();
    }

    @Override
    public TrustSettings trust() {
      return delegate.trust();
    }

    @Override
    public ScanLimits limits() {
      return delegate.limits();
    }

    @Override
    public org.caliop.mime.SignerTrust signerTrust() {
      return delegate.signerTrust();
    }

    @Override
    public Decision decide(MessageFacts facts, Score score) {
      return delegate.decide(facts, score);
    }
  }
}
