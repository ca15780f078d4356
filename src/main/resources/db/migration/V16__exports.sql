-- exports: an establishment's data handed to a named recipient when it leaves. The establishment
-- administrator requests it, a security officer (never the requester: the CHECK below) approves it, the
-- recipient downloads it once through a link of which only a keyed hash is kept. The recipient, their
-- OpenPGP public key and the export's fingerprinting secret are sealed under the export's own data key
-- (owner EXPORT, the export's id), so that a leaked copy can still be traced after the establishment's
-- own keys are destroyed.
CREATE TABLE exports (
    establishment_id      UUID                     NOT NULL,
    id                    UUID                     NOT NULL,
    scope                 VARCHAR(100)             NOT NULL,
    from_date             DATE                     NOT NULL,
    to_date               DATE                     NOT NULL,
    recipient             BYTEA                    NOT NULL,
    recipient_key         BYTEA                    NOT NULL,
    recipient_fingerprint VARCHAR(64)              NOT NULL,
    secret                BYTEA                    NOT NULL,
    requested_by          UUID                     NOT NULL,
    requested_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    approved_by           UUID,
    approved_at           TIMESTAMP WITH TIME ZONE,
    link_hash             BYTEA,
    link_expires_at       TIMESTAMP WITH TIME ZONE,
    downloaded_at         TIMESTAMP WITH TIME ZONE,
    rows_exported         INTEGER,
    PRIMARY KEY (establishment_id, id),
    CHECK (from_date <= to_date),
    CHECK (approved_by IS NULL OR approved_by <> requested_by),
    CHECK ((approved_by IS NULL) = (approved_at IS NULL)),
    CHECK ((link_hash IS NULL) = (link_expires_at IS NULL))
);
CREATE UNIQUE INDEX exports_id ON exports (id);
CREATE UNIQUE INDEX exports_link ON exports (link_hash);
