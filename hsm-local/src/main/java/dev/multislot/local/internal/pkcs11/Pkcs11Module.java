package dev.multislot.local.internal.pkcs11;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS;
import sun.security.pkcs11.wrapper.CK_TOKEN_INFO;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKF_OS_LOCKING_OK;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKF_TOKEN_INITIALIZED;

/**
 * A loaded PKCS#11 module. The JDK keeps one instance per library path for the whole process (a
 * module may be initialized once), so every cluster on the same library shares it; each finds
 * its own token by label.
 */
final class Pkcs11Module {

    private final Path library;
    private final PKCS11 p11;

    private Pkcs11Module(Path library, PKCS11 p11) {
        this.library = library;
        this.p11 = p11;
    }

    /**
     * Loads and initializes the module (OS locking: the server calls it from many threads).
     *
     * @throws IllegalArgumentException naming the library when it is missing or not a module
     */
    static Pkcs11Module load(Path library) {
        Pkcs11Access.require();
        if (!Files.isRegularFile(library)) {
            throw new IllegalArgumentException("PKCS#11 library " + library + " does not exist");
        }
        CK_C_INITIALIZE_ARGS args = new CK_C_INITIALIZE_ARGS();
        args.flags = CKF_OS_LOCKING_OK;
        try {
            return new Pkcs11Module(library, PKCS11.getInstance(library.toAbsolutePath().toString(),
                    "C_GetFunctionList", args, false));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot load PKCS#11 library " + library + ": " + e.getMessage(), e);
        } catch (PKCS11Exception e) {
            throw new IllegalArgumentException("PKCS#11 library " + library + " failed C_Initialize: "
                    + CkrStatus.name(e), e);
        }
    }

    PKCS11 p11() {
        return p11;
    }

    Path library() {
        return library;
    }

    /**
     * The slot whose initialized token has this label.
     *
     * @throws IllegalArgumentException naming the label and the labels the module has
     */
    long slotOf(String tokenLabel) {
        List<String> seen = new ArrayList<>();
        try {
            for (long slot : p11.C_GetSlotList(true)) {
                CK_TOKEN_INFO info = p11.C_GetTokenInfo(slot);
                if ((info.flags & CKF_TOKEN_INITIALIZED) == 0) {
                    continue;
                }
                String label = label(info);
                if (label.equals(tokenLabel)) {
                    return slot;
                }
                seen.add(label);
            }
        } catch (PKCS11Exception e) {
            throw new IllegalStateException("cannot list the tokens of " + library + ": " + CkrStatus.name(e), e);
        }
        throw new IllegalArgumentException("PKCS#11 library " + library + " has no token labelled '" + tokenLabel
                + "'" + (seen.isEmpty() ? " (it has no initialized token)" : "; its tokens: " + seen));
    }

    /** The first slot whose token is not initialized yet, or -1. */
    long freeSlot() throws PKCS11Exception {
        for (long slot : p11.C_GetSlotList(true)) {
            if ((p11.C_GetTokenInfo(slot).flags & CKF_TOKEN_INITIALIZED) == 0) {
                return slot;
            }
        }
        return -1;
    }

    /** A token label as the module reports it: 32 blank-padded characters, trailing blanks dropped. */
    static String label(CK_TOKEN_INFO info) {
        // The JDK widens each byte of the label to a char; undo that to read UTF-8 labels.
        char[] c = info.label;
        byte[] b = new byte[c.length];
        for (int i = 0; i < c.length; i++) {
            b[i] = (byte) c[i];
        }
        return new String(b, StandardCharsets.UTF_8).stripTrailing();
    }
}
