package org.caliop.spill;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For {@link SpillDirectoryTest}: holds a spill directory with one file in it until killed; with a second argument,
 * then opens another one in the same JVM.
 */
public final class SpillHolder {
  private SpillHolder() {
  }

  public static void main(String[] args) throws Exception {
    SpillDirectory spill = SpillDirectory.open(Path.of(args[0]));
    Files.writeString(spill.path().resolve("caliop-1.eml"), "Subject: clear text\r\n\r\nx\r\n");
    if (args.length > 1) {
      // a second daemon or mailet in this JVM: its sweep looks at the first one's directory
      SpillDirectory.open(Path.of(args[0]));
    }
    System.out.println(spill.path());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
