-- Issue 14, item 5 (docs/e2e.md, "Account key, devices and recovery"): a patient's or practitioner's devices,
-- each named by the RFC 7638 thumbprint of its own P-256 key, and their account key (the keys the directory
-- publishes) held only wrapped: to each device's key and to the recovery code. The server never holds an
-- unwrapped account key. Global tables, like key_directory_entries: a person's keys are not an
-- establishment's.

-- A device that asked to hold the account key: pending until a wrap to it is stored (linked_at).
CREATE TABLE account_devices (
    subject_kind  VARCHAR(16)              NOT NULL,
    subject_id    UUID                     NOT NULL,
    device_kid    VARCHAR(64)              NOT NULL,
    device_jwk    VARCHAR(2000)            NOT NULL,
    registered_at TIMESTAMP WITH TIME ZONE NOT NULL,
    linked_at     TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (subject_kind, subject_id, device_kid),
    CHECK (subject_kind IN ('PATIENT', 'PRACTITIONER'))
);

-- The account key (the directory entry whose encryption kid is account_kid) wrapped to one recipient:
-- 'device:<device kid>' (ECDH-ES+A256KW) or 'recovery' (PBES2-HS512+A256KW under the recovery code).
-- A JWE in flattened JSON serialization; written once, never updated.
CREATE TABLE account_key_wraps (
    subject_kind VARCHAR(16)              NOT NULL,
    subject_id   UUID                     NOT NULL,
    account_kid  VARCHAR(64)              NOT NULL,
    recipient    VARCHAR(80)              NOT NULL,
    envelope     VARCHAR(4000)            NOT NULL,
    stored_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (subject_kind, subject_id, account_kid, recipient),
    CHECK (subject_kind IN ('PATIENT', 'PRACTITIONER'))
);
