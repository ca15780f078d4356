package org.carnet.scheduling.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.carnet.scheduling.Availability;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Search pages as JSON with their ETag, made once per page that {@link Availability} remembers and
 * language: a remembered page is served without writing it again. Kept as long as the page object
 * itself (weak keys, compared by identity), so never longer than {@link Availability} keeps it.
 */
@Component
class SearchPageJson {

    /** The JSON of a page and its strong ETag, a digest of exactly those bytes. */
    record Rendered(byte[] json, String etag) {}

    private final JsonMapper mapper;
    private final Cache<Availability.Page, Map<String, Rendered>> rendered =
            Caffeine.newBuilder().weakKeys().maximumSize(10_000).build();

    SearchPageJson(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** The page in the language of {@code label} (the specialty's label, the only words that vary). */
    Rendered of(Availability.Page page, String label, Supplier<Object> view) {
        return rendered.get(page, p -> new ConcurrentHashMap<>()).computeIfAbsent(label, l -> render(view.get()));
    }

    private Rendered render(Object view) {
        byte[] json = mapper.writeValueAsBytes(view);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
            return new Rendered(json, "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
