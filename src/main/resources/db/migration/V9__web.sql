-- web: the in-app inbox (notifications), patients' relatives, and whom an appointment is for.

-- A message is sealed whole (kind and parameters) under the recipient's key: the table tells only
-- that someone has a message and when.
CREATE TABLE inbox_messages (
    recipient_type VARCHAR(20) NOT NULL,
    recipient_id   UUID        NOT NULL,
    id             UUID        NOT NULL,
    body           BYTEA       NOT NULL,
    posted_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    read_at        TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (recipient_type, recipient_id, id),
    CHECK (recipient_type IN ('PATIENT', 'PROFESSIONAL'))
);
CREATE INDEX inbox_messages_posted ON inbox_messages (recipient_type, recipient_id, posted_at);
