package dev.multislot.local;

import dev.multislot.local.internal.pkcs11.SoftHsm2;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The launcher's {@code --backend}: which token each cluster gets, where the PIN comes from, which
 * clusters a SoftHSM2 directory already holds, and the fields the launcher reports per cluster.
 */
final class LaunchBackend {

    /** The environment variable a {@code pkcs11} launch reads the user PIN from unless {@code --pin-file} is given. */
    static final String PIN_ENV = "MULTISLOT_PKCS11_PIN";
    /** In a SoftHSM2 {@code --directory}: the cluster ids made there, in order. */
    static final String CLUSTERS_FILE = "clusters.txt";

    private LaunchBackend() {
    }

    /**
     * Checks the backend options together; the message names the option.
     *
     * @throws LocalMain.BadInput when they do not fit
     */
    static void check(LocalMain.Options o) throws LocalMain.BadInput {
        switch (o.backend) {
            case "software" -> {
                if (o.pkcs11Library != null || o.tokenLabel != null || o.pinFile != null) {
                    throw new LocalMain.BadInput("--pkcs11-library, --token-label and --pin-file need --backend softhsm2 or pkcs11");
                }
            }
            case "softhsm2" -> {
                if (o.tokenLabel != null) {
                    throw new LocalMain.BadInput("--token-label is for --backend pkcs11; with softhsm2 each token is labelled"
                            + " with its cluster id");
                }
            }
            case "pkcs11" -> {
                if (o.pkcs11Library == null || o.tokenLabel == null) {
                    throw new LocalMain.BadInput("--backend pkcs11 needs --pkcs11-library PATH and --token-label LABEL");
                }
                if (o.clustersGiven && o.clusters != 1) {
                    throw new LocalMain.BadInput("--backend pkcs11 serves one cluster on its token, --clusters was " + o.clusters);
                }
            }
            default -> throw new LocalMain.BadInput("--backend must be software, softhsm2 or pkcs11, was '" + o.backend + "'");
        }
    }

    /** The crypto user's password: the token's user PIN for a PKCS#11 backend; null means the default user. */
    static char[] pin(LocalMain.Options o) throws LocalMain.BadInput {
        if (o.backend.equals("software")) {
            return null;
        }
        if (o.pinFile != null) {
            try {
                String pin = Files.readString(o.pinFile, StandardCharsets.UTF_8).strip();
                if (pin.isEmpty()) {
                    throw new LocalMain.BadInput("--pin-file " + o.pinFile + " is empty");
                }
                return pin.toCharArray();
            } catch (IOException e) {
                throw new LocalMain.BadInput("--pin-file " + o.pinFile + " cannot be read: " + e.getMessage());
            }
        }
        String env = System.getenv(PIN_ENV);
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        if (o.backend.equals("pkcs11")) {
            throw new LocalMain.BadInput("--backend pkcs11 needs the token's user PIN: --pin-file FILE or the environment"
                    + " variable " + PIN_ENV + " (never an argument)");
        }
        return null;
    }

    /** The backend for the clusters of this launch; {@code home} is SoftHSM2's directory. */
    static TokenBackend backend(LocalMain.Options o, Path home) {
        return switch (o.backend) {
            case "softhsm2" -> TokenBackend.softHsm2(home, o.pkcs11Library != null ? o.pkcs11Library : SoftHsm2.DEFAULT_LIBRARY);
            case "pkcs11" -> TokenBackend.pkcs11(o.pkcs11Library, o.tokenLabel);
            default -> TokenBackend.software();
        };
    }

    /** The cluster ids an earlier SoftHSM2 launch made in {@code directory}, in order. */
    static List<String> earlierClusters(Path directory) {
        Path f = directory.resolve(CLUSTERS_FILE);
        if (!Files.isRegularFile(f)) {
            return List.of();
        }
        try {
            List<String> ids = new ArrayList<>();
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    ids.add(line.strip());
                }
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }

    static void saveClusters(Path directory, List<LocalCluster> clusters) {
        StringBuilder sb = new StringBuilder();
        clusters.forEach(c -> sb.append(c.clusterId()).append('\n'));
        try {
            Files.writeString(directory.resolve(CLUSTERS_FILE), sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + directory.resolve(CLUSTERS_FILE), e);
        }
    }

    /** Adds {@code backend} and, for a PKCS#11 backend, {@code pkcs11_library}, {@code token_label}, {@code softhsm2_conf}. */
    static void describe(LocalCluster c, Map<String, Object> fields) {
        TokenBackend b = c.tokenBackend();
        fields.put("backend", b.name());
        b.library().ifPresent(l -> fields.put("pkcs11_library", l.toAbsolutePath().toString()));
        c.tokenLabel().ifPresent(l -> fields.put("token_label", l));
        c.softHsm2Config().ifPresent(f -> fields.put("softhsm2_conf", f.toString()));
    }
}
