package dev.multislot.cli.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /metrics} on 127.0.0.1 in Prometheus text format, for {@code demo --prometheus-port}:
 * the connector's meters on a registry of the demo's own. The JDK's HTTP server on one thread of
 * its own, never a connector thread.
 *
 * <p>Once the workload has ended, {@link #freeze()} keeps the run's last figures: closing the
 * connector removes its meters, and a scrape while the demo cleans up should still show the run.
 */
final class PrometheusEndpoint implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpServer server;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "demo-prometheus");
        t.setDaemon(true);
        return t;
    });
    private volatile String frozen;

    private PrometheusEndpoint(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/", this::handle);
        server.setExecutor(thread);
        server.start();
    }

    /** Listens on 127.0.0.1:{@code port} (0: any free port). */
    static PrometheusEndpoint start(int port) throws IOException {
        return new PrometheusEndpoint(port);
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** From now on, serve the current figures as they are. */
    void freeze() {
        frozen = registry.scrape();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"/metrics".equals(exchange.getRequestURI().getPath())) {
                respond(exchange, 404, "text/plain; charset=utf-8", "only /metrics is served here\n");
            } else if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().add("Allow", "GET");
                respond(exchange, 405, "text/plain; charset=utf-8", "GET only\n");
            } else {
                String text = frozen != null ? frozen : registry.scrape();
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", text);
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
        registry.close();
    }
}
