package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The daemon at the byte level, without an MTA: negotiation, and a peer that breaks the framing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MilterProtocolTest {
  private final RecipientPolicy policy = new RecipientPolicy();
  private LoopbackMilter milter;
  private int port;

  @BeforeAll
  void start() throws Exception {
    milter = LoopbackMilter.start(policy, Map.of());
    port = milter.port;
  }

  @AfterAll
  void stop() {
    milter.close();
  }

  @Test
  void optnegShouldOfferProtocol6WithOurActionsAndMacros() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5_000);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(13);
      out.writeByte('O');
      out.writeInt(6);
      out.writeInt(0x1ff);
      out.writeInt(0x1fffff);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      int len = in.readInt();
      byte[] reply = in.readNBytes(len);

      assertThat(reply[0]).isEqualTo((byte) 'O');
      assertThat(java.nio.ByteBuffer.wrap(reply, 1, 4).getInt()).isEqualTo(6);
      int actions = java.nio.ByteBuffer.wrap(reply, 5, 4).getInt();
      assertThat(actions & 0x100).as("asks for its own macro list").isNotZero();
      assertThat(actions & 0x20).as("may quarantine").isNotZero();
      assertThat(new String(reply, 13, len - 13, java.nio.charset.StandardCharsets.US_ASCII))
          .contains("{tls_version}").contains("{auth_authen}");
    }
  }

  @Test
  void macrosOfMailFromShouldReachTheFactsAndNotLeakIntoTheNextMessage() throws Exception {
    try (RawMilterClient mta = new RawMilterClient(port)) {
      mta.negotiate().connect().message(new String[] {"i", "QAUTH1", "{auth_type}", "PLAIN", "{auth_authen}", "alice"},
          "someone@y.test", "Subject", "first");
      mta.endOfMessage();
      assertThat(mta.finalAnswer()).isEqualTo('c');
      mta.message(new String[] {"i", "QAUTH2"}, "someone@y.test", "Subject", "second");
      mta.endOfMessage();
      assertThat(mta.finalAnswer()).isEqualTo('c');
    }

    assertThat(policy.factsByQueueId.get("QAUTH1").authUser()).contains("alice");
    assertThat(policy.factsByQueueId.get("QAUTH1").authType()).contains("PLAIN");
    assertThat(policy.factsByQueueId.get("QAUTH1").clientAddress().map(Object::toString)).contains("192.0.2.1");
    assertThat(policy.factsByQueueId.get("QAUTH2").authUser()).isEmpty();
    assertThat(policy.factsByQueueId.get("QAUTH2").clientAddress().map(Object::toString)).contains("192.0.2.1");
  }

  @Test
  void aFrameLongerThanTheLimitShouldCloseTheConnectionAndNothingElse() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5_000);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(Integer.MAX_VALUE);
      out.write(new byte[4096]);
      out.flush();
      InputStream in = s.getInputStream();
      int read;
      try {
        read = in.read();
      } catch (java.net.SocketException reset) {
        read = -1;
      }

      assertThat(read).as("closed (EOF or reset)").isEqualTo(-1);
    }
    optnegShouldOfferProtocol6WithOurActionsAndMacros();
  }

  @Test
  void aHeaderValueThatIsNotUtf8ShouldReachTheEngineByteForByte() throws Exception {
    byte[] latin1 = " caf\u00e9 cr\u00e8me".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    try (RawMilterClient mta = new RawMilterClient(port)) {
      mta.negotiate().messageUpToEomWithRawHeader("B1", "someone@y.test", "Subject", latin1);
      mta.endOfMessage();
      assertThat(mta.finalAnswer()).isEqualTo('c');
    }
    // "Subject:" + value + CRLF, the empty line, "hello" CRLF: decoded as UTF-8, each of the 2 bytes would be 3.
    assertThat(policy.sizeByQueueId.get("B1")).isEqualTo("Subject:".length() + latin1.length + 2 + 2 + 7L);
  }
}
