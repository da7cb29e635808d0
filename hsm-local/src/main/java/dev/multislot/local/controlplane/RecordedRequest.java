package dev.multislot.local.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One request the control plane received, as it arrived, whatever the answer was.
 *
 * @param target the {@code X-Amz-Target} header, such as {@code BaldrApiService.DescribeClusters}; empty if absent
 * @param region the region of the SigV4 credential scope; empty if the request was not signed
 * @param body the JSON body; a {@code MissingNode} if it was empty or not JSON
 * @param headers the headers, names in lower case (several values of one name joined with {@code ","})
 * @param receivedAt when the body had been read
 */
public record RecordedRequest(String target, String region, JsonNode body, Map<String, String> headers, Instant receivedAt) {

    public RecordedRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** The header's value, or {@code null}; the name is matched without regard to case. */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
