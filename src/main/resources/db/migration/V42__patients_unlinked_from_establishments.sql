-- A dump without the keys must not tell which patient account has files, appointments or booking requests in
-- which establishment (issue 16, item 7). Expand step: the new columns and tables; the account ids still in
-- the old columns are moved by AccountUnlinking (it needs the keys) at start, then every hour, and the old
-- columns are left NULL, to be dropped by a later migration.

-- The establishment's file finds its patient's account through a keyed hash under the establishment's own
-- blind-index key (two establishments' values for one account are unrelated), and keeps the account id
-- sealed under the establishment's data key (to notify the patient, to answer a program).
ALTER TABLE patient_files ADD COLUMN account_index BYTEA;
ALTER TABLE patient_files ADD COLUMN patient_account BYTEA;
CREATE UNIQUE INDEX patient_files_account ON patient_files (establishment_id, account_index);

-- The way back, from an account to its files: one row per file, the establishment and the file sealed under
-- the account's own key. Without the key it says only how many establishments know the patient.
CREATE TABLE patient_file_links (
    patient_account_id UUID  NOT NULL,
    id                 UUID  NOT NULL,
    file               BYTEA NOT NULL,
    PRIMARY KEY (patient_account_id, id)
);

-- An appointment names its patient through its file (same establishment), and keeps the account id sealed
-- under the establishment's key, to tell the patient about it.
ALTER TABLE appointments ADD COLUMN patient_account BYTEA;
DROP INDEX appointments_patient;
CREATE INDEX appointments_patient_file ON appointments (establishment_id, patient_file_id);

-- Idempotency keys of booking requests, found by a keyed hash of who asked (a patient account or a program)
-- and the key they sent: the row names no account.
CREATE TABLE booking_request_keys (
    request_key    BYTEA       NOT NULL PRIMARY KEY,
    request_hash   BYTEA       NOT NULL,
    appointment_id UUID        NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
