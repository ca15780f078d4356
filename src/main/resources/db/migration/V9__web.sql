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

-- Relatives a patient books for (a child, a parent), sealed under the account's key like the account.
CREATE TABLE relatives (
    patient_account_id UUID  NOT NULL REFERENCES patient_accounts (id),
    id                 UUID  NOT NULL,
    first_name         BYTEA NOT NULL,
    last_name          BYTEA NOT NULL,
    birth_date         BYTEA NOT NULL,
    relationship       BYTEA NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (patient_account_id, id)
);

-- Whom an appointment is for when not the account holder: the relative's id and identity, sealed
-- under the establishment's key (its copy, like a patient file); NULL for the holder.
ALTER TABLE appointments ADD COLUMN for_relative BYTEA;

-- Staff find a patient's file by last name or birth date through blind indexes (HMAC, keyed, with
-- the establishment in the purpose), never plaintext; a file made over the phone has no account.
ALTER TABLE patient_files ADD COLUMN last_name_index BYTEA;
ALTER TABLE patient_files ADD COLUMN birth_date_index BYTEA;
ALTER TABLE patient_files ALTER COLUMN patient_account_id DROP NOT NULL;
CREATE INDEX patient_files_last_name ON patient_files (establishment_id, last_name_index);
CREATE INDEX patient_files_birth_date ON patient_files (establishment_id, birth_date_index);
ALTER TABLE appointments ALTER COLUMN patient_account_id DROP NOT NULL;
