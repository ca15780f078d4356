-- notifications: outgoing e-mail and SMS through a transactional outbox, message verification codes,
-- and each recipient's choices (language, channel, reminders).

-- One row per event a notice answers ('appointment-cancelled:<id>', ...): the notice's inbox message,
-- outgoing message and verification code are written in the transaction that inserts this row, so a
-- listener delivered twice by the event publication registry writes them once.
CREATE TABLE notices (
    event_key  VARCHAR(200) PRIMARY KEY,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A message waiting for, or done with, delivery. The envelope (address, subject, text and HTML) is
-- sealed under its owner's key: the table tells only that a message goes out and when. Channel: EMAIL
-- or SMS; state: PENDING, SENDING (claimed until lease_until), SENT or FAILED (given up). No CHECK
-- constraints here: H2 2.4 answered "check constraint invalid" to a restarted Carnet updating a row.
CREATE TABLE outbox_messages (
    id              UUID        PRIMARY KEY,
    owner_type      VARCHAR(20) NOT NULL,
    owner_id        UUID        NOT NULL,
    channel         VARCHAR(5)  NOT NULL,
    envelope        BYTEA       NOT NULL,
    state           VARCHAR(10) NOT NULL,
    attempts        INTEGER     NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_until     TIMESTAMP WITH TIME ZONE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at         TIMESTAMP WITH TIME ZONE
);
CREATE INDEX outbox_messages_due ON outbox_messages (state, next_attempt_at);

-- The verification code every message carries, as a keyed hash: /verifier tells whether Carnet sent a
-- message with a code, when and of what kind, and nothing else.
CREATE TABLE message_verifications (
    code_index BYTEA       PRIMARY KEY,
    kind       VARCHAR(40) NOT NULL,
    sent_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The same code beside the message in the in-app inbox, sealed like the message.
ALTER TABLE inbox_messages ADD COLUMN verification_code BYTEA;

-- How a recipient wants to be told: language ('fr', 'en'), channel for reminders and notices
-- ('EMAIL', 'SMS') and whether they want appointment reminders. No row: French, e-mail, reminders.
CREATE TABLE notification_preferences (
    recipient_type VARCHAR(20) NOT NULL,
    recipient_id   UUID        NOT NULL,
    language       VARCHAR(2)  NOT NULL,
    channel        VARCHAR(5)  NOT NULL,
    reminders      BOOLEAN     NOT NULL,
    PRIMARY KEY (recipient_type, recipient_id)
);

-- When an establishment's patients are reminded of their appointments, in minutes before the start:
-- a first and an optional second reminder. No row: 24 hours and 2 hours before.
CREATE TABLE reminder_settings (
    establishment_id      UUID    PRIMARY KEY,
    first_before_minutes  INTEGER NOT NULL,
    second_before_minutes INTEGER
);
