package org.caliop.milter;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.nightcode.milter.CommandCode;
import org.nightcode.milter.MilterContext;
import org.nightcode.milter.MilterException;
import org.nightcode.milter.MilterHandler;
import org.nightcode.milter.codec.MilterPacket;
import org.nightcode.milter.command.CommandEngine;
import org.nightcode.milter.net.MilterPacketSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One milter connection in the netty pipeline, in place of jmilter's {@code MilterChannelHandler} (one instance per
 * channel): hands each packet to jmilter's command engine, like the original, but writes answers in batches. jmilter
 * flushes every packet on its own (one syscall, and over TCP one segment and one wake-up of the MTA, per packet);
 * here answers given while a read is being handled go out with one flush when the read is done, and the answers a
 * worker gives at end of message go to the network thread as one task with one flush.
 */
final class MilterChannel extends SimpleChannelInboundHandler<MilterPacket> {
  private static final Logger LOG = LoggerFactory.getLogger("caliop.jmilter");

  private final MilterHandler handler;
  private MilterContext context;
  private Sender sender;

  MilterChannel(MilterHandler handler) {
    this.handler = handler;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, MilterPacket packet) {
    if (context == null) {
      sender = new Sender(ctx);
      context = handler.createContext(sender);
    }
    sender.reading = true;
    if (handler instanceof Shortcut shortcut) {
      try {
        if (shortcut.handled(context, packet)) {
          return;
        }
      } catch (Exception e) {
        // As jmilter's command engine does with a packet it cannot process.
        LOG.warn("milter connection {}: cannot process command '{}': {}", ctx.channel().remoteAddress(),
            (char) packet.command(), e.toString());
        context.setSessionStep(CommandCode.SMFIC_ABORT);
        handler.abortSession(context, packet);
        return;
      }
    }
    CommandEngine.instance().submit(context, packet);
  }

  /** A handler that processes some commands itself, from the packet's bytes, before jmilter's command engine. */
  interface Shortcut {
    /** Whether {@code packet} was processed; if not, jmilter's command engine processes it. */
    boolean handled(MilterContext context, MilterPacket packet) throws MilterException;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (sender != null) {
      sender.reading = false;
      sender.flushIfPending();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (context != null) {
      handler.closeSession(context);
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.warn("milter connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
    if (context != null) {
      handler.abortSession(context, null);
    }
    ctx.close();
  }

  /** Writes answers for one connection; safe from any thread. */
  static final class Sender implements MilterPacketSender {
    private final ChannelHandlerContext ctx;
    /** A read is being handled on the network thread: its answers are flushed once, at the end of the read. */
    private boolean reading;
    private boolean unflushed;
    /** Answers held by {@link #batch} on the thread that runs it. */
    private final ThreadLocal<List<MilterPacket>> held = new ThreadLocal<>();

    private Sender(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    Channel channel() {
      return ctx.channel();
    }

    @Override
    public void send(MilterPacket packet) {
      List<MilterPacket> batch = held.get();
      if (batch != null) {
        batch.add(packet);
      } else if (ctx.executor().inEventLoop()) {
        if (reading) {
          ctx.write(packet);
          unflushed = true;
        } else {
          ctx.writeAndFlush(packet);
        }
      } else {
        ctx.writeAndFlush(packet);
      }
    }

    /**
     * Runs {@code sends} (on the calling thread) holding every answer it gives, then hands them to the network
     * thread as one task that writes them in order with one flush.
     */
    <E extends Exception> void batch(Sends<E> sends) throws E {
      if (ctx.executor().inEventLoop() || held.get() != null) {
        sends.run();
        return;
      }
      List<MilterPacket> batch = new ArrayList<>(4);
      held.set(batch);
      try {
        sends.run();
      } finally {
        held.remove();
        if (!batch.isEmpty()) {
          try {
            ctx.executor().execute(() -> {
              for (MilterPacket p : batch) {
                ctx.write(p);
              }
              ctx.flush();
            });
          } catch (RejectedExecutionException closing) {
            // the network threads are stopping: the connection is being closed anyway
          }
        }
      }
    }

    private void flushIfPending() {
      if (unflushed) {
        unflushed = false;
        ctx.flush();
      }
    }

    @Override
    public void close() {
      if (ctx.channel().isActive()) {
        ctx.close();
      }
    }
  }

  /** Code that sends answers. */
  @FunctionalInterface
  interface Sends<E extends Exception> {
    void run() throws E;
  }
}
