-- crypto: owners whose data keys were destroyed (crypto-shredding). Their sealed values stay where they
-- are and can no longer be opened by anyone, Carnet included; the tombstone keeps a new key from being
-- made for them (nothing new is sealed for a shredded owner) and tells every node to drop the keys it
-- holds in memory. Ids and times only.
CREATE TABLE shredded_key_owners (
    owner_type  VARCHAR(32)              NOT NULL,
    owner_id    UUID                     NOT NULL,
    shredded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (owner_type, owner_id)
);
CREATE INDEX shredded_key_owners_at ON shredded_key_owners (shredded_at);

-- directory: an establishment that has left Carnet (its data exported and its keys destroyed) is no
-- longer found by the search.
ALTER TABLE establishments ADD COLUMN closed_at TIMESTAMP WITH TIME ZONE;
