package dev.multislot.local;

/** The end-to-end suite on the in-memory software token. */
class HsmEndToEndTest extends HsmEndToEndContract {

    @Override
    TokenBackend backend() {
        return TokenBackend.software();
    }
}
