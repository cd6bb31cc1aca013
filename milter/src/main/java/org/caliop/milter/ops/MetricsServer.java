package org.caliop.milter.ops;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /metrics} (Prometheus text, or OpenMetrics when the scraper asks for it) on its own loopback port,
 * with the Prometheus client's HTTP server on the JDK's, answered by one daemon thread.
 */
public final class MetricsServer implements AutoCloseable {
  private final HTTPServer server;
  private final InetSocketAddress address;

  private MetricsServer(HTTPServer server, InetSocketAddress address) {
    this.server = server;
    this.address = address;
  }

  public static MetricsServer start(InetSocketAddress address, Metrics metrics) throws IOException {
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "caliop-metrics");
      t.setDaemon(true);
      return t;
    });
    HTTPServer server = HTTPServer.builder().inetAddress(address.getAddress()).port(address.getPort())
        .registry(metrics.registry()).executorService(thread).buildAndStart();
    return new MetricsServer(server, new InetSocketAddress(address.getAddress(), server.getPort()));
  }

  public InetSocketAddress address() {
    return address;
  }

  @Override
  public void close() {
    server.close();
  }
}
