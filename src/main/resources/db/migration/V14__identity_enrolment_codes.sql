-- identity: one-time enrolment codes. A new login (the platform's first security officer, an
-- establishment's administrator, later any invited professional) gets a code with which its owner sets
-- a password and enrols a second factor. Only a keyed hash (HMAC blind index) of the code is kept; a
-- code is valid until expires_at and once (used_at). Issuing a new code for a login replaces the old.
CREATE TABLE enrolment_codes (
    code_hash  BYTEA                    PRIMARY KEY,
    user_id    UUID                     NOT NULL REFERENCES user_accounts (id),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX enrolment_codes_user ON enrolment_codes (user_id);
