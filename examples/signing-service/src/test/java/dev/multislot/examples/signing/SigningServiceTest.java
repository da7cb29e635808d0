package dev.multislot.examples.signing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.local.LocalCluster;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class SigningServiceTest {

    private static final LocalCluster FIRST = LocalHsms.start(2);
    private static final LocalCluster SECOND = LocalHsms.start(1);
    private static final byte[] MESSAGE = "pay 100 EUR to account 42".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Autowired
    WebTestClient http;

    @DynamicPropertySource
    static void hsms(DynamicPropertyRegistry registry) {
        LocalHsms.configure(registry, List.of(FIRST, SECOND));
    }

    @AfterAll
    static void stop() {
        FIRST.close();
        SECOND.close();
    }

    @Test
    void listsTheSlotsInConfigOrderWithTheirHealth() {
        http.get().uri("/v1/slots").exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].clusterId").isEqualTo(FIRST.clusterId())
                .jsonPath("$[0].slotIndex").isEqualTo(0)
                .jsonPath("$[0].hsms.length()").isEqualTo(2)
                .jsonPath("$[1].clusterId").isEqualTo(SECOND.clusterId())
                .jsonPath("$[1].slotIndex").isEqualTo(1);
    }

    @Test
    void createsFindsExportsSignsAndVerifies() throws Exception {
        Map<String, Object> key = createKey(FIRST.clusterId(), "EC_P256", "invoices-2026");
        assertThat(key).containsEntry("label", "invoices-2026").containsEntry("type", "EC_P256");
        long handle = ((Number) key.get("handle")).longValue();
        String keys = "/v1/slots/" + FIRST.clusterId() + "/keys";

        http.get().uri(keys + "?label=invoices-2026").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.handle == " + handle + ")].label").isEqualTo("invoices-2026");

        String pem = http.get().uri(keys + "/" + handle + "/public-key").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("application/x-pem-file"))
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        PublicKey publicKey = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder()
                .decode(pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", ""))));

        byte[] signature = http.post().uri(keys + "/" + handle + "/sign?algorithm=ECDSA_SHA256")
                .contentType(MediaType.APPLICATION_OCTET_STREAM).bodyValue(MESSAGE)
                .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        Signature jdk = Signature.getInstance("SHA256withECDSA");
        jdk.initVerify(publicKey);
        jdk.update(MESSAGE);
        assertThat(jdk.verify(signature)).as("the JDK verifies the HSM's signature with the exported PEM").isTrue();

        verify(keys + "/" + handle, MESSAGE, signature).jsonPath("$.valid").isEqualTo(true);
        byte[] other = "pay 900 EUR to account 42".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        verify(keys + "/" + handle, other, signature).jsonPath("$.valid").isEqualTo(false);
    }

    @Test
    void anUnknownClusterIs404ListingTheConfiguredOnes() {
        http.get().uri("/v1/slots/cluster-unknown2345/keys").exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.configuredClusters[0]").isEqualTo(FIRST.clusterId())
                .jsonPath("$.configuredClusters[1]").isEqualTo(SECOND.clusterId());
    }

    @Test
    void anUnknownKeyIs404() {
        http.post().uri("/v1/slots/" + SECOND.clusterId() + "/keys/987654321/sign?algorithm=ECDSA_SHA256")
                .contentType(MediaType.APPLICATION_OCTET_STREAM).bodyValue(MESSAGE)
                .exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                // Read the body: an unread one is a buffer Netty's leak detector rightly reports.
                .expectBody().jsonPath("$.title").isEqualTo("Unknown key");
    }

    @Test
    void badFieldsAre400NamingTheField() {
        String keys = "/v1/slots/" + SECOND.clusterId() + "/keys";
        long ec = ((Number) createKey(SECOND.clusterId(), "EC_P256", "bad-input").get("handle")).longValue();
        badField(http.post().uri(keys).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("type", "DSA_512", "label", "x"))
                .exchange(), "type");
        badField(http.post().uri(keys).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("type", "EC_P256"))
                .exchange(), "label");
        badField(http.post().uri(keys).contentType(MediaType.APPLICATION_JSON).bodyValue("{not json")
                .exchange(), "body");
        badField(http.post().uri(keys + "/" + ec + "/sign?algorithm=MD5").contentType(MediaType.APPLICATION_OCTET_STREAM)
                .bodyValue(MESSAGE).exchange(), "algorithm");
        badField(http.post().uri(keys + "/" + ec + "/sign?algorithm=HMAC_SHA256").contentType(MediaType.APPLICATION_OCTET_STREAM)
                .bodyValue(MESSAGE).exchange(), "algorithm");
        badField(http.post().uri(keys + "/not-a-handle/sign?algorithm=ECDSA_SHA256").contentType(MediaType.APPLICATION_OCTET_STREAM)
                .bodyValue(MESSAGE).exchange(), "handle");
        badField(http.post().uri(keys + "/" + ec + "/verify?algorithm=ECDSA_SHA256").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("message", "%%%", "signature", "AAAA")).exchange(), "message");
    }

    @Test
    void healthShowsEverySlotAndPrometheusIsServed() {
        http.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.components.multislot.components['" + FIRST.clusterId() + "'].status").isEqualTo("UP")
                .jsonPath("$.components.multislot.components['" + SECOND.clusterId() + "'].details.hsms").exists();
        String scrape = http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(scrape).contains("jvm_memory_used_bytes").contains("multislot_slots");
    }

    private Map<String, Object> createKey(String clusterId, String type, String label) {
        return http.post().uri("/v1/slots/" + clusterId + "/keys").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("type", type, "label", label))
                .exchange().expectStatus().isEqualTo(HttpStatus.CREATED)
                .expectHeader().valueMatches("Location", "/v1/slots/" + clusterId + "/keys/\\d+")
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    private WebTestClient.BodyContentSpec verify(String key, byte[] message, byte[] signature) {
        return http.post().uri(key + "/verify?algorithm=ECDSA_SHA256").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("message", Base64.getEncoder().encodeToString(message),
                        "signature", Base64.getEncoder().encodeToString(signature)))
                .exchange().expectStatus().isOk().expectBody();
    }

    private static void badField(WebTestClient.ResponseSpec response, String field) {
        response.expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo(field).jsonPath("$.detail").value(d ->
                        assertThat((String) d).startsWith(field));
    }
}
