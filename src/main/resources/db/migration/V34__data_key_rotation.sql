-- Key rotation (docs/operations.md, "Keys"): every node looks every few seconds for data key versions made
-- in the last minutes by a rotation elsewhere (DataKeys.forgetRotated), which this index keeps cheap.
CREATE INDEX data_keys_created ON data_keys (created_at);
