package org.carnet.teleconsultation.web;

import java.util.List;
import org.carnet.teleconsultation.VideoProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * The video rooms' signalling WebSocket, {@code /e2e/consultations/{appointmentId}/video/signal}
 * (docs/e2e.md, "Video"): reached with the page's session (the security filters require a signed-in
 * person on every {@code /e2e} path), from Carnet's own origin only (Spring's default origin check: a page
 * of another site cannot ride on the session, which is what CSRF protection means for a WebSocket), and
 * let in by {@link SignalHandshake} only for the consultation's two parties while the room is open.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
@EnableConfigurationProperties(VideoProperties.class)
class VideoSignalling implements WebSocketConfigurer {

    static final String PATH = "/e2e/consultations/*/video/signal";

    private final SignalRelay relay;
    private final SignalHandshake handshake;

    VideoSignalling(SignalRelay relay, SignalHandshake handshake) {
        this.relay = relay;
        this.handshake = handshake;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // No setAllowedOrigins: only the page's own origin may open it.
        registry.addHandler(relay, PATH).addInterceptors(handshake);
    }

    /** The relay delivers each frame as it came (the tests replace this to play a hostile server). */
    @Bean
    static SignalTap signalTap() {
        return (appointmentId, frame) -> List.of(frame);
    }
}
