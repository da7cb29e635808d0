package dev.multislot.local;

/** The bad-input suite on a real SoftHSM2 token (PKCS#11). */
class BadInputSoftHsm2Test extends BadInputContract {

    @Override
    TokenBackend backend() {
        return SoftHsm2Home.backend();
    }
}
