package dev.multislot.examples.signing;

import dev.multislot.api.errors.AuthenticationFailedException;
import dev.multislot.api.errors.ConnectorClosedException;
import dev.multislot.api.errors.DataInvalidException;
import dev.multislot.api.errors.HsmConnectionException;
import dev.multislot.api.errors.HsmConnectorException;
import dev.multislot.api.errors.HsmThrottledException;
import dev.multislot.api.errors.HsmTimeoutException;
import dev.multislot.api.errors.KeyNotFoundException;
import dev.multislot.api.errors.MechanismInvalidException;
import dev.multislot.api.errors.SlotNotFoundException;
import dev.multislot.api.errors.SlotOverloadedException;
import dev.multislot.api.errors.SlotRemovedException;
import dev.multislot.api.errors.SlotUnavailableException;
import dev.multislot.api.ClusterId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;

/**
 * Errors as RFC 9457 problem details: a bad field is 400 naming it; an unknown cluster or key 404;
 * a slot that is overloaded or has no reachable HSM 503 (overload and throttling with
 * {@code Retry-After}); a timeout 504; anything else the HSMs did 502.
 */
@RestControllerAdvice
class ProblemDetails {

    /** Seconds a client should wait before retrying an overloaded or throttled slot. */
    static final String RETRY_AFTER_SECONDS = "1";

    private static final Logger log = LoggerFactory.getLogger(ProblemDetails.class);

    @ExceptionHandler(BadRequestException.class)
    ResponseEntity<ProblemDetail> badRequest(BadRequestException e) {
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "Invalid request field", e.field() + " " + e.getMessage());
        p.setProperty("field", e.field());
        return ResponseEntity.of(p).build();
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<ProblemDetail> unreadable(ServerWebInputException e) {
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "Invalid request body", "body " + e.getReason());
        p.setProperty("field", "body");
        return ResponseEntity.of(p).build();
    }

    @ExceptionHandler(SlotNotFoundException.class)
    ResponseEntity<ProblemDetail> unknownCluster(SlotNotFoundException e) {
        ProblemDetail p = problem(HttpStatus.NOT_FOUND, "Unknown cluster", e.getMessage());
        p.setProperty("configuredClusters", e.configured().stream().map(ClusterId::value).toList());
        return ResponseEntity.of(p).build();
    }

    @ExceptionHandler(KeyNotFoundException.class)
    ResponseEntity<ProblemDetail> unknownKey(KeyNotFoundException e) {
        return ResponseEntity.of(problem(HttpStatus.NOT_FOUND, "Unknown key", e.getMessage())).build();
    }

    @ExceptionHandler({MechanismInvalidException.class, DataInvalidException.class})
    ResponseEntity<ProblemDetail> refusedInput(HsmConnectorException e) {
        return ResponseEntity.of(problem(HttpStatus.BAD_REQUEST, "Refused by the HSM", e.getMessage())).build();
    }

    @ExceptionHandler({SlotOverloadedException.class, HsmThrottledException.class})
    ResponseEntity<ProblemDetail> overloaded(HsmConnectorException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Slot overloaded", e.getMessage()));
    }

    @ExceptionHandler({SlotUnavailableException.class, SlotRemovedException.class, ConnectorClosedException.class,
            HsmConnectionException.class})
    ResponseEntity<ProblemDetail> unavailable(HsmConnectorException e) {
        return ResponseEntity.of(problem(HttpStatus.SERVICE_UNAVAILABLE, "Slot unavailable", e.getMessage())).build();
    }

    @ExceptionHandler(HsmTimeoutException.class)
    ResponseEntity<ProblemDetail> timeout(HsmTimeoutException e) {
        return ResponseEntity.of(problem(HttpStatus.GATEWAY_TIMEOUT, "HSM timeout", e.getMessage())).build();
    }

    @ExceptionHandler(AuthenticationFailedException.class)
    ResponseEntity<ProblemDetail> authentication(AuthenticationFailedException e) {
        log.error("the HSMs refused the service's crypto user: {}", e.getMessage());
        return ResponseEntity.of(problem(HttpStatus.BAD_GATEWAY, "HSM login failed", "the HSMs refused the service's crypto user")).build();
    }

    @ExceptionHandler(HsmConnectorException.class)
    ResponseEntity<ProblemDetail> other(HsmConnectorException e) {
        return ResponseEntity.of(problem(HttpStatus.BAD_GATEWAY, "HSM error", e.getMessage())).build();
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setTitle(title);
        return p;
    }
}
