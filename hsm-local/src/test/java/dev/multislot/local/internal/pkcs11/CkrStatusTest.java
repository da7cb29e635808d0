package dev.multislot.local.internal.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.local.internal.token.TokenException;
import dev.multislot.protocol.Status;
import org.junit.jupiter.api.Test;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/** Every CKR_ code the mapping names lands on its protocol status; the rest name the code. */
class CkrStatusTest {

    @Test
    void codesMapToTheProtocolsStatuses() {
        assertThat(CkrStatus.status(0xA0)).isEqualTo(Status.PIN_INCORRECT);       // CKR_PIN_INCORRECT
        assertThat(CkrStatus.status(0xA4)).isEqualTo(Status.PIN_INCORRECT);       // CKR_PIN_LOCKED
        assertThat(CkrStatus.status(0x82)).isEqualTo(Status.KEY_HANDLE_INVALID);  // CKR_OBJECT_HANDLE_INVALID
        assertThat(CkrStatus.status(0x60)).isEqualTo(Status.KEY_HANDLE_INVALID);  // CKR_KEY_HANDLE_INVALID
        assertThat(CkrStatus.status(0x70)).isEqualTo(Status.MECHANISM_INVALID);   // CKR_MECHANISM_INVALID
        assertThat(CkrStatus.status(0x71)).isEqualTo(Status.MECHANISM_INVALID);   // CKR_MECHANISM_PARAM_INVALID
        assertThat(CkrStatus.status(0x63)).isEqualTo(Status.KEY_TYPE_INCONSISTENT);
        assertThat(CkrStatus.status(0x68)).isEqualTo(Status.KEY_TYPE_INCONSISTENT); // CKR_KEY_FUNCTION_NOT_PERMITTED
        assertThat(CkrStatus.status(0x20)).isEqualTo(Status.DATA_INVALID);
        assertThat(CkrStatus.status(0x21)).isEqualTo(Status.DATA_LEN_RANGE);
        assertThat(CkrStatus.status(0x40)).isEqualTo(Status.ENCRYPTED_DATA_INVALID);
        assertThat(CkrStatus.status(0xB1)).isEqualTo(Status.HSM_BUSY);            // CKR_SESSION_COUNT
        assertThat(CkrStatus.status(0x31)).isEqualTo(Status.HSM_BUSY);            // CKR_DEVICE_MEMORY
        assertThat(CkrStatus.status(0x30)).isEqualTo(Status.GENERAL_ERROR);       // CKR_DEVICE_ERROR
        assertThat(CkrStatus.status(0x8000_0001L)).isEqualTo(Status.GENERAL_ERROR); // a vendor's own code
    }

    @Test
    void anInternalErrorNamesTheCallAndTheCkrCode() {
        TokenException e = CkrStatus.fail("C_Sign", new PKCS11Exception(0x30, null));
        assertThat(e.status()).isEqualTo(Status.GENERAL_ERROR);
        assertThat(e.getMessage()).isEqualTo("internal error in the PKCS#11 module: C_Sign returned CKR_DEVICE_ERROR (0x00000030)");
        TokenException vendor = CkrStatus.fail("C_Sign", new PKCS11Exception(0x8000_0123L, null));
        assertThat(vendor.getMessage()).endsWith("C_Sign returned CKR 0x80000123");
        assertThat(CkrStatus.fail("C_OpenSession", new PKCS11Exception(0xB1, null)).status()).isEqualTo(Status.HSM_BUSY);
    }

    @Test
    void ecdsaSignaturesConvertBetweenRawAndDer() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
        s.initSign(g.generateKeyPair().getPrivate());
        s.update(new byte[] {1});
        byte[] der = s.sign();
        byte[] raw = EcdsaSignatures.toRaw(der, 32);
        assertThat(raw).hasSize(64);
        assertThat(EcdsaSignatures.toDer(raw)).isEqualTo(der);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EcdsaSignatures.toRaw(new byte[] {0x30, 0x01, 0x00}, 32))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyIdsAndHandlesRoundTrip() {
        assertThat(KeyIds.handleOf(new byte[] {0x0a, 0x0b})).isEqualTo(0x0a0bL);
        assertThat(KeyIds.handleOf(KeyIds.idsOf(0x1234_5678_9abcL).get(0))).isEqualTo(0x1234_5678_9abcL);
        assertThat(KeyIds.idsOf(0x0a0bL)).hasSize(2).last().satisfies(id -> assertThat(id).containsExactly(0x0a, 0x0b));
        assertThat(KeyIds.handleOf(new byte[9])).isZero();
        assertThat(KeyIds.handleOf(new byte[] {(byte) 0x80, 0, 0, 0, 0, 0, 0, 0})).isZero();
    }
}
