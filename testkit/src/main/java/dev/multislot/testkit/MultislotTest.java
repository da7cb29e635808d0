package dev.multislot.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class with {@link MultislotExtension}: before the class's first test an hsm-local
 * cluster of {@link #hsms()} HSMs starts, a connector connects to it and logs in as the cluster's
 * crypto user; after its last test both are closed. Test and lifecycle methods receive the
 * {@code SlotSession}, {@code Slot}, {@code HsmConnector} / {@code ReactorHsmConnector} and
 * {@code LocalCluster} as parameters.
 *
 * <p>For settings this annotation has not (connector options, cluster spec, credentials), register
 * the extension in a static field instead: {@code @RegisterExtension static MultislotExtension
 * multislot = MultislotExtension.builder()...build();}. Use one or the other on a class, not both.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MultislotExtension.class)
public @interface MultislotTest {

    /** HSMs in the local cluster, 1..32 (hsm-local's {@code LocalClusterSpec.MAX_HSM_COUNT}). Default 1. */
    int hsms() default MultislotExtension.DEFAULT_HSMS;
}
