package dev.multislot.local.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/** Plain HTTP to the control plane, shaped as the AWS SDK sends it, without the SDK. */
final class AwsJsonClient {

    static final String DESCRIBE = "BaldrApiService.DescribeClusters";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    record Answer(int status, String errorTypeHeader, JsonNode body) {
        String type() {
            return body.path("__type").asText("");
        }
    }

    private final HttpClient http;

    AwsJsonClient(URI endpoint) {
        this.http = HttpClient.create().baseUrl(endpoint.toString()).responseTimeout(Duration.ofSeconds(10));
    }

    /** Signs nothing: only puts the region in a SigV4-shaped credential scope, which is all the fake reads. */
    static String authorization(String region) {
        return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/" + region
                + "/cloudhsm/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=00";
    }

    Mono<Answer> call(String target, String region, String body) {
        return http.headers(h -> {
                    h.set("Content-Type", "application/x-amz-json-1.1");
                    h.set("X-Amz-Target", target);
                    if (region != null) {
                        h.set("Authorization", authorization(region));
                    }
                })
                .post().uri("/")
                .send(ByteBufFlux.fromString(Mono.just(body), StandardCharsets.UTF_8, io.netty.buffer.ByteBufAllocator.DEFAULT))
                .responseSingle((res, content) -> content.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .map(text -> new Answer(res.status().code(), res.responseHeaders().get("x-amzn-ErrorType"), parse(text))));
    }

    Answer describe(String region, String body) {
        return call(DESCRIBE, region, body).block(Duration.ofSeconds(15));
    }

    static JsonNode parse(String text) {
        try {
            return text.isEmpty() ? MAPPER.missingNode() : MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
