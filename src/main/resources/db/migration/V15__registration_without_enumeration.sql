-- Registration says nothing about who already has an account (issue 11 item 6, issue 12 item 5).

-- A patient books only once the address they registered with has been confirmed by a code sent to it.
-- Logins made before this change are taken as confirmed.
ALTER TABLE user_accounts ADD COLUMN email_confirmed_at TIMESTAMP WITH TIME ZONE;
UPDATE user_accounts SET email_confirmed_at = created_at;

-- The one code a login may confirm its address with, kept only as a keyed hash: a few guesses per code,
-- a few codes a day.
CREATE TABLE email_confirmations (
    user_id           UUID    PRIMARY KEY REFERENCES user_accounts (id) ON DELETE CASCADE,
    code_index        BYTEA   NOT NULL,
    expires_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    failed_attempts   INT     NOT NULL,
    codes_in_window   INT     NOT NULL,
    window_started_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A NIR is no longer unique among accounts: a second claim is accepted and flagged, never refused
-- (refusing it told anyone whether a NIR had an account, and let a squatter lock its owner out).
-- Dropping the column drops its unique constraint on H2 and PostgreSQL alike, whatever its name.
ALTER TABLE patient_accounts ADD COLUMN nir_lookup BYTEA;
UPDATE patient_accounts SET nir_lookup = nir_index;
ALTER TABLE patient_accounts DROP COLUMN nir_index;
ALTER TABLE patient_accounts RENAME COLUMN nir_lookup TO nir_index;
CREATE INDEX patient_accounts_by_nir ON patient_accounts (nir_index);
ALTER TABLE patient_accounts ADD COLUMN nir_claimed_twice BOOLEAN DEFAULT FALSE NOT NULL;

-- An establishment's file of a patient whose NIR another account also claims: staff check an identity document.
ALTER TABLE patient_files ADD COLUMN nir_to_check BOOLEAN DEFAULT FALSE NOT NULL;
