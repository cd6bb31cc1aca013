package org.caliop.milter;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.ListenAddress;
import org.caliop.milter.config.MilterConfig;
import org.nightcode.milter.AbstractMilterHandler;
import org.nightcode.milter.Actions;
import org.nightcode.milter.MilterContext;
import org.nightcode.milter.MilterException;
import org.nightcode.milter.ProtocolSteps;

/**
 * A milter that changes nothing and remembers the header fields the MTA showed it, in order, per message (keyed by
 * the value of the message's {@code X-Test-Case} field). Put in the MTA's milter list right before another milter,
 * it sees exactly what that milter sees.
 */
final class RecordingMilter implements AutoCloseable {
  static final String CASE_FIELD = "X-Test-Case";

  private final MilterServer server;
  private final int port;
  private final Map<String, List<String>> seen = new ConcurrentHashMap<>();

  private RecordingMilter() throws Exception {
    Map<Knob, String> v = new EnumMap<>(Knob.class);
    v.put(Knob.LISTEN, "inet:127.0.0.1:0");
    MilterConfig config = MilterConfig.of(v);
    server = new MilterServer(config, new Handler());
    port = ((InetSocketAddress) server.bind(List.of(ListenAddress.parse("inet:127.0.0.1:0")), ListenRole.SMTP).get(0)).getPort();
  }

  static RecordingMilter start() throws Exception {
    return new RecordingMilter();
  }

  /** The {@code smtpd_milters} entry. */
  String milter() {
    return "inet:127.0.0.1:" + port;
  }

  /** {@code Name: value} of every header field shown for that test case, top first; empty if none arrived. */
  List<String> fields(String testCase) {
    return seen.getOrDefault(testCase, List.of());
  }

  @Override
  public void close() {
    server.close();
  }

  private final class Handler extends AbstractMilterHandler {
    private final Map<MilterContext, List<String>> current = new ConcurrentHashMap<>();

    Handler() {
      super(Actions.builder().build(), ProtocolSteps.builder().noBody().build());
    }

    @Override
    public void envfrom(MilterContext context, List<String> from) throws MilterException {
      current.put(context, new ArrayList<>());
      super.envfrom(context, from);
    }

    @Override
    public void header(MilterContext context, String name, String value) throws MilterException {
      current.computeIfAbsent(context, c -> new ArrayList<>()).add(name + ": " + value.strip());
      super.header(context, name, value);
    }

    @Override
    public void eom(MilterContext context, byte[] body) throws MilterException {
      List<String> fields = current.remove(context);
      if (fields != null) {
        for (String f : fields) {
          if (f.regionMatches(true, 0, CASE_FIELD + ":", 0, CASE_FIELD.length() + 1)) {
            seen.put(f.substring(CASE_FIELD.length() + 1).strip(), List.copyOf(fields));
          }
        }
      }
      super.eom(context, body);
    }

    @Override
    public void abort(MilterContext context, org.nightcode.milter.codec.MilterPacket packet) throws MilterException {
      current.remove(context);
      super.abort(context, packet);
    }

    @Override
    public void quit(MilterContext context) {
      current.remove(context);
    }

    @Override
    public void closeSession(MilterContext context) {
      current.remove(context);
      super.closeSession(context);
    }
  }
}
