-- clients: third-party programs registered by an establishment's administrator and decided on by a
-- security officer (never the requester: the CHECK below), and Carnet's OAuth2 authorization server's
-- state, in the database so that every node shares it. Nothing here is personal: a program's name,
-- purpose, SMART scopes and public keys (JWK Set), ids and times.
CREATE TABLE third_party_clients (
    establishment_id     UUID                     NOT NULL,
    id                   UUID                     NOT NULL,
    program              VARCHAR(100)             NOT NULL,
    purpose              VARCHAR(1000)            NOT NULL,
    scopes               VARCHAR(1400)            NOT NULL,
    jwks                 VARCHAR(20000)           NOT NULL,
    status               VARCHAR(10)              NOT NULL,
    requested_by         UUID                     NOT NULL,
    requested_by_subject UUID                     NOT NULL,
    requested_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    decided_by           UUID,
    decided_at           TIMESTAMP WITH TIME ZONE,
    tokens_issued        BIGINT                   NOT NULL,
    last_token_at        TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (establishment_id, id),
    CHECK (status IN ('PENDING', 'ACTIVE', 'SUSPENDED', 'REFUSED', 'REVOKED')),
    CHECK (decided_by IS NULL OR decided_by <> requested_by),
    CHECK ((decided_by IS NULL) = (decided_at IS NULL))
);
CREATE UNIQUE INDEX third_party_clients_id ON third_party_clients (id);

-- Every state a registration went through: who and when.
CREATE TABLE third_party_client_changes (
    establishment_id UUID                     NOT NULL,
    id               UUID                     NOT NULL,
    client_id        UUID                     NOT NULL,
    from_status      VARCHAR(10),
    to_status        VARCHAR(10)              NOT NULL,
    changed_by       UUID                     NOT NULL,
    changed_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (establishment_id, id)
);
CREATE INDEX third_party_client_changes_client ON third_party_client_changes (client_id, changed_at);

-- The access tokens issued, kept only as SHA-256 hashes, with their claims (ids, scopes, times):
-- revocation and a client's suspension take effect on the next request on every node.
CREATE TABLE third_party_client_tokens (
    establishment_id UUID                     NOT NULL,
    id               VARCHAR(100)             NOT NULL,
    client_id        UUID                     NOT NULL,
    token_hash       BYTEA                    NOT NULL,
    scopes           VARCHAR(1400)            NOT NULL,
    claims           VARCHAR(4000)            NOT NULL,
    issued_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at       TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (establishment_id, id)
);
CREATE UNIQUE INDEX third_party_client_tokens_hash ON third_party_client_tokens (token_hash);
CREATE INDEX third_party_client_tokens_client ON third_party_client_tokens (client_id, expires_at);

-- The jti of every client assertion seen, until it expires: an assertion is used once.
CREATE TABLE client_assertion_jtis (
    client_id  UUID                     NOT NULL,
    jti        VARCHAR(200)             NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX client_assertion_jtis_expiry ON client_assertion_jtis (expires_at);

-- The key pair that signs access tokens, made on first start; its private half sealed by FieldSealer
-- under its own data key (owner PLATFORM, the key's id).
CREATE TABLE authorization_server_keys (
    id          UUID                     NOT NULL PRIMARY KEY,
    algorithm   VARCHAR(10)              NOT NULL,
    public_jwk  VARCHAR(4000)            NOT NULL,
    private_key BYTEA                    NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
