package org.carnet.identity;

import org.carnet.shared.InvalidRequestException;

/** The rules a new password must meet. No composition rules and no forced periodic change (NIST 800-63B). */
final class PasswordPolicy {

    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 128;

    private PasswordPolicy() {}

    static void check(String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            throw new InvalidRequestException("password", "must be at least " + MIN_LENGTH + " characters");
        }
        if (password.length() > MAX_LENGTH) {
            throw new InvalidRequestException("password", "must be at most " + MAX_LENGTH + " characters");
        }
    }
}
