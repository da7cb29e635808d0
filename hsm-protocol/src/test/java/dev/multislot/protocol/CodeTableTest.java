package dev.multislot.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * The code tables: every code maps back to its constant, unknown codes give null, and the numbers
 * are exactly those in docs/protocol.md (changing one breaks the wire).
 */
class CodeTableTest {

    private static <E extends Enum<E>> void assertTable(E[] values, ToIntFunction<E> code, IntFunction<E> fromCode,
            int codeSpace) {
        for (E e : values) {
            assertThat(fromCode.apply(code.applyAsInt(e))).isSameAs(e);
        }
        assertThat(Arrays.stream(values).mapToInt(code).distinct().count()).as("codes are unique")
                .isEqualTo(values.length);
        int unknown = 0;
        for (int c = 0; c < codeSpace; c++) {
            E e = fromCode.apply(c);
            if (e == null) {
                unknown++;
            } else {
                assertThat(code.applyAsInt(e)).isEqualTo(c);
            }
        }
        assertThat(unknown).isEqualTo(codeSpace - values.length);
        for (int outside : new int[] {-1, -256, Integer.MIN_VALUE, codeSpace, codeSpace + 1, Integer.MAX_VALUE}) {
            assertThat(fromCode.apply(outside)).as("code %d", outside).isNull();
        }
    }

    private static <E extends Enum<E>> Map<String, Integer> codes(E[] values, ToIntFunction<E> code) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (E e : values) {
            m.put(e.name(), code.applyAsInt(e));
        }
        return m;
    }

    @Test
    void opcodesMapBackAndUnknownBytesGiveNull() {
        assertTable(Opcode.values(), Opcode::code, Opcode::fromCode, 256);
    }

    @Test
    void statusesMapBackAndUnknownCodesGiveNull() {
        assertTable(Status.values(), Status::code, Status::fromCode, 0x1_0000);
    }

    @Test
    void keyTypesMapBackAndUnknownBytesGiveNull() {
        assertTable(WireKeyType.values(), WireKeyType::code, WireKeyType::fromCode, 256);
    }

    @Test
    void mechanismsMapBackAndUnknownBytesGiveNull() {
        assertTable(Mechanism.values(), Mechanism::code, Mechanism::fromCode, 256);
    }

    @Test
    void opcodeNumbersAreTheSpecifiedOnes() {
        assertThat(codes(Opcode.values(), Opcode::code)).containsExactly(
                Map.entry("HELLO", 0x01), Map.entry("PING", 0x02),
                Map.entry("LOGIN", 0x10), Map.entry("LOGOUT", 0x11),
                Map.entry("GENERATE_KEY", 0x20), Map.entry("FIND_KEYS", 0x21), Map.entry("GET_KEY", 0x22),
                Map.entry("GET_PUBLIC_KEY", 0x23), Map.entry("DELETE_KEY", 0x24),
                Map.entry("SIGN", 0x30), Map.entry("VERIFY", 0x31), Map.entry("ENCRYPT", 0x32),
                Map.entry("DECRYPT", 0x33), Map.entry("RANDOM", 0x40));
    }

    @Test
    void statusNumbersAreThePkcs11OnesAndOurOwnAbove0x8000() {
        assertThat(codes(Status.values(), Status::code)).containsExactly(
                Map.entry("OK", 0x0000), // CKR_OK
                Map.entry("ARGUMENTS_BAD", 0x0007), // CKR_ARGUMENTS_BAD
                Map.entry("GENERAL_ERROR", 0x0005), // CKR_GENERAL_ERROR
                Map.entry("DATA_INVALID", 0x0020), // CKR_DATA_INVALID
                Map.entry("DATA_LEN_RANGE", 0x0021), // CKR_DATA_LEN_RANGE
                Map.entry("ENCRYPTED_DATA_INVALID", 0x0040), // CKR_ENCRYPTED_DATA_INVALID
                Map.entry("KEY_HANDLE_INVALID", 0x0060), // CKR_KEY_HANDLE_INVALID
                Map.entry("KEY_TYPE_INCONSISTENT", 0x0063), // CKR_KEY_TYPE_INCONSISTENT
                Map.entry("MECHANISM_INVALID", 0x0070), // CKR_MECHANISM_INVALID
                Map.entry("PIN_INCORRECT", 0x00A0), // CKR_PIN_INCORRECT
                Map.entry("USER_ALREADY_LOGGED_IN", 0x0100), // CKR_USER_ALREADY_LOGGED_IN
                Map.entry("USER_NOT_LOGGED_IN", 0x0101), // CKR_USER_NOT_LOGGED_IN
                Map.entry("USER_ANOTHER_ALREADY_LOGGED_IN", 0x0104), // CKR_USER_ANOTHER_ALREADY_LOGGED_IN
                Map.entry("HSM_BUSY", 0x8001),
                Map.entry("PROTOCOL_ERROR", 0x8002),
                Map.entry("VERSION_UNSUPPORTED", 0x8003));
    }

    @Test
    void keyTypeAndMechanismNumbersAreTheSpecifiedOnes() {
        assertThat(codes(WireKeyType.values(), WireKeyType::code)).containsExactly(
                Map.entry("AES_256", 1), Map.entry("HMAC_SHA256", 2), Map.entry("EC_P256", 3),
                Map.entry("EC_P384", 4), Map.entry("RSA_2048", 5), Map.entry("RSA_3072", 6));
        assertThat(codes(Mechanism.values(), Mechanism::code)).containsExactly(
                Map.entry("ECDSA_SHA256", 1), Map.entry("ECDSA_SHA384", 2), Map.entry("RSA_PSS_SHA256", 3),
                Map.entry("RSA_PKCS1_SHA256", 4), Map.entry("HMAC_SHA256", 5), Map.entry("AES_GCM", 16));
    }

    @Test
    void exactlyTheKeyStoreAndLoginOpcodesChangeState() {
        EnumSet<Opcode> changing = EnumSet.noneOf(Opcode.class);
        for (Opcode op : Opcode.values()) {
            if (op.changesState()) {
                changing.add(op);
            }
        }
        assertThat(changing).containsExactlyInAnyOrder(
                Opcode.LOGIN, Opcode.LOGOUT, Opcode.GENERATE_KEY, Opcode.DELETE_KEY);
    }

    @Test
    void protocolConstantsAreTheSpecifiedOnes() {
        assertThat(ProtocolConstants.VERSION).isEqualTo(1);
        assertThat(ProtocolConstants.HEADER_SIZE).isEqualTo(8);
        assertThat(ProtocolConstants.DEFAULT_MAX_FRAME_SIZE).isEqualTo(1 << 20);
        assertThat(ProtocolConstants.MIN_MAX_FRAME_SIZE).isEqualTo(4096);
        assertThat(ProtocolConstants.MAX_RANDOM_LENGTH).isEqualTo(65_536);
        assertThat(ProtocolConstants.MAX_LABEL_BYTES).isEqualTo(127);
    }
}
