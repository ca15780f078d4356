package org.carnet.teleconsultation.web;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.UnprocessableException;
import org.carnet.teleconsultation.Envelope;
import org.carnet.teleconsultation.SubjectKind;
import org.carnet.teleconsultation.VideoRooms;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The rooms' signalling relay (docs/e2e.md, "Video", "The WebSocket"): one socket per party and room, the
 * waiting room (the patient waits until the practitioner admits them), and each sealed signalling message
 * checked for its shape and its sender's binding, then handed to the other party unopened. It keeps
 * nothing: a room lives in this node's memory while someone is in it. Logs carry no content.
 */
@Component
class SignalRelay extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(SignalRelay.class);
    private static final String OUT = "carnet.video.out";
    private static final String COUNT = "carnet.video.count";
    /** Signalling messages one socket may send: a call needs a few dozen (ICE candidates included). */
    static final int MAX_SIGNALS = 2000;

    static final int MAX_FRAME = 64 * 1024;

    private static final CloseStatus REPLACED = new CloseStatus(4001, "replaced");
    private static final CloseStatus CLOSED = new CloseStatus(4003, "room closed");

    /** Who is in one room now, and whether the practitioner let the patient in. */
    private static final class Parties {
        @Nullable
        WebSocketSession patient;

        @Nullable
        WebSocketSession practitioner;

        boolean admitted;

        @Nullable
        WebSocketSession of(SubjectKind kind) {
            return kind == SubjectKind.PATIENT ? patient : practitioner;
        }

        @Nullable
        WebSocketSession set(SubjectKind kind, @Nullable WebSocketSession session) {
            WebSocketSession before = of(kind);
            if (kind == SubjectKind.PATIENT) {
                patient = session;
            } else {
                practitioner = session;
            }
            return before;
        }
    }

    private final Map<UUID, Parties> rooms = new ConcurrentHashMap<>();
    private final VideoRooms videoRooms;
    private final SignalTap tap;

    SignalRelay(VideoRooms videoRooms, SignalTap tap) {
        this.videoRooms = videoRooms;
        this.tap = tap;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        VideoRooms.Room room = room(session);
        // Frames up to 64 KiB (a sealed SDP offer is a few; Tomcat's default buffer is 8 KiB), per socket,
        // so that no container-wide bean is needed.
        session.setTextMessageSizeLimit(MAX_FRAME);
        session.setBinaryMessageSizeLimit(1024);
        WebSocketSession out = new ConcurrentWebSocketSessionDecorator(session, 10_000, 512 * 1024);
        session.getAttributes().put(OUT, out);
        session.getAttributes().put(COUNT, new AtomicInteger());
        Parties parties = rooms.computeIfAbsent(room.appointmentId(), id -> new Parties());
        WebSocketSession replaced;
        synchronized (parties) {
            replaced = parties.set(room.party(), out);
            if (room.party() == SubjectKind.PATIENT) {
                parties.admitted = false; // a patient who comes back waits to be admitted again
            }
        }
        if (replaced != null) {
            close(replaced, REPLACED);
        }
        announce(room.appointmentId(), parties);
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        VideoRooms.Room room = room(session);
        WebSocketSession out = out(session);
        if (!videoRooms.open(room)) {
            send(out, frame("type", "closed"));
            close(out, CLOSED);
            return;
        }
        Parties parties = rooms.get(room.appointmentId());
        if (parties == null) {
            return;
        }
        Map<String, Object> frame;
        try {
            frame = JSONObjectUtils.parse(message.getPayload());
        } catch (ParseException e) {
            send(out, error("malformed"));
            return;
        }
        Object type = frame.get("type");
        if ("admit".equals(type)) {
            admit(room, parties, out);
        } else if ("signal".equals(type)) {
            signal(room, parties, session, frame);
        } else {
            send(out, error("malformed"));
        }
    }

    private void admit(VideoRooms.Room room, Parties parties, WebSocketSession out) {
        boolean admitted;
        synchronized (parties) {
            admitted = room.party() == SubjectKind.PRACTITIONER && parties.patient != null;
            if (admitted) {
                parties.admitted = true;
            }
        }
        if (admitted) {
            announce(room.appointmentId(), parties);
        } else {
            send(out, error("cannot-admit"));
        }
    }

    private void signal(VideoRooms.Room room, Parties parties, WebSocketSession session, Map<String, Object> frame) {
        WebSocketSession out = out(session);
        WebSocketSession peer;
        synchronized (parties) {
            peer = parties.admitted ? parties.of(room.peer()) : null;
        }
        if (peer == null) {
            send(out, error("not-admitted"));
            return;
        }
        AtomicInteger count = (AtomicInteger)
                java.util.Objects.requireNonNull(session.getAttributes().get(COUNT));
        if (count.incrementAndGet() > MAX_SIGNALS) {
            send(out, error("too-many"));
            close(out, CloseStatus.POLICY_VIOLATION);
            return;
        }
        Map<String, Object> relayed;
        try {
            String callSession = (String) frame.get("session");
            Number seq = (Number) frame.get("seq");
            Envelope envelope = envelope(frame.get("envelope"));
            if (callSession == null || seq == null || seq.doubleValue() != seq.longValue()) {
                throw new InvalidRequestException("signal", "needs session, seq and envelope");
            }
            VideoRooms.checkSignal(room, callSession, seq.longValue(), envelope);
            relayed = new LinkedHashMap<>();
            relayed.put("type", "signal");
            relayed.put("from", room.partyItem());
            relayed.put("session", callSession);
            relayed.put("seq", seq.longValue());
            relayed.put("envelope", JSONObjectUtils.parse(envelope.json()));
        } catch (InvalidRequestException | UnprocessableException | ClassCastException | ParseException e) {
            send(out, error("refused"));
            return;
        }
        for (String delivered : tap.deliver(room.appointmentId(), JSONObjectUtils.toJSONString(relayed))) {
            send(peer, delivered);
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        VideoRooms.Room room = room(session);
        Parties parties = rooms.get(room.appointmentId());
        if (parties == null) {
            return;
        }
        boolean empty;
        synchronized (parties) {
            if (parties.of(room.party()) == session.getAttributes().get(OUT)) {
                parties.set(room.party(), null);
                if (room.party() == SubjectKind.PATIENT) {
                    parties.admitted = false;
                }
            }
            empty = parties.patient == null && parties.practitioner == null;
        }
        if (empty) {
            rooms.remove(room.appointmentId(), parties);
        } else {
            announce(room.appointmentId(), parties);
        }
    }

    /** Tells each party in the room whether the other one is there and whether the patient is admitted. */
    private void announce(UUID appointmentId, Parties parties) {
        WebSocketSession patient;
        WebSocketSession practitioner;
        boolean admitted;
        synchronized (parties) {
            patient = parties.patient;
            practitioner = parties.practitioner;
            admitted = parties.admitted;
        }
        if (patient != null) {
            send(patient, state(practitioner != null, admitted));
        }
        if (practitioner != null) {
            send(practitioner, state(patient != null, admitted));
        }
    }

    private static String state(boolean peer, boolean admitted) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "room");
        frame.put("peer", peer);
        frame.put("admitted", admitted);
        return JSONObjectUtils.toJSONString(frame);
    }

    private static String error(String code) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "error");
        frame.put("code", code);
        return JSONObjectUtils.toJSONString(frame);
    }

    private static String frame(String name, String value) {
        return JSONObjectUtils.toJSONString(Map.of(name, value));
    }

    private static Envelope envelope(@Nullable Object value) {
        if (!(value instanceof Map<?, ?> jwe)
                || !jwe.keySet().equals(java.util.Set.of("protected", "iv", "ciphertext", "tag"))
                || !(jwe.get("protected") instanceof String header)
                || !(jwe.get("iv") instanceof String iv)
                || !(jwe.get("ciphertext") instanceof String ciphertext)
                || !(jwe.get("tag") instanceof String tag)) {
            throw new InvalidRequestException("envelope", "must hold exactly protected, iv, ciphertext, tag: strings");
        }
        return new Envelope(header, null, iv, ciphertext, tag);
    }

    private static VideoRooms.Room room(WebSocketSession session) {
        return (VideoRooms.Room)
                java.util.Objects.requireNonNull(session.getAttributes().get(SignalHandshake.ROOM));
    }

    private static WebSocketSession out(WebSocketSession session) {
        return (WebSocketSession)
                java.util.Objects.requireNonNull(session.getAttributes().get(OUT));
    }

    private static void send(WebSocketSession to, String frame) {
        try {
            if (to.isOpen()) {
                to.sendMessage(new TextMessage(frame));
            }
        } catch (IOException | RuntimeException e) {
            log.debug(
                    "A signalling frame could not be delivered: {}",
                    e.getClass().getSimpleName());
        }
    }

    private static void close(WebSocketSession session, CloseStatus status) {
        try {
            session.close(status);
        } catch (IOException e) {
            log.debug("A signalling socket did not close cleanly");
        }
    }
}
