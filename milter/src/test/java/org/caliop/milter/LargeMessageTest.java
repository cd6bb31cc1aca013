package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.caliop.milter.config.Knob;
import org.junit.jupiter.api.Test;

/**
 * A message far larger than the memory buffer: its bytes go to the spill file on the spill threads (not the network
 * thread) while the MTA keeps sending, and the judgement still sees every byte in order.
 */
class LargeMessageTest {
  @Test
  void aMessageSpilledToDiskShouldReachTheEncryptorWholeAndInOrder() throws Exception {
    RecipientPolicy policy = new RecipientPolicy();
    LoopbackMilter milter = LoopbackMilter.start(policy, Map.of(Knob.MEMORY_BUFFER_SIZE, "4k"));
    int port = milter.port;
    StringBuilder body = new StringBuilder("hello\r\n");
    try (RawMilterClient mta = new RawMilterClient(port)) {
      mta.negotiate().messageUpToEom("QBIG", "encrypt-ok@y.test", "Subject", "big");
      for (int chunk = 0; chunk < 40; chunk++) {
        StringBuilder c = new StringBuilder();
        for (int line = 0; c.length() < 60_000; line++) {
          c.append("chunk ").append(chunk).append(" line ").append(line).append("\r\n");
        }
        body.append(c);
        mta.body(c.toString().getBytes(StandardCharsets.US_ASCII));
      }
      mta.endOfMessage();

      List<byte[]> answers = mta.rawAnswers();
      ByteArrayOutputStream replaced = new ByteArrayOutputStream();
      for (byte[] a : answers) {
        if (a[0] == 'b') {
          replaced.write(a, 1, a.length - 1);
        }
      }
      assertThat((char) answers.get(answers.size() - 1)[0]).isEqualTo('c');
      String armoured = replaced.toString(StandardCharsets.US_ASCII);
      assertThat(armoured).startsWith(RecipientPolicy.ARMOUR_BEGIN.trim());
      String b64 = armoured.substring(armoured.indexOf('\n') + 1, armoured.indexOf("-----END"));
      String plain = new String(java.util.Base64.getMimeDecoder().decode(b64.trim()), StandardCharsets.US_ASCII);
      assertThat(plain).isEqualTo("Subject: big\r\n\r\n" + body);
    } finally {
      milter.close();
    }
  }
}
