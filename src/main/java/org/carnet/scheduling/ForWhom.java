package org.carnet.scheduling;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.carnet.patients.Relative;
import org.jspecify.annotations.Nullable;

/**
 * The relative an appointment is for, as the establishment keeps it: their id on the booking account
 * and their identity, sealed in the appointment under the establishment's key. Redacted {@code toString}.
 */
public record ForWhom(UUID relativeId, String firstName, String lastName, String birthDate) {

    static ForWhom of(Relative relative) {
        return new ForWhom(
                relative.id(),
                relative.firstName(),
                relative.lastName(),
                relative.birthDate().toString());
    }

    public String displayName() {
        return firstName + " " + lastName;
    }

    public String encode() {
        return relativeId + "|" + enc(firstName) + "|" + enc(lastName) + "|" + birthDate;
    }

    public static @Nullable ForWhom decode(@Nullable String value) {
        if (value == null) {
            return null;
        }
        String[] parts = value.split("\\|", -1);
        return new ForWhom(UUID.fromString(parts[0]), dec(parts[1]), dec(parts[2]), parts[3]);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ForWhom[redacted]";
    }
}
