package org.carnet.teleconsultation.web;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.carnet.identity.SignedIn;
import org.carnet.shared.Actor;
import org.carnet.shared.NotFoundException;
import org.carnet.teleconsultation.VideoRooms;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Lets a signed-in person into a room's signalling only if they are its patient or its practitioner
 * (decided and recorded by {@link VideoRooms#room}) and the room is open: otherwise 404 (as for a room that
 * does not exist) or 409 (closed, or the appointment cancelled). Runs on the HTTP upgrade request, where
 * the page's session is known; the room it admits to is kept with the socket.
 */
@Component
class SignalHandshake implements HandshakeInterceptor {

    static final String ROOM = "carnet.video.room";

    private static final Pattern PATH = Pattern.compile("/e2e/consultations/([0-9a-fA-F-]{36})/video/signal");

    private final VideoRooms rooms;

    SignalHandshake(VideoRooms rooms) {
        this.rooms = rooms;
    }

    @Override
    public boolean beforeHandshake(
            ServerHttpRequest request,
            ServerHttpResponse response,
            WebSocketHandler handler,
            Map<String, Object> attributes) {
        Matcher path = PATH.matcher(request.getURI().getPath());
        Optional<Actor.Person> me = SignedIn.current();
        if (!path.matches() || me.isEmpty()) {
            response.setStatusCode(HttpStatus.NOT_FOUND);
            return false;
        }
        try {
            VideoRooms.Room room = rooms.room(me.get(), UUID.fromString(path.group(1)));
            if (!rooms.open(room)) {
                response.setStatusCode(HttpStatus.CONFLICT);
                return false;
            }
            attributes.put(ROOM, room);
            return true;
        } catch (NotFoundException | IllegalArgumentException e) {
            response.setStatusCode(HttpStatus.NOT_FOUND);
            return false;
        }
    }

    @Override
    public void afterHandshake(
            ServerHttpRequest request,
            ServerHttpResponse response,
            WebSocketHandler handler,
            @Nullable Exception exception) {}
}
