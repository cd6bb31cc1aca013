package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.MilterConfig;
import org.caliop.policy.Policy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unix socket is made with its final mode (issue 13): bound in a private directory, given
 * {@code caliop_unix_socket_mode} there and renamed into place, replacing a socket left by an earlier run; nothing
 * else is left next to it, and it serves; a clean stop removes it.
 */
class UnixSocketTest {
  @TempDir
  Path dir;

  @Test
  void theSocketShouldAppearWithItsModeAndServe() throws Exception {
    Path socket = dir.resolve("milter.sock");
    Files.writeString(socket, "left by an earlier run");
    Map<Knob, String> settings = new EnumMap<>(Knob.class);
    settings.put(Knob.LISTEN, "unix:" + socket);
    settings.put(Knob.UNIX_SOCKET_MODE, "0600");
    settings.put(Knob.SPILL_DIRECTORY, dir.toString());

    try (CaliopMilter milter = CaliopMilter.start(MilterConfig.of(settings), PolicySource.fixed(Policy.builtIn()))) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
      try (Stream<Path> next = Files.list(dir)) {
        assertThat(next.map(p -> p.getFileName().toString()))
            .as("the socket and the daemon's spill directory, no private bind directory")
            .allMatch(n -> n.equals("milter.sock") || n.startsWith("caliop-run-")).hasSize(2);
      }
      assertThat(negotiate(socket)).as("negotiation answer").isEqualTo((byte) 'O');
    }
    assertThat(socket).doesNotExist();
  }

  /** Sends SMFIC_OPTNEG and returns the answer's command. */
  private static byte negotiate(Path socket) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.write(ByteBuffer.allocate(17).putInt(13).put((byte) 'O').putInt(6).putInt(0x1ff).putInt(0x1fffff).flip());
      ByteBuffer length = ByteBuffer.allocate(4);
      while (length.hasRemaining() && ch.read(length) >= 0) {
        // reads the length
      }
      ByteBuffer answer = ByteBuffer.allocate(length.flip().getInt());
      while (answer.hasRemaining() && ch.read(answer) >= 0) {
        // reads the answer
      }
      return answer.get(0);
    }
  }
}
