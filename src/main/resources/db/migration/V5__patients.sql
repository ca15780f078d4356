-- patients: every personal field sealed (AES-256-GCM); look-ups through blind indexes only.
CREATE TABLE patient_accounts (
    id          UUID  PRIMARY KEY,
    email_index BYTEA NOT NULL UNIQUE,
    email       BYTEA NOT NULL,
    first_name  BYTEA NOT NULL,
    last_name   BYTEA NOT NULL,
    birth_date  BYTEA NOT NULL,
    sex         BYTEA NOT NULL,
    phone       BYTEA NOT NULL,
    nir         BYTEA,
    nir_index   BYTEA UNIQUE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- An establishment's own file for a patient, sealed under the establishment's data key.
CREATE TABLE patient_files (
    establishment_id   UUID  NOT NULL,
    id                 UUID  NOT NULL,
    patient_account_id UUID  NOT NULL REFERENCES patient_accounts (id),
    first_name         BYTEA NOT NULL,
    last_name          BYTEA NOT NULL,
    birth_date         BYTEA NOT NULL,
    sex                BYTEA NOT NULL,
    phone              BYTEA NOT NULL,
    email              BYTEA NOT NULL,
    nir                BYTEA,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (establishment_id, id),
    UNIQUE (establishment_id, patient_account_id)
);
CREATE UNIQUE INDEX patient_files_id ON patient_files (id);
