-- Issue 14, continuity of care (docs/e2e.md, "The establishment key"): the establishment's key (the
-- private keys of its directory entry, made in the administrator's browser) held by Carnet only wrapped:
-- under the establishment's offline recovery code (PBES2-HS512+A256KW), and to each of its practitioners'
-- account encryption keys (ECDH-ES+A256KW). Nothing here opens without the code or a practitioner's
-- account key; the administrator's own login holds neither.

-- One version of the establishment key (its directory entry key_version) wrapped to one recipient:
-- recipient_kind 'RECOVERY' (recipient_id the establishment itself) or 'PRACTITIONER' (to that
-- practitioner's directory entry recipient_key_version). A JWE in flattened JSON serialization; written
-- once, never updated.
CREATE TABLE establishment_key_wraps (
    establishment_id      UUID                     NOT NULL,
    key_version           INTEGER                  NOT NULL,
    recipient_kind        VARCHAR(16)              NOT NULL,
    recipient_id          UUID                     NOT NULL,
    recipient_key_version INTEGER,
    envelope              VARCHAR(4000)            NOT NULL,
    stored_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    stored_by             UUID                     NOT NULL,
    PRIMARY KEY (establishment_id, key_version, recipient_kind, recipient_id),
    CHECK (recipient_kind IN ('RECOVERY', 'PRACTITIONER')),
    CHECK (key_version >= 1)
);
CREATE INDEX establishment_key_wraps_recipient ON establishment_key_wraps (establishment_id, recipient_id);

-- A practitioner who left the establishment, as its administrator recorded it: from then on the access
-- decision grants them none of its patients' data, no consultation key is wrapped to them, and the
-- establishment key is rotated at the administrator's next visit.
CREATE TABLE practitioner_departures (
    establishment_id UUID                     NOT NULL,
    practitioner_id  UUID                     NOT NULL,
    departed_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    recorded_by      UUID                     NOT NULL,
    PRIMARY KEY (establishment_id, practitioner_id)
);
