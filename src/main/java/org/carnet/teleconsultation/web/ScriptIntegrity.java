package org.carnet.teleconsultation.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Subresource Integrity values ({@code sha384-…}) of the scripts Carnet serves from {@code static/js},
 * for the {@code integrity} attribute of the pages that do cryptography: a script altered on its way or
 * in a cache is refused by the browser. Page controllers put {@link #of(String...)} in the model as
 * {@code sri}; templates write {@code th:attr="integrity=${sri['e2e.js']}"}.
 */
@Component
class ScriptIntegrity {

    private final Map<String, String> computed = new ConcurrentHashMap<>();

    /** The integrity values of these scripts, by name. */
    Map<String, String> of(String... names) {
        Map<String, String> values = new java.util.HashMap<>();
        for (String name : names) {
            values.put(name, of(name));
        }
        return values;
    }

    /** The integrity value of {@code static/js/<name>}; a name with a path separator is refused. */
    String of(String name) {
        if (!name.matches("[a-z0-9-]+\\.js")) {
            throw new IllegalArgumentException("not a script name");
        }
        return computed.computeIfAbsent(name, ScriptIntegrity::digest);
    }

    private static String digest(String name) {
        try (InputStream in = new ClassPathResource("static/js/" + name).getInputStream()) {
            byte[] hash = MessageDigest.getInstance("SHA-384").digest(in.readAllBytes());
            return "sha384-" + Base64.getEncoder().encodeToString(hash);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
