package dev.multislot.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * A crypto user's name and password.
 *
 * <p>The password is held as a {@code char[]} copy, never as a {@code String}, and never appears
 * in {@link #toString()}, in log lines or in exception messages. {@link #destroy()} overwrites it.
 */
public final class Credentials {

    private final String username;
    private final char[] password;

    private Credentials(String username, char[] password) {
        this.username = username;
        this.password = password;
    }

    /**
     * Credentials from a user name and a password (the password is copied).
     *
     * @throws IllegalArgumentException if the user name is blank or contains ':', or the password is empty
     */
    public static Credentials of(String username, char[] password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isBlank()) {
            throw new IllegalArgumentException("username must not be blank");
        }
        if (username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("username must not contain ':' (it separates user and password in a PIN)");
        }
        if (password.length == 0) {
            throw new IllegalArgumentException("password for user '" + username + "' must not be empty");
        }
        return new Credentials(username, password.clone());
    }

    /**
     * Credentials from a PKCS#11-style PIN, {@code username:password}, as CloudHSM's PKCS#11
     * library takes them. The password may itself contain ':'.
     *
     * @throws IllegalArgumentException if the PIN has no ':' separating a user name from a
     *     password (the message never contains the PIN)
     */
    public static Credentials fromPin(char[] pin) {
        Objects.requireNonNull(pin, "pin");
        int colon = -1;
        for (int i = 0; i < pin.length; i++) {
            if (pin[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0 || colon == pin.length - 1) {
            throw new IllegalArgumentException("PIN must have the form username:password");
        }
        String user = new String(pin, 0, colon);
        char[] pass = Arrays.copyOfRange(pin, colon + 1, pin.length);
        try {
            return of(user, pass);
        } finally {
            Arrays.fill(pass, '\0');
        }
    }

    public String username() {
        return username;
    }

    /** A copy of the password; the caller should overwrite it when done. */
    public char[] password() {
        return password.clone();
    }

    /** Overwrites the password held by this object. */
    public void destroy() {
        Arrays.fill(password, '\0');
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=****]";
    }
}
