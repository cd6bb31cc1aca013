package org.caliop.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 100 MiB message encrypted in a JVM limited to a 16 MiB heap, then decrypted by gpg and openssl: memory does not
 * grow with the message and not a byte is lost.
 */
class BigMessageTest {
  static final int MEGABYTES = 100;
  static final String HEAP = "-Xmx16m";

  @TempDir
  static Path tmp;
  static Path keys;
  static Path gpgHome;
  static Path[] alice;

  @BeforeAll
  static void keys() throws IOException {
    keys = Files.createDirectories(tmp.resolve("keys"));
    Files.copy(Tools.PGP_FIXTURES.resolve("alice-public.asc"), keys.resolve("alice-public.asc"));
    alice = Tools.p12("Alice", Files.createDirectories(tmp.resolve("certs")));
    Files.copy(alice[0], keys.resolve("alice.crt"));
    gpgHome = Tools.gpgHome(tmp, "alice-secret.asc");
  }

  @AfterAll
  static void stopAgent() {
    Tools.stopAgent(gpgHome);
  }

  static Map<String, String> probe(String format, String recipient, Path out) {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, HEAP, "-cp", System.getProperty("java.class.path"),
        BigMessageProbe.class.getName(), keys.toString(), format, recipient, String.valueOf(MEGABYTES),
        out.toString()));
    Tools.Result r = Tools.ok(command, Map.of(), null);
    Map<String, String> values = new java.util.HashMap<>();
    for (String pair : r.text().trim().split(" ")) {
      int eq = pair.indexOf('=');
      values.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return values;
  }

  /** SHA-256 of what follows the inner entity's header section. */
  static String bodyDigest(InputStream decrypted) throws IOException {
    int state = 0; // counts the bytes of CRLF CRLF seen so far
    int b;
    while (state < 4 && (b = decrypted.read()) != -1) {
      state = b == (state % 2 == 0 ? '\r' : '\n') ? state + 1 : (b == '\r' ? 1 : 0);
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      DigestInputStream in = new DigestInputStream(decrypted, sha);
      in.transferTo(OutputStream.nullOutputStream());
      return BigMessageProbe.hex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aHundredMegabyteMessageShouldEncryptToPgpInASixteenMegabyteHeapAndDecryptWhole() throws Exception {
    Path out = tmp.resolve("big.pgp");
    Map<String, String> probe = probe("pgp", "alice@example.org", out);

    assertThat(probe.get("status")).isEqualTo("ENCRYPTED");
    assertThat(Long.parseLong(probe.get("body-bytes"))).isGreaterThan(((long) MEGABYTES << 20) - 1024);
    // gpg skips the MIME text around the armor.
    ProcessBuilder decrypt = new ProcessBuilder("gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
        "--decrypt", out.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
    decrypt.environment().putAll(Tools.gpgEnv(gpgHome));
    Process gpg = decrypt.start();
    assertThat(bodyDigest(gpg.getInputStream())).isEqualTo(probe.get("body-sha256"));
    assertThat(gpg.waitFor()).isZero();
  }

  @Test
  void aHundredMegabyteMessageShouldEncryptToSmimeInASixteenMegabyteHeapAndDecryptWhole() throws Exception {
    Path out = tmp.resolve("big.p7m.b64");
    Map<String, String> probe = probe("smime", "alice@example.com", out);

    assertThat(probe.get("status")).isEqualTo("ENCRYPTED");
    Path der = tmp.resolve("big.p7m");
    // The JDK's base64 decoder reads its source one byte at a time: buffer it.
    try (InputStream in = Base64.getMimeDecoder()
        .wrap(new java.io.BufferedInputStream(Files.newInputStream(out), 1 << 16))) {
      Files.copy(in, der);
    }
    Path clear = tmp.resolve("big.clear");
    Tools.ok(List.of("openssl", "cms", "-decrypt", "-binary", "-inform", "DER", "-in", der.toString(), "-recip",
        alice[0].toString(), "-inkey", alice[1].toString(), "-out", clear.toString()), Map.of(), null);
    try (InputStream in = Files.newInputStream(clear)) {
      assertThat(bodyDigest(in)).isEqualTo(probe.get("body-sha256"));
    }
  }
}
