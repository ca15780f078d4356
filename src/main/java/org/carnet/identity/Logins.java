package org.carnet.identity;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.carnet.crypto.BlindIndex;
import org.carnet.shared.ConflictException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Creates logins and checks credentials. */
@Service
public class Logins {

    record StoredLogin(UUID id, String passwordHash, CarnetPrincipal principal) {}

    private final JdbcClient jdbc;
    private final BlindIndex blindIndex;
    private final PasswordEncoder passwordEncoder;
    private final PasswordPolicy passwordPolicy;
    private final Clock clock;
    // Hashed once so that an unknown e-mail costs as much as a wrong password.
    private final String decoyHash;

    Logins(
            JdbcClient jdbc,
            BlindIndex blindIndex,
            PasswordEncoder passwordEncoder,
            PasswordPolicy passwordPolicy,
            Clock clock) {
        this.jdbc = jdbc;
        this.blindIndex = blindIndex;
        this.passwordEncoder = passwordEncoder;
        this.passwordPolicy = passwordPolicy;
        this.clock = clock;
        this.decoyHash = passwordEncoder.encode("decoy password for timing equalisation");
    }

    /**
     * Creates the login of a patient account or a practitioner, in the caller's transaction.
     *
     * @throws ConflictException when the e-mail already has a login
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID create(Role role, UUID subjectId, UUID establishmentId, String email, String password) {
        passwordPolicy.check(password);
        UUID id = UUID.randomUUID();
        try {
            jdbc.sql("INSERT INTO user_accounts (id, email_index, password_hash, role, subject_id,"
                            + " establishment_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .params(
                            id,
                            blindIndex.ofEmail(email),
                            passwordEncoder.encode(password),
                            role.name(),
                            subjectId,
                            establishmentId,
                            OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                    .update();
        } catch (DuplicateKeyException e) {
            throw new ConflictException("An account already exists for this e-mail address");
        }
        return id;
    }

    /** The principal for these credentials, or empty; the same work is done whether the e-mail exists or not. */
    Optional<CarnetPrincipal> authenticate(String email, String password) {
        Optional<StoredLogin> login = find(email);
        String hash = login.map(StoredLogin::passwordHash).orElse(decoyHash);
        boolean matches = passwordEncoder.matches(password, hash);
        return matches ? login.map(StoredLogin::principal) : Optional.empty();
    }

    Optional<StoredLogin> find(String email) {
        return jdbc.sql("SELECT id, password_hash, role, subject_id, establishment_id FROM user_accounts"
                        + " WHERE email_index = ?")
                .param(blindIndex.ofEmail(email))
                .query((rs, n) -> {
                    UUID id = rs.getObject(1, UUID.class);
                    return new StoredLogin(
                            id,
                            rs.getString(2),
                            new CarnetPrincipal(
                                    id,
                                    Role.valueOf(rs.getString(3)),
                                    rs.getObject(4, UUID.class),
                                    rs.getObject(5, UUID.class)));
                })
                .optional();
    }

    /** The principal of a login, for showing who acted in a log entry or resolving a token. */
    public Optional<CarnetPrincipal> byId(UUID userId) {
        return jdbc.sql("SELECT id, role, subject_id, establishment_id FROM user_accounts WHERE id = ?")
                .param(userId)
                .query((rs, n) -> new CarnetPrincipal(
                        rs.getObject(1, UUID.class),
                        Role.valueOf(rs.getString(2)),
                        rs.getObject(3, UUID.class),
                        rs.getObject(4, UUID.class)))
                .optional();
    }
}
