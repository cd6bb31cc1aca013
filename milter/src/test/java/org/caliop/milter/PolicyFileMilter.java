package org.caliop.milter;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.MilterConfig;

/** A milter daemon as an operator starts one: a policy file, listening on a free loopback port. */
final class PolicyFileMilter {
  private PolicyFileMilter() {
  }

  static CaliopMilter start(Path policyFile) throws Exception {
    Map<Knob, String> settings = new EnumMap<>(Knob.class);
    settings.put(Knob.LISTEN, "inet:127.0.0.1:0");
    settings.put(Knob.POLICY_FILE, policyFile.toString());
    MilterConfig config = MilterConfig.of(settings);
    return CaliopMilter.start(config, Policies.open(config));
  }

  /** The Postfix {@code smtpd_milters} entry that reaches {@code milter}. */
  static String address(CaliopMilter milter) {
    return "inet:127.0.0.1:" + ((InetSocketAddress) milter.addresses().get(0)).getPort();
  }
}
