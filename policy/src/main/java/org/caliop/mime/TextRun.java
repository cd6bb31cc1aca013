package org.caliop.mime;

import java.io.OutputStream;

/**
 * Whether bytes written hold a run of {@value OpenPgpCheck#MAX_TEXT_RUN} printable ASCII bytes: a sentence, which
 * ciphertext (random bytes) holds with a probability below 1e-19 per byte. OpenPGP packets ({@link OpenPgpCheck}) and
 * CMS encrypted content are both held to it: a real header with a letter in place of the ciphertext is no ciphertext.
 */
final class TextRun extends OutputStream {
  private int run;
  private boolean found;

  @Override
  public void write(int b) {
    int c = b & 0xFF;
    if (c >= 0x20 && c < 0x7F || c == '\t' || c == '\r' || c == '\n') {
      if (++run >= OpenPgpCheck.MAX_TEXT_RUN) {
        found = true;
      }
    } else {
      run = 0;
    }
  }

  @Override
  public void write(byte[] b, int off, int len) {
    for (int i = off; i < off + len && !found; i++) {
      write(b[i]);
    }
  }

  boolean found() {
    return found;
  }
}
