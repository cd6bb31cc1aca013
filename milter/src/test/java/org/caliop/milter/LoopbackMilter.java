package org.caliop.milter;

import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.MilterConfig;
import org.caliop.policy.Policy;

/** A daemon on a free loopback TCP port with a fixed policy, for tests that speak the milter protocol to it. */
final class LoopbackMilter implements AutoCloseable {
  final CaliopMilter daemon;
  final int port;

  private LoopbackMilter(CaliopMilter daemon) {
    this.daemon = daemon;
    this.port = ((InetSocketAddress) daemon.addresses().get(0)).getPort();
  }

  /** Default settings but for {@code settings}. */
  static LoopbackMilter start(Policy policy, Map<Knob, String> settings) throws Exception {
    Map<Knob, String> v = new EnumMap<>(Knob.class);
    v.putAll(settings);
    v.put(Knob.LISTEN, "inet:127.0.0.1:0");
    return new LoopbackMilter(policy instanceof RecipientPolicy r
        ? CaliopMilter.start(MilterConfig.of(v), PolicySource.fixed(policy), r.encryptors())
        : CaliopMilter.start(MilterConfig.of(v), PolicySource.fixed(policy)));
  }

  @Override
  public void close() {
    daemon.close();
  }
}
