package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.EnumMap;
import java.util.Map;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.MilterConfig;
import org.caliop.policy.Policy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The daemon at the byte level, without an MTA: negotiation, and a peer that breaks the framing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MilterProtocolTest {
  private CaliopMilter milter;
  private int port;

  @BeforeAll
  void start() throws Exception {
    Map<Knob, String> v = new EnumMap<>(Knob.class);
    v.put(Knob.LISTEN, "inet:127.0.0.1:0");
    milter = CaliopMilter.start(MilterConfig.of(v), PolicySource.fixed(Policy.builtIn()));
    port = ((InetSocketAddress) milter.addresses().get(0)).getPort();
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
}
