-- keys rotate-data --patient/--login/--professional re-seals one owner's outgoing messages in batches
-- (WHERE owner_type = ? AND owner_id = ? AND id > ? ... ORDER BY id LIMIT ?), and crypto-shredding finds
-- an owner's messages: without this index each batch read the whole outbox.
CREATE INDEX outbox_messages_owner ON outbox_messages (owner_type, owner_id, id);
