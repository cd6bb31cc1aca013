package org.caliop.milter;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The MTA side of the milter protocol, byte by byte, as Postfix speaks it: enough to drive one message. */
final class RawMilterClient implements AutoCloseable {
  private static final int NR_CONNECT = 0x1000;
  private static final int NR_HELO = 0x2000;
  private static final int NR_MAIL = 0x4000;
  private static final int NR_RCPT = 0x8000;
  private static final int NR_DATA = 0x10000;
  private static final int NR_HEADER = 0x80;
  private static final int NR_EOH = 0x40000;
  private static final int NR_BODY = 0x80000;

  private final Socket socket;
  private final DataOutputStream out;
  private final DataInputStream in;
  private int steps;

  RawMilterClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(20_000);
    out = new DataOutputStream(socket.getOutputStream());
    in = new DataInputStream(socket.getInputStream());
  }

  /** Waits this long for each answer instead of 20 s (a large message judged on a loaded machine). */
  RawMilterClient answerTimeout(java.time.Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    return this;
  }

  /** Negotiates protocol 6 offering every action and every step, as Postfix does. */
  RawMilterClient negotiate() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(12).putInt(6).putInt(0x1ff).putInt(0x1fffff);
    send('O', b.array());
    byte[] reply = read();
    steps = ByteBuffer.wrap(reply, 9, 4).getInt();
    return this;
  }

  /** Connect, HELO, MAIL, RCPT, DATA, headers and body, up to (not including) end of message. */
  RawMilterClient messageUpToEom(String queueId, String rcpt, String... headers) throws IOException {
    return connect().message(new String[] {"i", queueId}, rcpt, headers);
  }

  /** Connect (with its macros) and HELO. */
  RawMilterClient connect() throws IOException {
    send('D', cat(new byte[] {'C'}, z("{client_addr}", "192.0.2.1", "j", "mx.caliop.test")));
    command('C', cat(z("client.example"), new byte[] {'4', 0, 25}, z("192.0.2.1")), NR_CONNECT);
    command('H', z("client.example"), NR_HELO);
    return this;
  }

  /** MAIL (after its macros, given as name, value pairs), RCPT, DATA, headers and body; not end of message. */
  RawMilterClient message(String[] mailMacros, String rcpt, String... headers) throws IOException {
    send('D', cat(new byte[] {'M'}, z(mailMacros)));
    command('M', z("<a@x.test>"), NR_MAIL);
    command('R', z("<" + rcpt + ">"), NR_RCPT);
    command('T', new byte[0], NR_DATA);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      command('L', z(headers[i], " " + headers[i + 1]), NR_HEADER);
    }
    command('N', new byte[0], NR_EOH);
    command('B', "hello\r\n".getBytes(StandardCharsets.US_ASCII), NR_BODY);
    return this;
  }

  /**
   * Like {@link #messageUpToEom}, with one header field given as bytes (its value after the colon, sent as it is),
   * then the usual body.
   */
  RawMilterClient messageUpToEomWithRawHeader(String queueId, String rcpt, String name, byte[] value)
      throws IOException {
    connect();
    send('D', cat(new byte[] {'M'}, z("i", queueId)));
    command('M', z("<a@x.test>"), NR_MAIL);
    command('R', z("<" + rcpt + ">"), NR_RCPT);
    command('T', new byte[0], NR_DATA);
    command('L', cat(z(name), value, new byte[] {0}), NR_HEADER);
    command('N', new byte[0], NR_EOH);
    command('B', "hello\r\n".getBytes(StandardCharsets.US_ASCII), NR_BODY);
    return this;
  }

  /**
   * One message as Postfix sends it, up to (not including) end of message: the client's connect (address, name, our
   * host name as {@code j}) and HELO (with the TLS macros when it is on TLS), MAIL with the queue id and SASL user,
   * every RCPT, DATA, the header fields of {@code message} (folds as LF, the value as sent after the colon) and its
   * body in chunks of at most 64 KiB.
   */
  RawMilterClient session(org.caliop.conformance.Client client, String sender, java.util.List<String> recipients,
      byte[] message) throws IOException {
    send('D', cat(new byte[] {'C'}, z("{client_addr}", client.address, "{client_name}", client.name, "j",
        client.receivedBy)));
    command('C', cat(z(client.name), new byte[] {'4', 0, 25}, z(client.address)), NR_CONNECT);
    if (client.tls != null) {
      send('D', cat(new byte[] {'H'}, z("{tls_version}", client.tls, "{cipher}", client.cipher)));
    }
    command('H', z(client.helo), NR_HELO);
    send('D', cat(new byte[] {'M'}, client.authUser == null ? z("i", "CONFORMANCE")
        : z("i", "CONFORMANCE", "{auth_type}", "PLAIN", "{auth_authen}", client.authUser)));
    command('M', z("<" + sender + ">"), NR_MAIL);
    for (String r : recipients) {
      command('R', z("<" + r + ">"), NR_RCPT);
    }
    command('T', new byte[0], NR_DATA);
    headerAndBody(message);
    return this;
  }

  /** Connect, HELO, MAIL, RCPT, DATA, then {@code message}'s header fields and body as Postfix sends them. */
  RawMilterClient messageUpToEom(String queueId, String rcpt, byte[] message) throws IOException {
    connect();
    send('D', cat(new byte[] {'M'}, z("i", queueId)));
    command('M', z("<a@x.test>"), NR_MAIL);
    command('R', z("<" + rcpt + ">"), NR_RCPT);
    command('T', new byte[0], NR_DATA);
    return headerAndBody(message);
  }

  /**
   * The header fields of {@code message} (folds as LF, the value as sent after the colon), end of header, and its
   * body in chunks of at most 64 KiB.
   */
  private RawMilterClient headerAndBody(byte[] message) throws IOException {
    String text = new String(message, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    String head = end < 0 ? text : text.substring(0, end);
    java.util.List<String> fields = new java.util.ArrayList<>();
    for (String line : head.split("\r\n")) {
      if (!fields.isEmpty() && (line.startsWith(" ") || line.startsWith("\t"))) {
        fields.set(fields.size() - 1, fields.get(fields.size() - 1) + "\n" + line);
      } else if (!line.isEmpty()) {
        fields.add(line);
      }
    }
    for (String f : fields) {
      int colon = f.indexOf(':');
      command('L', cat(z(f.substring(0, colon)), f.substring(colon + 1).getBytes(StandardCharsets.ISO_8859_1),
          new byte[] {0}), NR_HEADER);
    }
    command('N', new byte[0], NR_EOH);
    byte[] body = end < 0 ? new byte[0] : text.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1);
    for (int off = 0; off < body.length; off += 65_535) {
      command('B', java.util.Arrays.copyOfRange(body, off, Math.min(body.length, off + 65_535)), NR_BODY);
    }
    return this;
  }

  /** One more body chunk (after {@link #message}). */
  RawMilterClient body(byte[] chunk) throws IOException {
    command('B', chunk, NR_BODY);
    return this;
  }

  /** Every answer up to the final one, as sent: command letter, then payload. */
  java.util.List<byte[]> rawAnswers() throws IOException {
    java.util.List<byte[]> out = new java.util.ArrayList<>();
    while (true) {
      byte[] r = read();
      out.add(r);
      char c = (char) r[0];
      if (c == 'c' || c == 'a' || c == 'y' || c == 't' || c == 'r' || c == 'd') {
        return out;
      }
    }
  }

  /** The final answer as text: its command letter, then its payload without the closing NUL. */
  String finalReply() throws IOException {
    java.util.List<byte[]> all = rawAnswers();
    byte[] r = all.get(all.size() - 1);
    int end = r.length > 1 && r[r.length - 1] == 0 ? r.length - 1 : r.length;
    return new String(r, 0, end, StandardCharsets.UTF_8);
  }

  void endOfMessage() throws IOException {
    send('E', new byte[0]);
  }

  /** Reads answers up to the final one; returns its command letter ('c' continue, 'y' reply code ...). */
  char finalAnswer() throws IOException {
    while (true) {
      byte[] r = read();
      char c = (char) r[0];
      if (c == 'c' || c == 'a' || c == 'y' || c == 't' || c == 'r' || c == 'd') {
        return c;
      }
    }
  }

  /**
   * Every answer up to the final one, as text: {@code m:Name[index]} for a header change (empty value: delete),
   * {@code i:Name[index]} for an insert, {@code h:Name} for an add, else the command letter.
   */
  java.util.List<String> answers() throws IOException {
    java.util.List<String> out = new java.util.ArrayList<>();
    while (true) {
      byte[] r = read();
      char c = (char) r[0];
      if (c == 'm' || c == 'i') {
        int index = ByteBuffer.wrap(r, 1, 4).getInt();
        String name = new String(r, 5, indexOfZero(r, 5) - 5, StandardCharsets.UTF_8);
        out.add(c + ":" + name + "[" + index + "]");
      } else if (c == 'h') {
        out.add("h:" + new String(r, 1, indexOfZero(r, 1) - 1, StandardCharsets.UTF_8));
      } else {
        out.add(String.valueOf(c));
      }
      if (c == 'c' || c == 'a' || c == 'y' || c == 't' || c == 'r' || c == 'd') {
        return out;
      }
    }
  }

  private static int indexOfZero(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == 0) {
        return i;
      }
    }
    return b.length;
  }

  private void command(char cmd, byte[] payload, int noReplyBit) throws IOException {
    send(cmd, payload);
    if ((steps & noReplyBit) == 0) {
      byte[] r = read();
      if (r[0] != 'c') {
        throw new IOException("expected continue after " + cmd + ", got " + (char) r[0]);
      }
    }
  }

  private void send(char cmd, byte[] payload) throws IOException {
    out.writeInt(payload.length + 1);
    out.writeByte(cmd);
    out.write(payload);
    out.flush();
  }

  private byte[] read() throws IOException {
    int len = in.readInt();
    return in.readNBytes(len);
  }

  private static byte[] z(String... parts) {
    StringBuilder sb = new StringBuilder();
    for (String p : parts) {
      sb.append(p).append('\0');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] cat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
