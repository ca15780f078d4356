package org.carnet.notifications;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The sealed form of a message: {@code kind|s:text|t:2026-12-01T09:00:00Z}, each parameter URL-encoded. */
final class MessageCodec {

    record Decoded(String kind, List<Object> params) {}

    private MessageCodec() {}

    static String encode(String kind, List<?> params) {
        StringBuilder out = new StringBuilder(kind);
        for (Object param : params) {
            out.append('|');
            if (param instanceof Instant instant) {
                out.append("t:").append(instant);
            } else if (param instanceof String text) {
                out.append("s:").append(URLEncoder.encode(text, StandardCharsets.UTF_8));
            } else {
                throw new IllegalArgumentException("A message parameter is a String or an Instant");
            }
        }
        return out.toString();
    }

    static Decoded decode(String sealed) {
        String[] parts = sealed.split("\\|", -1);
        List<Object> params = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String value = parts[i].substring(2);
            params.add(
                    parts[i].startsWith("t:")
                            ? Instant.parse(value)
                            : URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return new Decoded(parts[0], params);
    }
}
