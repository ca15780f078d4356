-- clients: a program's public keys as a JWKS URL instead of an inline JWK Set (issue 13, item 1).
-- Exactly one of the two is kept; Carnet fetches the set at the URL when it checks a client assertion.
-- Nothing here is personal: a program's key server address.
ALTER TABLE third_party_clients ADD COLUMN jwks_uri VARCHAR(500);
ALTER TABLE third_party_clients ALTER COLUMN jwks DROP NOT NULL;
ALTER TABLE third_party_clients ADD CONSTRAINT third_party_clients_one_key_source
    CHECK ((jwks IS NULL AND jwks_uri IS NOT NULL) OR (jwks IS NOT NULL AND jwks_uri IS NULL));
