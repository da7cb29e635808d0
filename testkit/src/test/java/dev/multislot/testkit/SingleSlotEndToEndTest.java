package dev.multislot.testkit;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The connector end to end on the in-memory software token. */
class SingleSlotEndToEndTest extends SingleSlotEndToEndContract {

    @RegisterExtension
    static final MultislotExtension multislot = MultislotExtension.builder().hsms(2).build();
}
