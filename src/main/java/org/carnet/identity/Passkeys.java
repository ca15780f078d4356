package org.carnet.identity;

import java.util.List;
import java.util.UUID;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.stereotype.Component;

/** A login's passkeys, as the security page lists and removes them. */
@Component
class Passkeys {

    /** One passkey: its credential id (base64url) and the name the user gave it. */
    record Passkey(String id, String label) {}

    private final PublicKeyCredentialUserEntityRepository users;
    private final UserCredentialRepository credentials;

    Passkeys(PublicKeyCredentialUserEntityRepository users, UserCredentialRepository credentials) {
        this.users = users;
        this.credentials = credentials;
    }

    List<Passkey> of(UUID userId) {
        PublicKeyCredentialUserEntity user = users.findByUsername(userId.toString());
        if (user == null) {
            return List.of();
        }
        return credentials.findByUserId(user.getId()).stream()
                .map(record -> new Passkey(record.getCredentialId().toBase64UrlString(), record.getLabel()))
                .toList();
    }

    /** Removes every passkey of the login (after a password change, or signing out everywhere); how many. */
    int removeAll(UUID userId) {
        PublicKeyCredentialUserEntity user = users.findByUsername(userId.toString());
        if (user == null) {
            return 0;
        }
        List<CredentialRecord> all = credentials.findByUserId(user.getId());
        all.forEach(record -> credentials.delete(record.getCredentialId()));
        return all.size();
    }

    /** Removes one of the login's own passkeys; any other id is ignored. */
    void remove(UUID userId, String credentialId) {
        PublicKeyCredentialUserEntity user = users.findByUsername(userId.toString());
        if (user == null || credentialId.length() > 1000) {
            return;
        }
        credentials.findByUserId(user.getId()).stream()
                .map(CredentialRecord::getCredentialId)
                .filter(id -> id.toBase64UrlString().equals(credentialId))
                .findFirst()
                .ifPresent(credentials::delete);
    }
}
