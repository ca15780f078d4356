package org.carnet.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.carnet.shared.InvalidRequestException;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The rules a new password must meet: 12 to 128 characters and not a commonly used password. No
 * composition rules and no forced periodic change (NIST SP 800-63B).
 */
@Component
class PasswordPolicy {

    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 128;
    static final String COMMON_PASSWORDS = "identity/common-passwords.txt";

    private final Set<String> common;

    PasswordPolicy() {
        this.common = load(COMMON_PASSWORDS);
    }

    void check(String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            throw new InvalidRequestException("password", "must be at least " + MIN_LENGTH + " characters");
        }
        if (password.length() > MAX_LENGTH) {
            throw new InvalidRequestException("password", "must be at most " + MAX_LENGTH + " characters");
        }
        if (common.contains(password.toLowerCase(Locale.ROOT))) {
            throw new InvalidRequestException("password", "is one of the most commonly used passwords; choose another");
        }
    }

    private static Set<String> load(String resource) {
        Set<String> passwords = new HashSet<>();
        try (InputStream in = new ClassPathResource(resource).getInputStream();
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    passwords.add(line.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the common password list", e);
        }
        if (passwords.isEmpty()) {
            throw new IllegalStateException("The common password list is empty");
        }
        return Set.copyOf(passwords);
    }
}
