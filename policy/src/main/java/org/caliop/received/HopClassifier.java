package org.caliop.received;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.TrustSettings;
import org.caliop.hop.Hop;
import org.caliop.hop.IpAddress;
import org.caliop.hop.Network;
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
 *   into the first-hand hop, and the next header was written by
 *   our client, which is ours when its address is in the internal networks (or its verified name in the internal
 *   hosts).</li>
 *   <li>Without connection facts (a message read from a file), the top header is ours when its {@code by} is one of
 *   the internal hosts or an address in the internal networks.</li>
 *   <li>A header written by one of ours is {@link Trust#INTERNAL}. Its writer vouches for the host it received from:
 *   when that {@code from} IP is internal (or, with no IP, the {@code from} name is an internal host and is the
 *   {@code by} of the next header; or there is no sender at all, a local injection on the same host) the next
 *   header is ours too.</li>
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
      writerOurs = isInternalAddress(c.clientAddress().orElse(null))
          || c.clientName().map(this::isInternalHost).orElse(false);
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

  /** Whether an IP address (v4 or v6 text, brackets allowed) is in one of the internal networks. */
  public boolean isInternalAddress(String ip) {
    if (ip == null || networks.length == 0) {
      return false;
    }
    int from = 0;
    int to = ip.length();
    while (from < to && ip.charAt(from) <= ' ') {
      from++;
    }
    while (to > from && ip.charAt(to - 1) <= ' ') {
      to--;
    }
    if (to - from > 2 && ip.charAt(from) == '[' && ip.charAt(to - 1) == ']') {
      from++;
      to--;
    }
    byte[] b = IpAddress.parse(ip, from, to);
    if (b == null) {
      return false;
    }
    for (Network n : networks) {
      if (n.contains(b)) {
        return true;
      }
    }
    return false;
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
    Optional<String> ip = hop.fromIp();
    if (ip.isPresent()) {
      return isInternalAddress(ip.get());
    }
    Optional<String> from = hop.fromHost();
    if (from.isEmpty() && hop.fromRdns().isEmpty()) {
      // no sender at all: a local injection (list expansion, "(qmail 123 invoked from network)"), so the header
      // below was written on the same host
      return next != null;
    }
    // no TCP address recorded: a host name literal in 'from', or an internal name confirmed by the next 'by'

    if (from.isPresent() && IpAddress.isAddress(from.get())) {
      return isInternalAddress(from.get());
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
    if (top.byHost().isEmpty() || c.clientAddress().isEmpty() || top.fromIp().isEmpty()
        || !IpAddress.sameAddress(c.clientAddress().get(), top.fromIp().get())) {
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
      String p = ours.protocol().get();
      boolean byQueueId = c.queueId().isPresent() && ours.id().isPresent()
          && c.queueId().get().equalsIgnoreCase(ours.id().get());
      boolean claimsMore = (claimsTls(p) && !c.tls()) || (p.endsWith("A") && c.authUser().isEmpty());
      if (byQueueId || !claimsMore) {
        b.protocol(p);
      }
    }
    return b.build();
  }

  private static boolean claimsTls(String protocol) {
    return protocol.endsWith("S") || protocol.endsWith("SA");
  }

  private static String normalHost(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }
}
