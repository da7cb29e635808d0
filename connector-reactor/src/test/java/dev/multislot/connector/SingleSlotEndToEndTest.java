package dev.multislot.connector;

import dev.multislot.local.TokenBackend;

/** The connector end to end on the in-memory software token. */
class SingleSlotEndToEndTest extends SingleSlotEndToEndContract {

    @Override
    TokenBackend backend() {
        return TokenBackend.software();
    }
}
