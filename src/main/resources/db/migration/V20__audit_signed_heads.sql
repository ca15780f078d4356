-- audit: chain heads are signed. The sealer signs each head it writes with the checkpoint signing key
-- (a message of its own, so that a head's signature cannot pass for a checkpoint's); the verifier
-- refuses a head whose signature does not verify or that has none.
ALTER TABLE audit_chain_heads ADD COLUMN key_id VARCHAR(64);
ALTER TABLE audit_chain_heads ADD COLUMN signature BYTEA;
