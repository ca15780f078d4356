package org.carnet.teleconsultation.web;

import java.util.List;
import java.util.UUID;
import org.carnet.identity.SignedIn;
import org.carnet.teleconsultation.TurnCredentials;
import org.carnet.teleconsultation.VideoRooms;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A video room for the page's script (docs/e2e.md, "Video"): its hours, who the two parties are, and while
 * it is open the TURN credentials issued for it. Its patient and its practitioner only (404 for anyone
 * else, recorded); a session route for Carnet's pages, not an API operation.
 */
@RestController
@RequestMapping("/e2e/consultations")
class VideoController {

    /** A TURN server as RTCPeerConnection takes it ({@code RTCIceServer}). */
    record IceServer(List<String> urls, String username, String credential) {
        @Override
        public String toString() {
            return "IceServer[urls=" + urls + ", credential=<redacted>]";
        }
    }

    /** The room as served. */
    record Room(
            UUID appointmentId,
            String party,
            String peer,
            String opensAt,
            String closesAt,
            boolean open,
            List<IceServer> iceServers,
            @Nullable String credentialsExpireAt) {}

    private final VideoRooms rooms;

    VideoController(VideoRooms rooms) {
        this.rooms = rooms;
    }

    @GetMapping("/{appointmentId}/video")
    Room room(@PathVariable UUID appointmentId) {
        VideoRooms.Room room = rooms.room(SignedIn.required(), appointmentId);
        var credentials = rooms.turnCredentials(room);
        return new Room(
                appointmentId,
                room.partyItem(),
                room.peerItem(),
                room.opensAt().toString(),
                room.closesAt().toString(),
                rooms.open(room),
                credentials
                        .map(c -> List.of(new IceServer(c.uris(), c.username(), c.credential())))
                        .orElse(List.of()),
                credentials
                        .map(TurnCredentials::expiresAt)
                        .map(Object::toString)
                        .orElse(null));
    }
}
