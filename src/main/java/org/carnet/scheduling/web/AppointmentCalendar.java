package org.carnet.scheduling.web;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.Uid;
import org.carnet.scheduling.AppointmentView;

/**
 * An appointment as an iCalendar file (RFC 5545) for the patient's own calendar. Calendars are often
 * synchronised to third-party services, so the file says only when, where and with whom: never the
 * motive, the comment, the specialty or the patient's identity.
 */
final class AppointmentCalendar {

    private AppointmentCalendar() {}

    static String of(AppointmentView appointment, String summary) {
        VEvent event = new VEvent(appointment.start(), appointment.end(), summary);
        event.add(new Uid(appointment.id() + "@carnet"));
        if (appointment.establishmentName() != null) {
            event.add(new Location(appointment.establishmentName() + ", " + appointment.establishmentAddress()));
        }
        Calendar calendar = new Calendar()
                .withProdId("-//Carnet//Rendez-vous//FR")
                .withDefaults()
                .withComponent(event)
                .getFluentTarget();
        StringWriter out = new StringWriter();
        try {
            new CalendarOutputter().output(calendar, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
