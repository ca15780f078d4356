-- identity: second factors, lockout, sessions (Spring Session JDBC); access: break-the-glass openings.
ALTER TABLE user_accounts ADD COLUMN totp_secret BYTEA;
ALTER TABLE user_accounts ADD COLUMN totp_pending BYTEA;
ALTER TABLE user_accounts ADD COLUMN totp_last_step BIGINT;
ALTER TABLE user_accounts ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE user_accounts ADD COLUMN blocked_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE user_accounts ADD COLUMN display_name BYTEA;

-- One-time recovery codes: only a SHA-256 of each (they carry 50 random bits), marked when used.
CREATE TABLE recovery_codes (
    user_id   UUID         NOT NULL REFERENCES user_accounts (id),
    code_hash BYTEA        NOT NULL,
    used_at   TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (user_id, code_hash)
);

-- Spring Session JDBC: page sessions live in the database so that app nodes stay stateless and a
-- user can list and end their sessions. Attributes hold ids and CSRF tokens, never personal data.
CREATE TABLE spring_session (
    primary_id            CHAR(36)     NOT NULL,
    session_id            CHAR(36)     NOT NULL,
    creation_time         BIGINT       NOT NULL,
    last_access_time      BIGINT       NOT NULL,
    max_inactive_interval INT          NOT NULL,
    expiry_time           BIGINT       NOT NULL,
    principal_name        VARCHAR(100),
    CONSTRAINT spring_session_pk PRIMARY KEY (primary_id)
);
CREATE UNIQUE INDEX spring_session_ix1 ON spring_session (session_id);
CREATE INDEX spring_session_ix2 ON spring_session (expiry_time);
CREATE INDEX spring_session_ix3 ON spring_session (principal_name);

CREATE TABLE spring_session_attributes (
    session_primary_id CHAR(36)     NOT NULL,
    attribute_name     VARCHAR(200) NOT NULL,
    attribute_bytes    BYTEA        NOT NULL,
    CONSTRAINT spring_session_attributes_pk PRIMARY KEY (session_primary_id, attribute_name),
    CONSTRAINT spring_session_attributes_fk FOREIGN KEY (session_primary_id)
        REFERENCES spring_session (primary_id) ON DELETE CASCADE
);

-- access: break-the-glass openings of a patient file outside the care rule, to be reviewed by the
-- establishment's administrator. The reason is sealed under the establishment's key.
CREATE TABLE break_glass_openings (
    id               UUID  PRIMARY KEY,
    establishment_id UUID  NOT NULL,
    actor_user_id    UUID  NOT NULL,
    patient_id       UUID  NOT NULL,
    reason           BYTEA NOT NULL,
    opened_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    reviewed_at      TIMESTAMP WITH TIME ZONE,
    reviewed_by      UUID
);
CREATE INDEX break_glass_openings_review ON break_glass_openings (establishment_id, reviewed_at, opened_at);

-- identity: passkeys (WebAuthn), in the tables Spring Security's JDBC repositories use. A user entity's
-- name is the login id, never an e-mail; the label is what the user called the device.
CREATE TABLE user_entities (
    id           VARCHAR(1000) NOT NULL,
    name         VARCHAR(100)  NOT NULL,
    display_name VARCHAR(200),
    PRIMARY KEY (id)
);
CREATE UNIQUE INDEX user_entities_name ON user_entities (name);

CREATE TABLE user_credentials (
    credential_id                VARCHAR(1000) NOT NULL,
    user_entity_user_id          VARCHAR(1000) NOT NULL,
    public_key                   BYTEA         NOT NULL,
    signature_count              BIGINT,
    uv_initialized               BOOLEAN,
    backup_eligible              BOOLEAN       NOT NULL,
    authenticator_transports     VARCHAR(1000),
    public_key_credential_type   VARCHAR(100),
    backup_state                 BOOLEAN       NOT NULL,
    attestation_object           BYTEA,
    attestation_client_data_json BYTEA,
    created                      TIMESTAMP,
    last_used                    TIMESTAMP,
    label                        VARCHAR(1000) NOT NULL,
    PRIMARY KEY (credential_id)
);
CREATE INDEX user_credentials_user ON user_credentials (user_entity_user_id);
