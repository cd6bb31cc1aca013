package org.caliop.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caliop.message.Messages.crlf;
import static org.caliop.message.Messages.scan;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A message block is credited only in the shape an encoder writes (one line width, none over 76, no white space
 * inside a line) and with base64 symbols spread as random bytes spread them (finding 03 of the outsider review).
 */
class ArmorShapeTest {
  private static final String FROM = "From: a@example.org";

  /** gpg's PKESK to alice, then a SEIPD packet of {@code length} bytes from {@code random}: real-looking packets. */
  private static byte[] randomPackets(Random random, int length) {
    byte[] real = Ciphertext.binaryToAlice();
    int pkesk = FreshLabelCases.packetLength(real);
    byte[] p = new byte[pkesk + 3 + length];
    System.arraycopy(real, 0, p, 0, pkesk);
    p[pkesk] = (byte) 0xD2;
    p[pkesk + 1] = (byte) (((length - 192) >> 8) + 192);
    p[pkesk + 2] = (byte) (length - 192);
    byte[] body = new byte[length];
    random.nextBytes(body);
    body[0] = 1;
    System.arraycopy(body, 0, p, pkesk + 3, length);
    return p;
  }

  private static String armor(byte[] data, int width) {
    int crc = Crc24.update(Crc24.INIT, data, 0, data.length);
    byte[] sum = {(byte) (crc >> 16), (byte) (crc >> 8), (byte) crc};
    return crlf("-----BEGIN PGP MESSAGE-----", "", Base64.getMimeEncoder(width, new byte[] {'\r', '\n'})
        .encodeToString(data), "=" + Base64.getEncoder().encodeToString(sum), "-----END PGP MESSAGE-----");
  }

  private static Encryption judge(String armor) {
    return scan(crlf(FROM, "") + armor).content().encrypted();
  }

  @Test
  void armorWrappedAt64Or76ShouldBeCreditedAndWiderOrUnevenLinesNot() {
    byte[] packets = randomPackets(new Random(1), 1500);
    String at64 = armor(packets, 64);
    String[] lines = at64.split("\r\n");
    String unevenLine = at64.replace(lines[5] + "\r\n" + lines[6], lines[5] + lines[6].substring(0, 4) + "\r\n"
        + lines[6].substring(4));
    String spaceInside = at64.replace(lines[5], lines[5].substring(0, 32) + " " + lines[5].substring(32));

    assertThat(judge(at64)).isEqualTo(Encryption.PGP_INLINE);
    assertThat(judge(armor(packets, 76))).isEqualTo(Encryption.PGP_INLINE);
    assertThat(judge(armor(packets, 80))).isEqualTo(Encryption.NONE);
    assertThat(judge(unevenLine)).isEqualTo(Encryption.NONE);
    assertThat(judge(spaceInside)).isEqualTo(Encryption.NONE);
    assertThat(judge(at64.replace("\r\n" + lines[5], "\r\n   " + lines[5] + "  "))).isEqualTo(Encryption.PGP_INLINE);
  }

  @Test
  void wordsDressedAsArmorShouldBeALabel() {
    for (boolean wordLines : new boolean[] {false, true}) {
      String m = new String(FreshLabelCases.wordsDressedAsArmor(wordLines), StandardCharsets.US_ASCII);

      assertThat(m.replaceAll("[\r\n ]", "")).contains(FreshLabelCases.WORDS.substring(0, 60));
      assertThat(scan(m).content()).as("word lines " + wordLines)
          .isEqualTo(ContentProtection.of(Encryption.NONE, Signature.NONE, true));
    }
  }

  @Test
  void randomArmorShouldPassTheDistributionTestEveryTime() {
    // 400 blocks, about 18,000 windows of 256 symbols: random data fails one with a probability near 2e-12.
    Random random = new Random(42);
    for (int i = 0; i < 400; i++) {
      int length = 200 + random.nextInt(3000);
      String armor = armor(randomPackets(random, length), i % 2 == 0 ? 64 : 76);

      assertThat(judge(armor)).as("block %d of %d bytes", i, length).isEqualTo(Encryption.PGP_INLINE);
    }
  }

  @Test
  void theBoundShouldSitBetweenX2Of248And264() {
    // 256 symbols: symbol 0 takes k more than its 4, k other symbols one fewer. S = 1024 + k + k², X² = S/4 - 256.
    assertThat(uniform(31)).isTrue();
    assertThat(uniform(32)).isFalse();
  }

  private static boolean uniform(int k) {
    SymbolDistribution d = new SymbolDistribution();
    for (int v = 0; v < 64; v++) {
      int count = v == 0 ? 4 + k : v <= k ? 3 : 4;
      for (int i = 0; i < count; i++) {
        d.add(v);
      }
    }
    return d.uniform();
  }
}
