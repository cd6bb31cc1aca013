package org.caliop.milter;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.caliop.milter.config.ListenAddress;
import org.caliop.milter.config.MilterConfig;
import org.nightcode.milter.MilterHandler;
import org.nightcode.milter.codec.Int32LenFrameEncoder;
import org.nightcode.milter.codec.MilterPacketDecoder;
import org.nightcode.milter.codec.MilterPacketEncoder;

/**
 * Our own netty listeners around jmilter's codec and command engine: TCP and unix sockets, a bounded frame
 * decoder, an idle timeout, TCP_QUICKACK re-armed after every read, answers written in batches
 * ({@link MilterChannel}), and one bind attempt (jmilter's gateway retries a failed bind forever).
 */
final class MilterServer implements AutoCloseable {
  /** Off only to measure what it is worth ({@code -Dcaliop.tcp_quickack=false}). */
  private static final boolean QUICK_ACK = !"false".equals(System.getProperty("caliop.tcp_quickack"));
  /** Off only to measure what the DATA round trip costs over TCP ({@code -Dcaliop.tcp_data_reply=true}). */
  private static final boolean SKIP_DATA_REPLY_ON_TCP = !"true".equals(System.getProperty("caliop.tcp_data_reply"));

  /** Accepts and serves connections: one thread by default, so a new connection is not handed between threads. */
  private final EventLoopGroup loops;
  private final boolean epoll;
  private final List<Channel> listeners = new ArrayList<>();
  /** Where each unix listener's socket file is (netty knows only the path it was bound at). */
  private final Map<Channel, Path> unixPaths = new HashMap<>();
  private final ChannelGroup sessions = new DefaultChannelGroup("caliop-sessions", GlobalEventExecutor.INSTANCE);
  private final MilterHandler handler;
  private final MilterConfig config;

  MilterServer(MilterConfig config, MilterHandler handler) {
    this.config = config;
    this.handler = handler;
    this.epoll = Epoll.isAvailable();
    int threads = config.eventLoopThreads() > 0 ? config.eventLoopThreads()
        : Runtime.getRuntime().availableProcessors();
    loops = epoll ? new EpollEventLoopGroup(threads, new DefaultThreadFactory("caliop-io"))
        : new NioEventLoopGroup(threads, new DefaultThreadFactory("caliop-io"));
  }

  /** Binds every address; returns what was bound (a port 0 becomes the real port). */
  List<SocketAddress> bind(List<ListenAddress> addresses) throws IOException, InterruptedException {
    List<SocketAddress> bound = new ArrayList<>();
    for (ListenAddress a : addresses) {
      ServerBootstrap b = new ServerBootstrap().group(loops)
          .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
          .childHandler(initializer(a.kind() == ListenAddress.Kind.INET));
      SocketAddress local;
      Path privateDir = null;
      if (a.kind() == ListenAddress.Kind.UNIX) {
        if (!epoll) {
          throw new IOException("unix sockets need netty's epoll transport (Linux on x86_64 or aarch64);"
              + " use caliop_listen = inet:...");
        }
        // Bound inside a directory only we can enter, given its mode there, then renamed into place: the socket is
        // never reachable with the mode bind gives it (from the umask).
        Path parent = a.path().toAbsolutePath().getParent();
        privateDir = Files.createTempDirectory(parent, ".cb",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        b.channel(EpollServerDomainSocketChannel.class);
        local = new DomainSocketAddress(privateDir.resolve("s").toFile());
      } else {
        b.channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 256)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true);
        local = new InetSocketAddress(a.host(), a.port());
      }
      Channel ch;
      try {
        ch = b.bind(local).sync().channel();
      } catch (Exception e) {
        deletePrivate(privateDir);
        throw new IOException("cannot listen on " + a + ": " + e.getMessage(), e);
      }
      listeners.add(ch);
      if (a.kind() == ListenAddress.Kind.UNIX) {
        Path temporary = privateDir.resolve("s");
        try {
          Files.setPosixFilePermissions(temporary, permissions(config.unixSocketMode()));
          // rename(2): replaces a socket left by an earlier run, atomically
          Files.move(temporary, a.path(), StandardCopyOption.ATOMIC_MOVE);
        } finally {
          deletePrivate(privateDir);
        }
        unixPaths.put(ch, a.path());
        bound.add(new DomainSocketAddress(a.path().toFile()));
      } else {
        bound.add(ch.localAddress());
      }
    }
    return bound;
  }

  private ChannelInitializer<Channel> initializer(boolean tcp) {
    int maxFrame = config.maxFrameSize();
    long idleMillis = config.idleTimeout().toMillis();
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        sessions.add(ch);
        ChannelPipeline p = ch.pipeline();
        if (tcp && ch instanceof EpollSocketChannel && QUICK_ACK) {
          p.addLast("quickAck", new QuickAck());
        }
        p.addLast("idle", new ReadTimeoutHandler(idleMillis, TimeUnit.MILLISECONDS));
        protocol(p, maxFrame, handler);
      }
    };
  }

  /** The milter protocol on a connection: frames, packets, our handler (also what tests run in process). */
  static void protocol(ChannelPipeline p, int maxFrame, MilterHandler handler) {
    // 4-byte length, then the command: a bounded frame so a broken peer cannot make us buffer without end.
    p.addLast("frameDecoder", new LengthFieldBasedFrameDecoder(maxFrame, 0, 4, 0, 4));
    p.addLast("frameEncoder", new Int32LenFrameEncoder());
    p.addLast("milterPacketDecoder", new MilterPacketDecoder());
    p.addLast("milterPacketEncoder", new MilterPacketEncoder());
    p.addLast("milterHandler", new MilterChannel(handler));
  }

  /**
   * Whether the MTA's writes on this connection can never wait on a delayed ACK from us: a unix socket, or TCP
   * with TCP_QUICKACK re-armed after every read.
   */
  static boolean noDelayedAck(Channel ch) {
    return ch instanceof io.netty.channel.epoll.EpollDomainSocketChannel
        || ch instanceof EpollSocketChannel && QUICK_ACK && SKIP_DATA_REPLY_ON_TCP;
  }

  /** Stops accepting; open sessions go on. */
  void stopAccepting() {
    for (Channel ch : listeners) {
      ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
      Path socket = unixPaths.remove(ch);
      if (socket != null) {
        try {
          Files.deleteIfExists(socket);
        } catch (IOException ignored) {
          // a stale socket file is replaced at the next start
        }
      }
    }
    listeners.clear();
  }

  private static void deletePrivate(Path dir) {
    if (dir == null) {
      return;
    }
    try {
      Files.deleteIfExists(dir.resolve("s"));
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // an empty private directory left behind harms nobody
    }
  }

  int openSessions() {
    return sessions.size();
  }

  @Override
  public void close() {
    stopAccepting();
    sessions.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private static Set<PosixFilePermission> permissions(String mode) {
    int m = Integer.parseInt(mode, 8);
    Set<PosixFilePermission> out = java.util.EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int i = 0; i < order.length; i++) {
      if ((m & (1 << i)) != 0) {
        out.add(order[i]);
      }
    }
    return out;
  }

  /** The kernel drops TCP_QUICKACK after a while; setting it after each read keeps our ACKs immediate. */
  private static final class QuickAck extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ((EpollSocketChannel) ctx.channel()).config().setTcpQuickAck(true);
      ctx.fireChannelRead(msg);
    }
  }
}
