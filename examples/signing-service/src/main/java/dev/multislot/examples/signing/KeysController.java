package dev.multislot.examples.signing;

import dev.multislot.api.SlotSession;
import dev.multislot.spring.SlotSessions;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Keys of one slot: create, find by label, export a public key as PEM. */
@RestController
class KeysController {

    static final MediaType PEM = MediaType.parseMediaType("application/x-pem-file");

    private final SlotSessions sessions;

    KeysController(SlotSessions sessions) {
        this.sessions = sessions;
    }

    @PostMapping(path = "/v1/slots/{clusterId}/keys", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Dtos.Key>> create(@PathVariable String clusterId, @RequestBody(required = false) Dtos.CreateKey body) {
        return Mono.defer(() -> {
            if (body == null) {
                throw new BadRequestException("body", "is required: {\"type\": ..., \"label\": ...}");
            }
            var type = Inputs.keyType(body.type());
            String label = Inputs.label(body.label());
            return session(clusterId).flatMap(s -> s.generateKey(type, label))
                    .map(key -> ResponseEntity.status(HttpStatus.CREATED)
                            .location(URI.create("/v1/slots/" + clusterId + "/keys/" + key.handle()))
                            .body(Dtos.Key.of(key)));
        });
    }

    @GetMapping("/v1/slots/{clusterId}/keys")
    Mono<List<Dtos.Key>> find(@PathVariable String clusterId, @RequestParam(required = false) String label) {
        return session(clusterId)
                .flatMapMany(s -> label == null ? s.listKeys() : s.findKeys(label))
                .map(Dtos.Key::of)
                .collectList();
    }

    @GetMapping(path = "/v1/slots/{clusterId}/keys/{handle}/public-key", produces = "application/x-pem-file")
    Mono<ResponseEntity<String>> publicKey(@PathVariable String clusterId, @PathVariable String handle) {
        return Mono.defer(() -> {
            long h = Inputs.handle(handle);
            return session(clusterId).flatMap(s -> s.key(h).flatMap(s::publicKey))
                    .map(key -> ResponseEntity.ok().contentType(PEM).body(pem(key.getEncoded())));
        });
    }

    private Mono<SlotSession> session(String clusterId) {
        return Mono.defer(() -> sessions.session(Inputs.clusterId(clusterId)));
    }

    static String pem(byte[] spki) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(spki);
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }
}
