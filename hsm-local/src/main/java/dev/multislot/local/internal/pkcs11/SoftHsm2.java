package dev.multislot.local.internal.pkcs11;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKF_RW_SESSION;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKF_SERIAL_SESSION;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKU_SO;

/**
 * SoftHSM2 tokens made by hsm-local: a home directory with a {@code softhsm2.conf} and a token
 * directory, and one token per cluster in it, labelled with the cluster id.
 *
 * <p>SoftHSM2 reads {@code SOFTHSM2_CONF} once, when the process first initializes it, and does
 * not see tokens that another process initializes after that. So one process has one home, set
 * before the module loads, and tokens are initialized in-process ({@code C_InitToken},
 * {@code C_InitPIN}). The JDK's wrapper has neither call, nor a way to set the environment; those
 * three calls go through JNA on the same loaded library.
 */
public final class SoftHsm2 {

    /** Where Debian's softhsm2 package installs the module. */
    public static final Path DEFAULT_LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    public static final String CONFIG_FILE = "softhsm2.conf";

    private static Path activeHome;

    private SoftHsm2() {
    }

    /** What libc offers to set the environment that the module's {@code getenv} reads. */
    interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    /**
     * Makes {@code home} this process's SoftHSM2 home (writing its config if missing) and returns
     * the config file.
     *
     * @throws IllegalStateException if the process already uses another home
     */
    public static synchronized Path useHome(Path home, Path library) {
        Path h = home.toAbsolutePath().normalize();
        Path config = h.resolve(CONFIG_FILE);
        if (activeHome != null) {
            if (!activeHome.equals(h)) {
                throw new IllegalStateException("SoftHSM2 reads one config per process; this one uses " + activeHome
                        + ", so it cannot also use " + h);
            }
            return config;
        }
        if (!Files.isRegularFile(library)) {
            throw new IllegalArgumentException("SoftHSM2 is not installed: " + library
                    + " does not exist (Debian/Ubuntu: apt-get install softhsm2)");
        }
        try {
            Files.createDirectories(h.resolve("tokens"));
            if (!Files.exists(config)) {
                Files.writeString(config, "# Written by Multislot hsm-local: the tokens of its clusters.\n"
                        + "directories.tokendir = " + h.resolve("tokens") + "\n"
                        + "objectstore.backend = file\n"
                        + "log.level = ERROR\n"
                        + "slots.removable = false\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the SoftHSM2 config in " + h + ": " + e.getMessage(), e);
        }
        Pkcs11Access.require();
        if (Native.load("c", LibC.class).setenv("SOFTHSM2_CONF", config.toString(), 1) != 0) {
            throw new IllegalStateException("cannot set SOFTHSM2_CONF for this process");
        }
        activeHome = h;
        return config;
    }

    /** Initializes a token labelled {@code label} with this user PIN, unless the home has one already. */
    public static synchronized void ensureToken(Path library, String label, char[] pin) {
        if (label.getBytes(StandardCharsets.UTF_8).length > 32) {
            throw new IllegalArgumentException("a PKCS#11 token label has at most 32 bytes; '" + label + "' has more");
        }
        Pkcs11Module module = Pkcs11Module.load(library);
        try {
            module.slotOf(label);
            return;
        } catch (IllegalArgumentException absent) {
            // not there yet: initialize one below
        }
        PKCS11 p11 = module.p11();
        NativeLibrary lib = NativeLibrary.getInstance(library.toAbsolutePath().toString());
        byte[] so = new byte[16];
        new SecureRandom().nextBytes(so);
        // A random SO PIN that nobody keeps: these tokens exist for tests and local runs only.
        byte[] soPin = HexFormat.of().formatHex(so).getBytes(StandardCharsets.US_ASCII);
        byte[] userPin = new String(pin).getBytes(StandardCharsets.UTF_8);
        try {
            long slot = module.freeSlot();
            if (slot < 0) {
                throw new IllegalStateException("SoftHSM2 has no free slot for token " + label);
            }
            byte[] padded = new byte[32];
            Arrays.fill(padded, (byte) ' ');
            byte[] l = label.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(l, 0, padded, 0, l.length);
            check("C_InitToken", lib.getFunction("C_InitToken").invokeLong(new Object[] {
                new NativeLong(slot), soPin, new NativeLong(soPin.length), padded}));
            long session = p11.C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, null, null);
            try {
                p11.C_Login(session, CKU_SO, new String(soPin, StandardCharsets.US_ASCII).toCharArray());
                check("C_InitPIN", lib.getFunction("C_InitPIN").invokeLong(new Object[] {
                    new NativeLong(session), userPin, new NativeLong(userPin.length)}));
                p11.C_Logout(session);
            } finally {
                p11.C_CloseSession(session);
            }
        } catch (PKCS11Exception e) {
            throw new IllegalStateException("cannot initialize SoftHSM2 token " + label + ": " + CkrStatus.name(e), e);
        } finally {
            Arrays.fill(soPin, (byte) 0);
            Arrays.fill(userPin, (byte) 0);
        }
    }

    private static void check(String call, long rv) {
        if (rv != 0) {
            throw new IllegalStateException("SoftHSM2 " + call + " returned " + String.format("0x%08X", rv));
        }
    }
}
