package dev.multislot.testsupport;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.platform.launcher.TestExecutionListener;
import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound, with every {@code BlockHoundIntegration} on the class path, before the first
 * test of a JVM that can take it: one started with {@code -XX:+AllowRedefinitionToAddDeleteMethods},
 * as the reactive modules' Surefire argLine does.
 *
 * <p>It replaces {@code blockhound-junit-platform} in modules that run test JVMs side by side or one
 * per class ({@code forkCount} above 1 or {@code reuseForks=false}). Surefire then lists the test
 * classes in Maven's own JVM through a JUnit launcher, which loads every
 * {@code TestExecutionListener}; that JVM lacks the flag, and BlockHound's own listener fails it there.
 * A module registers this class in its test resources
 * ({@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}) and keeps a test that
 * proves BlockHound reports a blocking call, so a test JVM without the flag fails that test instead of
 * running unguarded.
 */
public final class BlockHoundListener implements TestExecutionListener {

    static {
        if (canRedefineClasses()) {
            BlockHound.install();
        }
    }

    private static boolean canRedefineClasses() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        return vm != null && Boolean.parseBoolean(vm.getVMOption("AllowRedefinitionToAddDeleteMethods").getValue());
    }
}
