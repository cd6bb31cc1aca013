package org.caliop.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.caliop.hop.IpAddress;
import org.caliop.hop.Network;

/**
 * A relay whose {@code Received:} lines we believe ({@code trust.trusted_relays}): a content filter re-injecting
 * mail, a submission server relaying for its authenticated users, another MTA of ours. A client is this relay when
 * its address is in {@link #networks()} and, if the relay names a listener, it connected to that listener: by
 * daemon name ({@code {daemon_name}}) and/or local address and port ({@code {daemon_addr}}:{@code {daemon_port}}, a
 * James server's bound address).
 *
 * <p>A relay without a listener is recognised by its network alone, also as the client recorded in a header line of
 * ours (a header never says which listener a client used). Every process on a host shares its loopback address, so
 * a relay on a loopback network must name a listener: {@link #of} refuses it otherwise.
 */
public final class TrustedRelay {
  private final List<Network> networks;
  private final String daemonName;
  private final IpAddress listenerAddress;
  private final int listenerPort;

  private TrustedRelay(List<Network> networks, String daemonName, IpAddress listenerAddress, int listenerPort) {
    this.networks = List.copyOf(networks);
    this.daemonName = daemonName;
    this.listenerAddress = listenerAddress;
    this.listenerPort = listenerPort;
  }

  /**
   * @param networks CIDR blocks or bare addresses of the relay, at least one
   * @param listener {@code address:port}, {@code [v6]:port} or {@code *:port} the relay connects to, or null
   * @param daemonName the listener's daemon name, or null
   * @throws IllegalArgumentException naming what is wrong (for the policy compiler to report)
   */
  public static TrustedRelay of(List<String> networks, String listener, String daemonName) {
    if (networks == null || networks.isEmpty()) {
      throw new IllegalArgumentException("a trusted relay needs networks: the addresses it connects from");
    }
    List<Network> parsed = new ArrayList<>(networks.size());
    for (String n : networks) {
      parsed.add(Network.parse(n));
    }
    String name = daemonName == null || daemonName.isBlank() ? null : daemonName.trim();
    if (name != null && !name.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
      throw new IllegalArgumentException("bad daemon_name '" + daemonName + "': printable ASCII without spaces");
    }
    IpAddress address = null;
    int port = 0;
    if (listener != null && !listener.isBlank()) {
      String l = listener.trim();
      int colon = l.lastIndexOf(':');
      String host = colon < 0 ? "" : l.substring(0, colon);
      String p = colon < 0 ? "" : l.substring(colon + 1);
      if (colon < 0 || p.isEmpty() || p.length() > 5 || !p.chars().allMatch(Character::isDigit)
          || Integer.parseInt(p) < 1 || Integer.parseInt(p) > 65535) {
        throw new IllegalArgumentException("bad listener '" + listener + "': expected address:port, [ipv6]:port or "
            + "*:port with a port from 1 to 65535");
      }
      port = Integer.parseInt(p);
      if (!host.equals("*")) {
        if (!(host.startsWith("[") && host.endsWith("]")) && host.indexOf(':') >= 0) {
          throw new IllegalArgumentException("bad listener '" + listener + "': write an IPv6 address in brackets, "
              + "[::1]:10025");
        }
        address = IpAddress.orNull(host);
        if (address == null) {
          throw new IllegalArgumentException("bad listener '" + listener + "': '" + host + "' is not an IP address "
              + "(or * for any)");
        }
      }
    }
    if (name == null && port == 0) {
      for (Network n : parsed) {
        if (n.contains(LOOPBACK_V4) || n.contains(LOOPBACK_V6)) {
          throw new IllegalArgumentException("trusted relay " + n + " includes loopback, where every local process "
              + "connects from (a web form, a cron job): name its listener (listener: 127.0.0.1:10025 or "
              + "daemon_name)");
        }
      }
    }
    return new TrustedRelay(parsed, name, address, port);
  }

  private static final IpAddress LOOPBACK_V4 = IpAddress.orNull("127.0.0.1");
  private static final IpAddress LOOPBACK_V6 = IpAddress.orNull("::1");

  public List<Network> networks() { return networks; }
  public Optional<String> daemonName() { return Optional.ofNullable(daemonName); }
  public Optional<IpAddress> listenerAddress() { return Optional.ofNullable(listenerAddress); }
  /** 0 when the relay names no listener address. */
  public int listenerPort() { return listenerPort; }

  /** The relay names no listener: its network alone identifies it, first-hand and in header lines of ours. */
  public boolean byNetworkAlone() {
    return daemonName == null && listenerPort == 0;
  }

  /** Whether a client at this address, connected to this listener, is this relay. */
  public boolean matches(IpAddress client, Listener listener) {
    if (client == null || !inNetworks(client)) {
      return false;
    }
    if (daemonName != null && !listener.name().map(daemonName::equalsIgnoreCase).orElse(false)) {
      return false;
    }
    if (listenerPort != 0) {
      if (listener.port() != listenerPort) {
        return false;
      }
      if (listenerAddress != null && !listener.address().map(listenerAddress::equals).orElse(false)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the address is in the relay's networks. */
  public boolean inNetworks(IpAddress address) {
    for (Network n : networks) {
      if (n.contains(address)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TrustedRelay)) {
      return false;
    }
    TrustedRelay r = (TrustedRelay) o;
    return networks.toString().equals(r.networks.toString()) && Objects.equals(daemonName, r.daemonName)
        && Objects.equals(listenerAddress, r.listenerAddress) && listenerPort == r.listenerPort;
  }

  @Override
  public int hashCode() {
    return Objects.hash(networks.toString(), daemonName, listenerAddress, listenerPort);
  }

  /** {@code 127.0.0.1/32 via name=reinject 127.0.0.1:10025}. */
  @Override
  public String toString() {
    String via = byNetworkAlone() ? "" : " via " + Listener.of(daemonName, listenerAddress, listenerPort);
    return String.join(",", networks.stream().map(Network::toString).toArray(String[]::new)).toLowerCase(Locale.ROOT)
        + via;
  }
}
