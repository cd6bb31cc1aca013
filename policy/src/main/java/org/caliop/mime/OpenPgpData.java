package org.caliop.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * What the bytes of an OpenPGP data part are: the ciphertext part of PGP/MIME, or an attachment named
 * {@code *.pgp}, {@code *.gpg} or {@code *.asc}. Binary packets go to {@link OpenPgpCheck}; armor (text starting with
 * {@code -----BEGIN PGP}) to {@link InlinePgpScanner}, which must find one ciphertext block and nothing readable.
 */
final class OpenPgpData {
  private static final int PEEK = 64;
  private static final int CHUNK = 8192;
  private static final byte[] BEGIN_ANY = "-----BEGIN PGP ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final OpenPgpCheck.Result result;
  private final boolean empty;
  private final boolean cutShort;

  private OpenPgpData(OpenPgpCheck.Result result, boolean empty, boolean cutShort) {
    this.result = result;
    this.empty = empty;
    this.cutShort = cutShort;
  }

  OpenPgpCheck.Result result() {
    return result;
  }

  /** Nothing but white space. */
  boolean empty() {
    return empty;
  }

  /** Longer than the limit: the rest was not read. */
  boolean cutShort() {
    return cutShort;
  }

  /**
   * Reads {@code body} (decoded): leading white space and text up to {@code limit} bytes; binary packets and an
   * armor block open at the limit to the end of the body.
   */
  static OpenPgpData read(InputStream body, long limit, InlinePgpScanner scanner) throws IOException {
    PrefixInputStream in = new PrefixInputStream(body, limit);
    int b;
    long skipped = 0;
    do {
      b = in.read();
      skipped++;
    } while (b == ' ' || b == '\t' || b == '\r' || b == '\n');
    if (b < 0) {
      // Nothing, or only white space, as far as we read.
      return new OpenPgpData(OpenPgpCheck.Result.NOT_OPENPGP, !in.reachedLimit(), in.reachedLimit());
    }
    byte[] peek = new byte[PEEK];
    peek[0] = (byte) b;
    int n = 1;
    if ((b & 0x80) != 0) {
      OpenPgpCheck packets = new OpenPgpCheck();
      packets.update(peek, 0, 1);
      // Binary packets: their headers are followed to the end of the part, past the limit, so that nothing after
      // the last packet goes unseen (streaming, nothing kept).
      in.lift();
      byte[] chunk = new byte[CHUNK];
      int r;
      while ((r = in.read(chunk, 0, CHUNK)) > 0) {
        packets.update(chunk, 0, r);
      }
      return new OpenPgpData(packets.result(), false, false);
    }
    while (n < BEGIN_ANY.length && (b = body.read()) >= 0) {
      peek[n++] = (byte) b;
    }
    // Armor: the scanner reads the rest under the same limit, counting what was read already.
    InputStream whole = new SequenceInputStream(new ByteArrayInputStream(peek, 0, n), body);
    InlinePgpScanner.Finding f = scanner.scan(whole, false, false, Math.max(1, limit - skipped + 1));
    OpenPgpCheck.Result result;
    if (f.ciphertextBlocks() == 1 && !f.clear()) {
      result = OpenPgpCheck.Result.CIPHERTEXT;
    } else if (!f.brokenArmor() && startsWith(peek, 0, n, BEGIN_ANY)) {
      // A key, a signature, signed data: OpenPGP, readable by anyone.
      result = OpenPgpCheck.Result.OTHER_OPENPGP;
    } else {
      result = OpenPgpCheck.Result.NOT_OPENPGP;
    }
    return new OpenPgpData(result, false, f.cutShort());
  }

  private static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
    if (to - from < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[from + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
