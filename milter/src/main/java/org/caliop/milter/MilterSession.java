package org.caliop.milter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.caliop.facts.ConnectionFacts;
import org.caliop.hop.Protocol;
import org.caliop.milter.message.MessageInProgress;
import org.nightcode.milter.Actions;
import org.nightcode.milter.CommandCode;
import org.nightcode.milter.MilterContext;
import org.nightcode.milter.MilterException;
import org.nightcode.milter.MilterHandler;
import org.nightcode.milter.MilterMacros;
import org.nightcode.milter.ProtocolSteps;
import org.nightcode.milter.codec.MilterPacket;
import org.nightcode.milter.net.MilterPacketSender;
import org.nightcode.milter.util.MilterPackets;

/**
 * One milter connection (one SMTP session): what the MTA told us about the client, and the message in progress.
 * jmilter keeps macros for the whole connection; we keep connection macros (connect, HELO) apart from message
 * macros (MAIL, RCPT, DATA, EOH, EOM) and drop the latter after every message.
 *
 * <p>Our own {@link MilterContext} rather than jmilter's {@code MilterContextImpl}, which draws a
 * {@code SecureRandom} UUID for every connection; with one SMTP session per connection that was a visible share of
 * the network thread. The protocol state and the no-reply rule are the same as jmilter's.
 */
final class MilterSession implements MilterContext {
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final UUID id = new UUID(0, SEQUENCE.incrementAndGet());
  private final MilterHandler handler;
  private final Actions milterActions;
  private final ProtocolSteps milterSteps;
  private final MilterMacros milterMacros;
  private final MilterPacketSender sender;
  private final ListenRole role;
  private volatile int mtaVersion;
  private volatile Actions mtaActions;
  private volatile ProtocolSteps mtaSteps;
  private volatile int sessionVersion;
  private volatile ProtocolSteps sessionSteps;
  private volatile CommandCode step;

  private final Map<String, String> connectionMacros = new HashMap<>();
  private final Map<String, String> messageMacros = new HashMap<>();
  private volatile String connectHost;
  private volatile String connectAddress;
  private volatile String helo;
  private volatile MessageInProgress message;

  MilterSession(MilterHandler handler, Actions actions, ProtocolSteps steps, MilterMacros macros,
      MilterPacketSender sender) {
    this.handler = handler;
    this.milterActions = actions;
    this.milterSteps = steps;
    this.milterMacros = macros;
    this.sender = sender;
    io.netty.channel.Channel ch = channel();
    ListenRole r = ch == null ? null : ch.attr(ListenRole.KEY).get();
    this.role = r == null ? ListenRole.SMTP : r;
  }

  /** Which of caliop's listeners the MTA connected to. */
  ListenRole role() {
    return role;
  }

  /** Runs {@code sends} and gives the network thread every answer it sent at once (one task, one flush). */
  <E extends Exception> void batch(MilterChannel.Sends<E> sends) throws E {
    if (sender instanceof MilterChannel.Sender s) {
      s.batch(sends);
    } else {
      sends.run();
    }
  }

  /** The connection, when it is one of ours (for back-pressure); null otherwise. */
  io.netty.channel.Channel channel() {
    return sender instanceof MilterChannel.Sender s ? s.channel() : null;
  }

  synchronized void macros(int type, Map<String, String> macros) {
    if (type == 'C') {
      // Connect macros start an SMTP session; an MTA may reuse the milter connection (SMFIC_QUIT_NC), and nothing
      // of the previous client (its TLS, its HELO) may stick to the next one.
      connectionMacros.clear();
      messageMacros.clear();
      helo = null;
      connectAddress = null;
      connectHost = null;
    }
    if (type == 'C' || type == 'H') {
      connectionMacros.putAll(macros);
    } else {
      messageMacros.putAll(macros);
    }
  }

  void connected(String hostname, SocketAddress address) {
    connectHost = hostname;
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      connectAddress = inet.getAddress().getHostAddress();
    }
  }

  void helo(String name) {
    helo = name;
  }

  MessageInProgress message() {
    return message;
  }

  void message(MessageInProgress m) {
    message = m;
  }

  /** Hands the message over (to a worker) and forgets it and its macros; the caller now owns it. */
  synchronized MessageInProgress detachMessage() {
    MessageInProgress m = message;
    message = null;
    messageMacros.clear();
    return m;
  }

  /** Forgets everything about the SMTP session (SMFIC_QUIT_NC: the connection is reused for another client). */
  synchronized void newSmtpSession() {
    discardMessage();
    connectionMacros.clear();
    helo = null;
    connectAddress = null;
    connectHost = null;
  }

  /** Drops the message in progress, if any (abort, quit). */
  void discardMessage() {
    MessageInProgress m = detachMessage();
    if (m != null) {
      m.close();
    }
  }

  synchronized String macro(String name) {
    String v = messageMacros.get(name);
    return v != null ? v : connectionMacros.get(name);
  }

  /**
   * First-hand facts from the macros, the connect event and HELO; on caliop's listener for local submissions they
   * are a local submission ({@link ConnectionFacts#localSubmission()}).
   */
  synchronized ConnectionFacts facts() {
    String address = firstNonBlank(macro("{client_addr}"), connectAddress);
    String name = firstNonBlank(macro("{client_name}"), connectHost);
    if (name != null && (name.equalsIgnoreCase("unknown") || name.startsWith("["))) {
      name = null;
    }
    Integer bits = null;
    String rawBits = macro("{cipher_bits}");
    if (rawBits != null) {
      try {
        bits = Integer.valueOf(rawBits.trim());
      } catch (NumberFormatException ignored) {
        // a cipher without a readable size is still a cipher
      }
    }
    String tls = macro("{tls_version}");
    String auth = macro("{auth_authen}");
    boolean withTls = tls != null && !tls.isBlank();
    boolean withAuth = auth != null && !auth.isBlank();
    // Only ESMTP carries STARTTLS and AUTH; plain SMTP vs ESMTP is not told by Postfix.
    Protocol protocol = withTls || withAuth ? Protocol.esmtp(withTls, withAuth) : null;
    return ConnectionFacts.builder()
        .clientAddress(address)
        .clientName(name)
        .helo(firstNonBlank(helo, macro("{client_helo}")))
        .tlsVersion(tls)
        .cipher(macro("{cipher}"))
        .cipherBits(bits)
        .authType(macro("{auth_type}"))
        .authUser(auth)
        .certSubject(macro("{cert_subject}"))
        .certIssuer(macro("{cert_issuer}"))
        .receivedBy(macro("j"))
        .daemonName(macro("{daemon_name}"))
        .daemonAddress(macro("{daemon_addr}"))
        .daemonPort(macro("{daemon_port}"))
        .queueId(macro("i"))
        .protocol(protocol)
        .localSubmission(role == ListenRole.LOCAL)
        .build();
  }

  private static String firstNonBlank(String a, String b) {
    if (a != null && !a.isBlank()) {
      return a;
    }
    return b == null || b.isBlank() ? null : b;
  }
  // --- MilterContext: protocol state, as jmilter's MilterContextImpl keeps it ---

  @Override
  public MilterHandler handler() {
    return handler;
  }

  @Override
  public UUID id() {
    return id;
  }

  @Override
  public void destroy() {
    sender.close();
  }

  @Override
  public synchronized Map<String, String> getMacros(int type) {
    return Map.copyOf(type == 'C' || type == 'H' ? connectionMacros : messageMacros);
  }

  @Override
  public void setMacros(int type, Map<String, String> macros) {
    macros(type, macros);
  }

  @Override
  public Actions getMtaActions() {
    return mtaActions;
  }

  @Override
  public void setMtaActions(Actions actions) {
    mtaActions = actions;
  }

  @Override
  public ProtocolSteps getMtaProtocolSteps() {
    return mtaSteps;
  }

  @Override
  public void setMtaProtocolSteps(ProtocolSteps steps) {
    mtaSteps = steps;
  }

  @Override
  public int getMtaProtocolVersion() {
    return mtaVersion;
  }

  @Override
  public void setMtaProtocolVersion(int version) {
    mtaVersion = version;
  }

  @Override
  public ProtocolSteps getSessionProtocolSteps() {
    return sessionSteps;
  }

  @Override
  public void setSessionProtocolSteps(ProtocolSteps steps) {
    sessionSteps = steps;
  }

  @Override
  public int getSessionProtocolVersion() {
    return sessionVersion;
  }

  @Override
  public void setSessionProtocolVersion(int version) {
    sessionVersion = version;
  }

  @Override
  public CommandCode getSessionStep() {
    return step;
  }

  @Override
  public void setSessionStep(CommandCode step) {
    this.step = step;
  }

  @Override
  public Actions milterActions() {
    return milterActions;
  }

  @Override
  public MilterMacros milterMacros() {
    return milterMacros;
  }

  @Override
  public ProtocolSteps milterProtocolSteps() {
    return milterSteps;
  }

  @Override
  public int milterProtocolVersion() {
    return PROTOCOL_VERSION;
  }

  @Override
  public void sendContinue() throws MilterException {
    sendPacket(MilterPackets.SMFIS_CONTINUE);
  }

  /** Sends a packet, unless the session agreed that the MTA expects no answer at this step. */
  @Override
  public void sendPacket(MilterPacket packet) throws MilterException {
    CommandCode current = step;
    int noReply = current == null ? 0 : current.noReplyBit();
    ProtocolSteps agreed = sessionSteps;
    if (noReply != 0 && agreed != null && (agreed.bitmap() & noReply) != 0) {
      return;
    }
    try {
      sender.send(packet);
    } catch (IOException e) {
      throw new MilterException("unable to send packet: " + packet, e);
    }
  }
}
