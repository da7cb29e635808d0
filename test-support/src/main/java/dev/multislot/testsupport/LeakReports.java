package dev.multislot.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** The leak reports Netty made in this JVM and no test class has answered for yet. */
public final class LeakReports {

    /** Kept at most: one is enough to fail; the rest only repeat it. */
    private static final int MAX_KEPT = 20;

    private static final Queue<String> REPORTS = new ConcurrentLinkedQueue<>();

    private LeakReports() {
    }

    static void add(String report) {
        if (REPORTS.size() < MAX_KEPT) {
            REPORTS.add(report);
        }
    }

    /** Whether a report is waiting to be drained. */
    static boolean any() {
        return !REPORTS.isEmpty();
    }

    /** The reports since the last call, and forgets them. */
    public static List<String> drain() {
        List<String> out = new ArrayList<>();
        String r;
        while ((r = REPORTS.poll()) != null) {
            out.add(r);
        }
        return out;
    }
}
