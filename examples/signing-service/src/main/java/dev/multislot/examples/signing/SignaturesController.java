package dev.multislot.examples.signing;

import dev.multislot.spring.SlotSessions;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Sign and verify with a key of one slot. */
@RestController
class SignaturesController {

    private final SlotSessions sessions;
    private final KeyRefCache keys;

    SignaturesController(SlotSessions sessions, KeyRefCache keys) {
        this.sessions = sessions;
        this.keys = keys;
    }

    @PostMapping(path = "/v1/slots/{clusterId}/keys/{handle}/sign",
            consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE, produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    Mono<byte[]> sign(@PathVariable String clusterId, @PathVariable String handle,
                      @RequestParam(required = false) String algorithm, @RequestBody(required = false) byte[] message) {
        return Mono.defer(() -> {
            var alg = Inputs.algorithm(algorithm);
            long h = Inputs.handle(handle);
            byte[] data = message == null ? new byte[0] : message;
            var id = Inputs.clusterId(clusterId);
            return sessions.session(id).flatMap(s -> keys.forgetIfMissing(id, h, keys.key(id, s, h).flatMap(key -> {
                Inputs.fits(alg, key);
                return s.sign(key, alg, data);
            })));
        });
    }

    @PostMapping(path = "/v1/slots/{clusterId}/keys/{handle}/verify", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<Dtos.Verified> verify(@PathVariable String clusterId, @PathVariable String handle,
                               @RequestParam(required = false) String algorithm, @RequestBody(required = false) Dtos.Verify body) {
        return Mono.defer(() -> {
            var alg = Inputs.algorithm(algorithm);
            long h = Inputs.handle(handle);
            if (body == null) {
                throw new BadRequestException("body", "is required: {\"message\": base64, \"signature\": base64}");
            }
            byte[] data = Inputs.base64("message", body.message());
            byte[] signature = Inputs.base64("signature", body.signature());
            var id = Inputs.clusterId(clusterId);
            return sessions.session(id).flatMap(s -> keys.forgetIfMissing(id, h, keys.key(id, s, h).flatMap(key -> {
                Inputs.fits(alg, key);
                return s.verify(key, alg, data, signature);
            }))).map(Dtos.Verified::new);
        });
    }
}
