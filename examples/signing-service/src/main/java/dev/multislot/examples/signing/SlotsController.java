package dev.multislot.examples.signing;

import dev.multislot.api.HsmConnector;
import dev.multislot.api.SlotHealth;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/slots}: the slots in force, in config order, with their health. */
@RestController
class SlotsController {

    private final HsmConnector connector;

    SlotsController(HsmConnector connector) {
        this.connector = connector;
    }

    @GetMapping("/v1/slots")
    List<Dtos.SlotView> slots() {
        return connector.slots().stream().map(slot -> {
            SlotHealth health = slot.health();
            int up = (int) health.hsms().stream().filter(SlotHealth.HsmHealth::isUsable).count();
            return new Dtos.SlotView(slot.clusterId().value(), slot.index(),
                    slot.hsms().stream().map(Object::toString).toList(),
                    health.isAvailable() ? "UP" : "DOWN", up, health.pendingRequests());
        }).toList();
    }
}
