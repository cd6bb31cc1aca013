package org.caliop.facts;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.caliop.auth.AuthResults;
import org.caliop.hop.Hop;
import org.caliop.mime.ContentProtection;

/**
 * Everything the engine knows about one message before judging it: the input of the score and the policy.
 * Hops are newest first; the first-hand hop, when the adapter gave one, is the first.
 */
public final class MessageFacts {
  private final ConnectionFacts connection;
  private final Envelope envelope;
  private final Direction direction;
  private final List<Hop> hops;
  private final AuthResults auth;
  private final ContentProtection content;
  private final long size;
  private final List<String> diagnostics;

  private MessageFacts(ConnectionFacts connection, Envelope envelope, Direction direction, List<Hop> hops,
      AuthResults auth, ContentProtection content, long size, List<String> diagnostics) {
    this.connection = connection;
    this.envelope = Objects.requireNonNull(envelope);
    this.direction = Objects.requireNonNull(direction);
    this.hops = List.copyOf(hops);
    this.auth = Objects.requireNonNull(auth);
    this.content = Objects.requireNonNull(content);
    this.size = size;
    this.diagnostics = List.copyOf(diagnostics);
  }

  public static MessageFacts of(ConnectionFacts connection, Envelope envelope, Direction direction, List<Hop> hops,
      AuthResults auth, ContentProtection content, long size, List<String> diagnostics) {
    return new MessageFacts(connection, envelope, direction, hops, auth, content, size, diagnostics);
  }

  /** Empty when no MTA told us about the connection (the CLI reading stored mail). */
  public Optional<ConnectionFacts> connection() { return Optional.ofNullable(connection); }
  public Envelope envelope() { return envelope; }
  public Direction direction() { return direction; }
  public List<Hop> hops() { return hops; }
  public AuthResults auth() { return auth; }
  public ContentProtection content() { return content; }
  public long size() { return size; }
  public List<String> diagnostics() { return diagnostics; }
}
