package org.carnet.support;

import java.util.UUID;
import org.carnet.identity.Logins;
import org.carnet.shared.Role;
import org.springframework.transaction.support.TransactionTemplate;

/** Makes professional logins for tests: fresh e-mail, a known password and a known TOTP secret. */
public final class Professionals {

    /** A professional login and what it takes to sign in with it. */
    public record Login(UUID userId, Role role, String email, String password, String totpSecret) {}

    public static final String PASSWORD = "a long synthetic test password";

    private final Logins logins;
    private final TransactionTemplate transactions;

    public Professionals(Logins logins, TransactionTemplate transactions) {
        this.logins = logins;
        this.transactions = transactions;
    }

    /** A practitioner's login, second factor already enrolled. */
    public Login practitioner(UUID practitionerId, UUID establishmentId) {
        String email = "pro-" + UUID.randomUUID() + "@example.test";
        return enrolled(
                Role.PRACTITIONER,
                email,
                transactions.execute(
                        status -> logins.create(Role.PRACTITIONER, practitionerId, establishmentId, email, PASSWORD)));
    }

    /** A staff, administrator or security officer login, second factor already enrolled. */
    public Login staff(Role role, UUID establishmentId) {
        String email = role.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-" + UUID.randomUUID()
                + "@example.test";
        return enrolled(
                role,
                email,
                transactions.execute(
                        status -> logins.createStaff(role, establishmentId, "Test Professional", email, PASSWORD)));
    }

    /** A practitioner's login that has not enrolled a second factor yet. */
    public Login practitionerWithoutSecondFactor(UUID practitionerId, UUID establishmentId) {
        String email = "pro-" + UUID.randomUUID() + "@example.test";
        UUID id = transactions.execute(
                status -> logins.create(Role.PRACTITIONER, practitionerId, establishmentId, email, PASSWORD));
        return new Login(id, Role.PRACTITIONER, email, PASSWORD, null);
    }

    private Login enrolled(Role role, String email, UUID userId) {
        String secret = randomSecret();
        transactions.executeWithoutResult(status -> logins.presetSecondFactor(userId, secret));
        return new Login(userId, role, email, PASSWORD, secret);
    }

    private static String randomSecret() {
        byte[] bytes = new byte[20];
        new java.security.SecureRandom().nextBytes(bytes);
        return new org.apache.commons.codec.binary.Base32()
                .encodeToString(bytes)
                .replace("=", "");
    }
}
