package dev.multislot.examples.signing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A WebFlux signing service on many HSM clusters, built only on the Multislot starter and the
 * public API: the starter provides the connector, the logged-in sessions, health and metrics from
 * {@code multislot.*} properties; this application adds the HTTP API.
 */
@SpringBootApplication
public class SigningServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(SigningServiceApplication.class, args);
    }
}
