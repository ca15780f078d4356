-- audit: hash chains per establishment (one more for platform-level accounts), sealed after commit.
-- An entry is inserted unsealed (seq NULL) in the caller's transaction; the chain sealer then gives
-- it its position in its chain and its hashes, one chain at a time, holding that chain's head row.
ALTER TABLE audit_log ADD COLUMN chain_key UUID;
UPDATE audit_log SET chain_key = COALESCE(establishment_id, CAST('00000000-0000-0000-0000-000000000000' AS UUID));
ALTER TABLE audit_log ALTER COLUMN chain_key SET NOT NULL;
ALTER TABLE audit_log ADD COLUMN seq BIGINT;
ALTER TABLE audit_log ADD COLUMN prev_hash BYTEA;
ALTER TABLE audit_log ADD COLUMN entry_hash BYTEA;
-- One position per entry in its chain; verification walks this index, unsealed entries (NULL) last.
ALTER TABLE audit_log ADD CONSTRAINT audit_log_chain_position UNIQUE (chain_key, seq);
DROP INDEX audit_log_establishment;
CREATE INDEX audit_log_establishment ON audit_log (establishment_id, occurred_at);

-- The sealer's state: the last sealed position and hash of each chain. Its row is the chain's lock.
CREATE TABLE audit_chain_heads (
    chain_key  UUID PRIMARY KEY,
    seq        BIGINT NOT NULL,
    head_hash  BYTEA  NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Signed checkpoints: HEAD marks a chain's head at a moment; START marks where a pruned chain now begins.
CREATE TABLE audit_checkpoints (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    chain_key  UUID         NOT NULL,
    seq        BIGINT       NOT NULL,
    head_hash  BYTEA        NOT NULL,
    kind       VARCHAR(8)   NOT NULL,
    signed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    key_id     VARCHAR(64)  NOT NULL,
    signature  BYTEA        NOT NULL
);
CREATE INDEX audit_checkpoints_chain ON audit_checkpoints (chain_key, seq);
