package org.carnet.teleconsultation.web;

import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.identity.SignedIn;
import org.carnet.scheduling.BookingProperties;
import org.carnet.shared.Actor;
import org.carnet.shared.WebPage;
import org.carnet.teleconsultation.Teleconsultations;
import org.carnet.teleconsultation.VideoRooms;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * A teleconsultation's video page, for its patient and for its practitioner (linked from both consultation
 * pages): the room's hours, the call's state, and the two videos. Its script (static/js/e2e-video.js)
 * seals every signalling message under the consultation key; the media go from browser to browser.
 */
@WebPage
class VideoPages {

    /** What the page shows of the room: its hours in the reader's language and the agenda's time zone. */
    record RoomView(UUID appointmentId, String party, String peer, String opensAt, String closesAt, boolean open) {}

    private final Teleconsultations teleconsultations;
    private final VideoRooms rooms;
    private final ScriptIntegrity integrity;
    private final Directory directory;
    private final BookingProperties booking;

    VideoPages(
            Teleconsultations teleconsultations,
            VideoRooms rooms,
            ScriptIntegrity integrity,
            Directory directory,
            BookingProperties booking) {
        this.teleconsultations = teleconsultations;
        this.rooms = rooms;
        this.integrity = integrity;
        this.directory = directory;
        this.booking = booking;
    }

    @GetMapping("/me/teleconsultations/{id}/video")
    String patient(@PathVariable UUID id, Model model) {
        return page(id, model, "/me/teleconsultations/" + id);
    }

    @GetMapping("/agenda/teleconsultations/{id}/video")
    String practitioner(@PathVariable UUID id, Model model) {
        return page(id, model, "/agenda/teleconsultations/" + id);
    }

    private String page(UUID id, Model model, String back) {
        Actor.Person me = SignedIn.required();
        // Not found for anyone who may not see the teleconsultation (and recorded as such).
        Teleconsultations.Overview overview = teleconsultations.overview(me, id);
        model.addAttribute("consultation", overview);
        model.addAttribute("back", back);
        model.addAttribute(
                "practitionerName",
                directory
                        .practitioner(overview.practitionerId())
                        .map(Practitioner::displayName)
                        .orElse(""));
        if (overview.keySetUp()) {
            VideoRooms.Room room = rooms.room(me, id); // not found for a colleague: the call is two people's
            DateTimeFormatter format = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT)
                    .withLocale(LocaleContextHolder.getLocale())
                    .withZone(booking.zone());
            model.addAttribute(
                    "room",
                    new RoomView(
                            id,
                            room.partyItem(),
                            room.peerItem(),
                            format.format(room.opensAt()),
                            format.format(room.closesAt()),
                            rooms.open(room)));
        }
        model.addAttribute("sri", integrity.of("e2e.js", "e2e-video.js"));
        return "e2e-video";
    }
}
