package dev.multislot.local;

/** The end-to-end suite on a real SoftHSM2 token (PKCS#11). */
class HsmEndToEndSoftHsm2Test extends HsmEndToEndContract {

    @Override
    TokenBackend backend() {
        return SoftHsm2Home.backend();
    }
}
