package org.caliop.received;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.TrustSettings;
import org.caliop.facts.TrustedRelay;
import org.caliop.hop.Hop;
import org.caliop.hop.IpAddress;
import org.caliop.hop.Network;
import org.caliop.hop.Protocol;
import org.caliop.hop.Trust;

/**
 * Labels each hop firsthand, internal or claimed, and adds the first-hand hop on top.
 *
 * <p>The idea is SpamAssassin's trusted/internal networks: a {@code Received:} header is only as good as the host
 * that wrote it, and we know who wrote a header only by following the chain down from a host of ours. Walking from
 * the top:
 * <ol>
 *   <li>With connection facts, our own MTA is the first link: the header it wrote for this connection (same queue
 *   id, or the client's address under a {@code by} that is our {@code receivedBy} or an internal host) is folded
 *   into the first-hand hop, and the next header was written by our client, which is ours only when it is a
 *   declared {@link TrustedRelay} (its network and the listener it connected to). A client that is merely one of
 *   ours for direction ({@code internal_networks}, SMTP AUTH), a web form on 127.0.0.1 included, is first-hand
 *   only: everything it wrote is claimed.</li>
 *   <li>Without connection facts (a message read from a file), the top header is ours when its {@code by} is one of
 *   the internal hosts or an address in the internal networks.</li>
 *   <li>A header written by one of ours is {@link Trust#INTERNAL}. Its writer vouches for the host it received from
 *   when that host is a relay identified by its network alone (a header never says which listener its client
 *   used, so a relay declared with a listener, and any loopback client, vouches for nothing below); when the line
 *   names no sender at all (a local injection on the same host); or, with no address recorded (a unix socket:
 *   Dovecot's LMTP), when the {@code from} name is an internal host and the {@code by} of the next header.</li>
 *   <li>The first header whose writer is not vouched for, an unparsed header, and everything below are
 *   {@link Trust#CLAIMED}.</li>
 * </ol>
 * The networks and hosts are parsed once in the constructor; {@link #classify} allocates only the result list.
 */
public final class HopClassifier {
  /** The classifier of the settings seen last: policies change rarely, messages come 50,000 a second. */
  private static volatile HopClassifier last;

  private final TrustSettings settings;
  private final Network[] networks;
  private final Set<String> hosts;
  private final TrustedRelay[] relays;

  /**
   * The classifier for these settings, reused while the same {@link TrustSettings} instance comes back (one policy
   * serves many messages), so the networks are parsed once per policy rather than once per message.
   *
   * @throws IllegalArgumentException when an internal network is not valid CIDR
   */
  public static HopClassifier of(TrustSettings trust) {
    HopClassifier c = last;
    if (c != null && c.settings == trust) {
      return c;
    }
    c = new HopClassifier(trust);
    last = c;
    return c;
  }

  /** @throws IllegalArgumentException when an internal network is not valid CIDR (the message names it) */
  public HopClassifier(TrustSettings trust) {
    this.settings = trust;
    List<String> cidrs = trust.internalNetworks();
    this.networks = new Network[cidrs.size()];
    for (int i = 0; i < networks.length; i++) {
      networks[i] = Network.parse(cidrs.get(i));
    }
    Set<String> h = new HashSet<>();
    for (String name : trust.internalHosts()) {
      h.add(normalHost(name));
    }
    this.hosts = Set.copyOf(h);
    this.relays = trust.trustedRelays().toArray(new TrustedRelay[0]);
  }

  /**
   * @param received hops parsed from {@code Received:} headers, newest first, all {@link Trust#CLAIMED}
   * @param connection our own connection facts, when an MTA gave them
   * @return the first-hand hop (if any) followed by the received hops with their trust set
   */
  public List<Hop> classify(List<Hop> received, Optional<ConnectionFacts> connection) {
    List<Hop> out = new ArrayList<>(received.size() + 1);
    int start = 0;
    boolean writerOurs;
    if (connection.isPresent()) {
      ConnectionFacts c = connection.get();
      Hop firsthand = FirsthandHop.of(c);
      if (!received.isEmpty() && isOurHeaderFor(received.get(0), c)) {
        firsthand = fold(firsthand, received.get(0), c);
        start = 1;
      }
      out.add(firsthand);
      writerOurs = isTrustedRelay(c);
    } else {
      writerOurs = topIsOurs(received);
    }
    for (int i = start; i < received.size(); i++) {
      Hop hop = received.get(i);
      if (writerOurs && hop.parsed()) {
        out.add(hop.withTrust(Trust.INTERNAL));
        Hop next = i + 1 < received.size() ? received.get(i + 1) : null;
        writerOurs = vouchesForNext(hop, next);
      } else {
        writerOurs = false;
        out.add(hop.trust() == Trust.CLAIMED ? hop : hop.withTrust(Trust.CLAIMED));
      }
    }
    return out;
  }

  /** Whether our client is a declared relay: its address in a relay's networks, on that relay's listener. */
  public boolean isTrustedRelay(ConnectionFacts c) {
    IpAddress client = c.clientAddress().orElse(null);
    if (client == null) {
      return false;
    }
    for (TrustedRelay r : relays) {
      if (r.matches(client, c.listener())) {
        return true;
      }
    }
    return false;
  }

  /** Whether the address belongs to a relay identified by its network alone (what a header line can show). */
  private boolean isRelayByNetwork(IpAddress address) {
    for (TrustedRelay r : relays) {
      if (r.byNetworkAlone() && r.inNetworks(address)) {
        return true;
      }
    }
    return false;
  }

  /** Whether an IP address is in one of the internal networks (our clients, for direction). */
  public boolean isInternalAddress(IpAddress ip) {
    if (ip == null) {
      return false;
    }
    for (Network n : networks) {
      if (n.contains(ip)) {
        return true;
      }
    }
    return false;
  }

  /** {@link #isInternalAddress(IpAddress)} of address text (v4 or v6, brackets allowed); false for non-addresses. */
  public boolean isInternalAddress(String ip) {
    return isInternalAddress(IpAddress.orNull(ip));
  }

  /** Whether a host name is one of the configured internal hosts (case and a trailing dot ignored). */
  public boolean isInternalHost(String name) {
    return name != null && !hosts.isEmpty() && hosts.contains(normalHost(name));
  }

  private boolean isInternalHostOrAddress(String hostOrIp) {
    return isInternalHost(hostOrIp) || isInternalAddress(hostOrIp);
  }

  /**
   * Without connection facts (a stored message), anyone may have written the top header: it is ours only when its
   * {@code by} is one of the internal hosts or an internal address. A loopback sender alone proves nothing, since a
   * file can carry any header on top. A local injection that names no writer ({@code (qmail 123 invoked from
   * network)}, qmail's line above its own SMTP line) was written where the line below it was: that line decides.
   */
  private boolean topIsOurs(List<Hop> received) {
    for (Hop top : received) {
      if (!top.parsed()) {
        return false;
      }
      if (top.byHost().isPresent() || !top.localInjection()) {
        return top.byHost().map(this::isInternalHostOrAddress).orElse(false);
      }
    }
    return false;
  }

  /** The writer of {@code hop} is ours; does it vouch for the writer of {@code next}? */
  private boolean vouchesForNext(Hop hop, Hop next) {
    Optional<IpAddress> ip = hop.fromIp();
    if (ip.isPresent()) {
      return isRelayByNetwork(ip.get());
    }
    Optional<String> from = hop.fromHost();
    if (from.isEmpty() && hop.fromRdns().isEmpty()) {
      // no sender at all: a local injection (list expansion, "(qmail 123 invoked from network)"), so the header
      // below was written on the same host
      return next != null;
    }
    // no TCP address recorded: an address literal in 'from', or (a unix socket, Dovecot's LMTP) an internal name
    // confirmed by the next 'by'
    IpAddress literal = from.map(IpAddress::orNull).orElse(null);
    if (literal != null) {
      return isRelayByNetwork(literal);
    }
    String name = hop.fromRdns().orElse(from.orElse(null));
    if (name == null || !isInternalHost(name) || next == null) {
      return false;
    }
    return next.byHost().map(by -> normalHost(by).equals(normalHost(name))).orElse(false);
  }

  /**
   * Our MTA's own header for this connection: same queue id, or the client's address written by our host (the
   * {@code receivedBy} of the facts, or one of the internal hosts).
   */
  private boolean isOurHeaderFor(Hop top, ConnectionFacts c) {
    if (c.queueId().isPresent() && top.id().isPresent() && c.queueId().get().equalsIgnoreCase(top.id().get())) {
      return true;
    }
    if (top.byHost().isEmpty() || c.clientAddress().isEmpty() || !top.fromIp().equals(c.clientAddress())) {
      return false;
    }
    String by = normalHost(top.byHost().get());
    return c.receivedBy().map(r -> normalHost(r).equals(by)).orElse(false) || isInternalHost(by);
  }

  /**
   * Keeps what only the header says (date, for, id, by, and the protocol when it claims no more than the facts): the
   * first-hand facts are never replaced. A protocol claiming TLS or AUTH is taken from the header only when it was
   * matched by queue id, since a client can forge a header naming our host and its own address.
   */
  private static Hop fold(Hop firsthand, Hop ours, ConnectionFacts c) {
    Hop.Builder b = firsthand.toBuilder();
    if (firsthand.date().isEmpty()) {
      b.date(ours.date().orElse(null));
    }
    if (firsthand.forAddress().isEmpty()) {
      b.forAddress(ours.forAddress().orElse(null));
    }
    if (firsthand.id().isEmpty()) {
      b.id(ours.id().orElse(null));
    }
    if (firsthand.byHost().isEmpty()) {
      b.byHost(ours.byHost().orElse(null));
    }
    if (firsthand.protocol().isEmpty() && ours.protocol().isPresent()) {
      Protocol p = ours.protocol().get();
      boolean byQueueId = c.queueId().isPresent() && ours.id().isPresent()
          && c.queueId().get().equalsIgnoreCase(ours.id().get());
      boolean claimsMore = (p.saysTls() && !c.tls()) || (p.saysAuthenticated() && c.authUser().isEmpty());
      if (byQueueId || !claimsMore) {
        b.protocol(p);
      }
    }
    return b.build();
  }

  private static String normalHost(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }
}
