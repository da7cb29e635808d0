package dev.multislot.local;

/** The bad-input suite on the in-memory software token. */
class BadInputTest extends BadInputContract {

    @Override
    TokenBackend backend() {
        return TokenBackend.software();
    }
}
