package org.caliop.milter;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.caliop.engine.ConnectionFacts;
import org.caliop.milter.message.MessageInProgress;
import org.nightcode.milter.Actions;
import org.nightcode.milter.MilterHandler;
import org.nightcode.milter.MilterContextImpl;
import org.nightcode.milter.MilterMacros;
import org.nightcode.milter.ProtocolSteps;
import org.nightcode.milter.net.MilterPacketSender;

/**
 * One milter connection (one SMTP session): what the MTA told us about the client, and the message in progress.
 * jmilter keeps macros for the whole connection; we keep connection macros (connect, HELO) apart from message
 * macros (MAIL, RCPT, DATA, EOH, EOM) and drop the latter after every message.
 */
final class MilterSession extends MilterContextImpl {
  private final Map<String, String> connectionMacros = new HashMap<>();
  private final Map<String, String> messageMacros = new HashMap<>();
  private volatile String connectHost;
  private volatile String connectAddress;
  private volatile String helo;
  private volatile MessageInProgress message;
  private final MilterPacketSender sender;

  MilterSession(MilterHandler handler, Actions actions, ProtocolSteps steps, MilterMacros macros,
      MilterPacketSender sender) {
    super(handler, actions, steps, macros, sender);
    this.sender = sender;
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

  /** First-hand facts from the macros, the connect event and HELO. */
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
    String protocol = null;
    if (tls != null && !tls.isBlank() || auth != null && !auth.isBlank()) {
      // Only ESMTP carries STARTTLS and AUTH; plain SMTP vs ESMTP is not told by Postfix.
      protocol = "ESMTP" + (tls != null && !tls.isBlank() ? "S" : "") + (auth != null && !auth.isBlank() ? "A" : "");
    }
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
        .queueId(macro("i"))
        .protocol(protocol)
        .build();
  }

  private static String firstNonBlank(String a, String b) {
    if (a != null && !a.isBlank()) {
      return a;
    }
    return b == null || b.isBlank() ? null : b;
  }
}
