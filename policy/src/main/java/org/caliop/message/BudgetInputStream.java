package org.caliop.message;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.BooleanSupplier;

/** Ends a body early (as if at its end) once the message has been read past the inspect limit. */
final class BudgetInputStream extends FilterInputStream {
  private final BooleanSupplier exhausted;

  BudgetInputStream(InputStream in, BooleanSupplier exhausted) {
    super(in);
    this.exhausted = exhausted;
  }

  @Override
  public int read() throws IOException {
    return exhausted.getAsBoolean() ? -1 : super.read();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return exhausted.getAsBoolean() ? -1 : super.read(b, off, len);
  }
}
