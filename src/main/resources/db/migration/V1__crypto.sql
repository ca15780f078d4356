-- crypto: per-owner data keys, each wrapped (AES-256-GCM) by the master key of the KeyProvider.
CREATE TABLE data_keys (
    owner_type  VARCHAR(20)              NOT NULL,
    owner_id    UUID                     NOT NULL,
    version     INTEGER                  NOT NULL,
    master_key  VARCHAR(64)              NOT NULL,
    wrapped_key BYTEA                    NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (owner_type, owner_id, version)
);
