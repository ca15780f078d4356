package org.carnet.scheduling;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Keeps every agenda's slots generated the configured number of weeks ahead, one practitioner per transaction. */
@Component
class SlotHorizonJob {

    private static final Logger log = LoggerFactory.getLogger(SlotHorizonJob.class);

    private final Agendas agendas;

    SlotHorizonJob(Agendas agendas) {
        this.agendas = agendas;
    }

    @Scheduled(cron = "${carnet.booking.horizon-cron:0 15 2 * * *}", zone = "${carnet.booking.zone}")
    void fillHorizons() {
        int practitioners = 0;
        int slots = 0;
        for (UUID practitionerId : agendas.agendasToFill()) {
            slots += agendas.fillHorizon(practitionerId);
            practitioners++;
        }
        log.info("Slot horizon filled: {} agendas, {} new slots", practitioners, slots);
    }
}
