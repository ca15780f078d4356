-- clients: authorization code + PKCE, for a program acting for a signed-in professional (issue 13,
-- item 2). Nothing here is personal: redirect URIs of a program, login ids, hashes, scopes and times.

-- Where a program may receive an authorization code: exact URIs, space-separated (empty: none, the
-- program then only uses client credentials).
ALTER TABLE third_party_clients ADD COLUMN redirect_uris VARCHAR(2600) DEFAULT '' NOT NULL;

-- The login a token acts for (authorization code); NULL for a program acting for itself.
ALTER TABLE third_party_client_tokens ADD COLUMN user_id UUID;

-- An authorization in flight, between /oauth2/authorize and the token request: first its consent
-- state, then its one-use code, each kept only as a SHA-256 hash; the authorization request (redirect
-- URI, scopes, the program's state and PKCE challenge) as JSON. Its id is the id of the token it leads
-- to, so replaying a spent code revokes that token.
CREATE TABLE third_party_client_grants (
    establishment_id UUID                     NOT NULL,
    id               VARCHAR(100)             NOT NULL,
    client_id        UUID                     NOT NULL,
    user_id          UUID                     NOT NULL,
    request          VARCHAR(6000)            NOT NULL,
    scopes           VARCHAR(1400)            NOT NULL,
    state_hash       BYTEA,
    code_hash        BYTEA,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    code_issued_at   TIMESTAMP WITH TIME ZONE,
    code_expires_at  TIMESTAMP WITH TIME ZONE,
    code_used_at     TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (establishment_id, id)
);
CREATE INDEX third_party_client_grants_state ON third_party_client_grants (state_hash);
CREATE INDEX third_party_client_grants_code ON third_party_client_grants (code_hash);
CREATE INDEX third_party_client_grants_created ON third_party_client_grants (created_at);
