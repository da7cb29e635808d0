package dev.multislot.testsupport;

import io.netty.util.ResourceLeakDetector;

/**
 * Netty's leak detector that also keeps every report for {@link LeakCheckExtension}, so that a leak
 * fails a test instead of being one more ERROR line nobody reads. Netty builds it for every resource
 * type (buffers first) when {@code -Dio.netty.customResourceLeakDetector} names this class, which the
 * root pom's Surefire argLine does, with a sampling interval of 1 so that every buffer is tracked.
 */
public final class FailingLeakDetector<T> extends ResourceLeakDetector<T> {

    public FailingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval, maxActive);
    }

    public FailingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    /** Always: a report is recorded even if no logger would print it. */
    @Override
    protected boolean needReport() {
        return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        LeakReports.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        LeakReports.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected"
                + " (no access records)");
        super.reportUntracedLeak(resourceType);
    }
}
