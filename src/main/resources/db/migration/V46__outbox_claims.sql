-- A worker claims a batch of due messages with one UPDATE and reads back the rows that carry its own
-- claim id (issue 18): one statement for the batch instead of an UPDATE and a SELECT per message.
ALTER TABLE outbox_messages ADD COLUMN claim_id UUID;
