package org.caliop.milter.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FactsSealTest {
  private static final byte[] K1 = key(1);
  private static final byte[] K2 = key(2);
  private static final String FACTS = "ip=\"198.51.100.7\", tls=TLSv1.3, auth=\"alice\"";

  @TempDir
  Path dir;

  private static byte[] key(int b) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) b);
    return k;
  }

  @Test
  void whatIsSealedShouldOpenForTheSameSender() {
    FactsSeal seal = new FactsSeal(SealKeys.of(K1));

    String v = seal.seal(FACTS, "<Alice@Example.org>");

    assertThat(v).doesNotContain(FACTS).doesNotContain("198.51.100.7");
    assertThat(seal.open(v, "alice@example.org")).contains(FACTS);
  }

  @Test
  void theValueShouldBeFoldedIntoShortLinesAndOpenHoweverAnMtaRefoldsIt() {
    FactsSeal seal = new FactsSeal(SealKeys.of(K1));
    String v = seal.seal(FACTS.repeat(20), "a@example.org");

    assertThat(v.split("\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(77));
    assertThat(seal.open(v.replace("\n\t", ""), "a@example.org")).isPresent();
    assertThat(seal.open(v.replace("\n\t", "\r\n "), "a@example.org")).isPresent();
    // Postfix's smtp client breaks a long line by inserting CRLF SPACE anywhere, even inside a token
    String joined = v.replace("\n\t", "");
    String broken = joined.substring(0, 33) + "\r\n " + joined.substring(33);
    assertThat(seal.open(broken, "a@example.org")).isPresent();
  }

  @Test
  void anotherSenderAnAlterationOrAnotherKeyShouldNotOpen() {
    FactsSeal seal = new FactsSeal(SealKeys.of(K1));
    String v = seal.seal(FACTS, "a@example.org").replace("\n\t", "");

    assertThat(seal.open(v, "b@example.org")).isEmpty();
    assertThat(seal.open(v, "")).isEmpty();
    int c = v.indexOf(",c=:") + 6;
    char flipped = v.charAt(c) == 'A' ? 'B' : 'A';
    assertThat(seal.open(v.substring(0, c) + flipped + v.substring(c + 1), "a@example.org")).isEmpty();
    assertThat(new FactsSeal(SealKeys.of(K2)).open(v, "a@example.org")).isEmpty();
    // the key id of K2 on K1's sealing: no key opens it
    assertThat(new FactsSeal(SealKeys.of(K2, K1)).open(v.replaceFirst("k=:[^:]*:", "k=:"
        + Base64.getEncoder().encodeToString(Arrays.copyOf(K2, 4)) + ":"), "a@example.org")).isEmpty();
  }

  @Test
  void aSenderWritingHisOwnValueShouldGetNothing() {
    FactsSeal seal = new FactsSeal(SealKeys.of(K1));
    String nonce = Base64.getEncoder().encodeToString(new byte[12]);
    for (String forged : new String[] {FACTS, "v=1", "v=1,k=:AAAAAA==:,n=:" + nonce + ":,c=:AAAA:",
        "v=2,k=:AAAAAA==:,n=:" + nonce + ":,c=:AAAA:", "((((", "", "v=1,c=" + "A".repeat(60_000)}) {
      assertThat(seal.open(forged, "a@example.org")).as(forged).isEmpty();
    }
    assertThat(seal.open(null, "a@example.org")).isEmpty();
  }

  @Test
  void aNewKeyFirstShouldSealWhileTheOldOneStillOpens() {
    String old = new FactsSeal(SealKeys.of(K1)).seal(FACTS, "a@example.org");
    FactsSeal rotated = new FactsSeal(SealKeys.of(K2, K1));

    assertThat(rotated.open(old, "a@example.org")).contains(FACTS);
    assertThat(new FactsSeal(SealKeys.of(K1)).open(rotated.seal(FACTS, "a@example.org"), "a@example.org")).isEmpty();
  }

  @Test
  void moreThanTheBoundShouldNotBeSealed() {
    FactsSeal seal = new FactsSeal(SealKeys.of(K1));

    assertThatThrownBy(() -> seal.seal("x".repeat(FactsSeal.MAX_PLAIN + 1), "a@example.org"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(seal.open(seal.seal("x".repeat(FactsSeal.MAX_PLAIN), "a@example.org"), "a@example.org")).isPresent();
  }

  @Test
  void aMissingKeyFileShouldBeMadeSecretAndThenBeRead() throws IOException {
    Path file = dir.resolve("lib/caliop/seal.key");

    SealKeys made = SealKeys.readOrCreate(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    String v = new FactsSeal(made).seal(FACTS, "a@example.org");
    assertThat(new FactsSeal(SealKeys.readOrCreate(file)).open(v, "a@example.org")).contains(FACTS);
  }

  @Test
  void aBrokenKeyFileShouldNameTheLine() throws IOException {
    Path file = dir.resolve("seal.key");
    Files.writeString(file, "# ours\n" + Base64.getEncoder().encodeToString(new byte[16]) + "\n");
    assertThatThrownBy(() -> SealKeys.read(file)).hasMessageContaining("seal.key:2").hasMessageContaining("32 bytes");
    Files.writeString(file, "# nothing\n\n");
    assertThatThrownBy(() -> SealKeys.read(file)).hasMessageContaining("no key");
    Files.writeString(file, "not base64 !!\n");
    assertThatThrownBy(() -> SealKeys.read(file)).hasMessageContaining("not base64");
  }
}
