package dev.multislot.connector.internal.slot;

import dev.multislot.connector.internal.transport.LoginState;
import dev.multislot.protocol.Request;
import java.util.function.Supplier;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * A session operation as a cold {@link Mono}: every subscription runs a new {@link RequestCall}.
 * The request itself is built at subscription time, so that the caller's arrays are copied then
 * and may be reused afterwards.
 */
final class SlotRequest<T> extends Mono<T> {

    private final SlotImpl slot;
    private final LoginState login;
    private final Supplier<Request> request;
    private final ResponseMapper<T> mapper;

    SlotRequest(SlotImpl slot, LoginState login, Supplier<Request> request, ResponseMapper<T> mapper) {
        this.slot = slot;
        this.login = login;
        this.request = request;
        this.mapper = mapper;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        Request r;
        try {
            r = request.get();
        } catch (RuntimeException e) {
            Operators.error(actual, e);
            return;
        }
        actual.onSubscribe(new RequestCall<>(slot, login, r, mapper, actual));
    }
}
