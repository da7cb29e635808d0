package dev.multislot.cli.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multislot.cli.ConfigurePkcs11;
import dev.multislot.cli.LocalBackend;
import dev.multislot.cli.demo.LocalDiscovery;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import dev.multislot.local.TokenBackend;
import dev.multislot.local.controlplane.LocalControlPlane;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs the signing service on hsm-local: clusters and control plane in this JVM, the configure-pkcs11
 * code path for the config file, the service in a child JVM (as it would run in production), its log
 * in a file beside the config.
 */
final class SigningServiceLauncher {

    private static final String REGION = "us-east-1";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path jar;
    private final int requestedPort;
    private final LocalBackend backend;
    private final PrintWriter err;
    private final CountDownLatch stopped = new CountDownLatch(1);

    SigningServiceLauncher(Path jar, int port, LocalBackend backend, PrintWriter err) {
        this.jar = jar;
        this.requestedPort = port;
        this.backend = backend;
        this.err = err;
    }

    /** Asks a running launcher to stop the service and hsm-local (a signal arrived). */
    void stop() {
        stopped.countDown();
    }

    int run() throws Exception {
        Path work = Files.createTempDirectory("multislot-service-");
        Path config = work.resolve("cloudhsm-pkcs11.cfg");
        Path log = work.resolve("signing-service.log");
        List<LocalCluster> clusters = new ArrayList<>();
        Process service = null;
        try (LocalControlPlane controlPlane = LocalControlPlane.start()) {
            TokenBackend tokens = backend.tokens(work);
            for (int i = 0; i < 2; i++) {
                // The CloudHSM port on loopback aliases of their own, as the demo does: DescribeClusters reports
                // addresses, not ports, so add-cluster writes the port CloudHSM uses.
                LocalCluster cluster;
                try {
                    cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(2)
                            .directory(work.resolve("cluster-" + i)).token(tokens).build());
                } catch (IllegalArgumentException | IllegalStateException e) {
                    err.println("error: cannot start hsm-local with --backend " + backend.optionValue() + ": " + e.getMessage());
                    return 1;
                }
                clusters.add(cluster);
                controlPlane.host(cluster, REGION);
                addCluster(cluster, controlPlane, config);
            }
            int port = requestedPort == 0 ? freePort() : requestedPort;
            service = startService(port, config, log);
            URI url = URI.create("http://127.0.0.1:" + port);
            if (!awaitReady(service, url, log)) {
                return 1;
            }
            Map<String, Object> ready = new LinkedHashMap<>();
            ready.put("url", url.toString());
            ready.put("clusters", clusters.stream().map(LocalCluster::clusterId).toList());
            ready.put("config_file", config.toString());
            ready.put("log_file", log.toString());
            ready.put("backend", backend.optionValue());
            System.out.println(JSON.writeValueAsString(ready));
            System.out.flush();
            while (!stopped.await(200, TimeUnit.MILLISECONDS)) {
                if (!service.isAlive()) {
                    err.println("error: the signing service exited with " + service.exitValue() + "; see " + log);
                    return 1;
                }
            }
            return 0;
        } finally {
            stopService(service);
            clusters.forEach(LocalCluster::close);
        }
    }

    private void addCluster(LocalCluster cluster, LocalControlPlane controlPlane, Path config) {
        StringWriter output = new StringWriter();
        PrintWriter out = new PrintWriter(output, true);
        int code = ConfigurePkcs11.run(new String[] {"add-cluster", "--cluster-id", cluster.clusterId(), "--region", REGION,
                "--endpoint", controlPlane.endpoint().toString(), "--hsm-ca-cert", cluster.caFile().toString(),
                "--config-file", config.toString()}, Map.of(), out, out, LocalDiscovery::create);
        if (code != 0) {
            throw new IllegalStateException("configure-pkcs11 add-cluster " + cluster.clusterId() + " exited with " + code
                    + ": " + output);
        }
    }

    private Process startService(int port, Path config, Path log) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-jar", jar.toString(),
                "--server.address=127.0.0.1", "--server.port=" + port,
                "--multislot.config-file=" + config, "--multislot.user.name=" + LocalClusterSpec.DEFAULT_USERNAME);
        // The password reaches the service through its environment, never its command line (visible in ps).
        pb.environment().put("MULTISLOT_USER_PASSWORD", LocalClusterSpec.DEFAULT_PASSWORD);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    private boolean awaitReady(Process service, URI url, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(url.resolve("/actuator/health")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String lastHealth = "no answer";
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                err.println("error: the signing service exited with " + service.exitValue() + " before it was ready; its log, "
                        + log + ", ends:");
                tail(log).forEach(err::println);
                return false;
            }
            try {
                HttpResponse<String> answer = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return true;
                }
                lastHealth = answer.body();
            } catch (IOException notYetListening) {
                // The service is still starting.
            }
            if (stopped.await(250, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        err.println("error: the signing service was not healthy within " + READY_TIMEOUT + " (last health: " + lastHealth
                + "); see " + log);
        return false;
    }

    private static void stopService(Process service) throws InterruptedException {
        if (service == null || !service.isAlive()) {
            return;
        }
        service.destroy();
        if (!service.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            service.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static List<String> tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return lines.subList(Math.max(0, lines.size() - 20), lines.size());
    }
}
