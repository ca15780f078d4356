-- teleconsultation: the end-to-end encryption foundations (see docs/e2e.md). The server keeps public keys,
-- wrapped keys and ciphertext only; nothing here opens a questionnaire answer.

-- The key directory: every public key a user or an establishment published, append-only. A subject's
-- entries form a chain (version 1, 2, …; prev_hash is the previous entry's entry_hash, 32 zero bytes for
-- the first), each hashed and signed by Carnet's Ed25519 key; the primary key makes two publications of
-- one version impossible, so a change is always a new entry, never a replacement.
CREATE TABLE key_directory_entries (
    subject_kind     VARCHAR(16)              NOT NULL,
    subject_id       UUID                     NOT NULL,
    version          INTEGER                  NOT NULL,
    encryption_jwk   VARCHAR(2000)            NOT NULL,
    encryption_kid   VARCHAR(64)              NOT NULL,
    signing_jwk      VARCHAR(2000)            NOT NULL,
    signing_kid      VARCHAR(64)              NOT NULL,
    published_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    published_by     UUID                     NOT NULL,
    prev_hash        BYTEA                    NOT NULL,
    entry_hash       BYTEA                    NOT NULL,
    server_key_id    VARCHAR(100)             NOT NULL,
    server_signature BYTEA                    NOT NULL,
    PRIMARY KEY (subject_kind, subject_id, version),
    CHECK (version >= 1),
    CHECK (subject_kind IN ('PATIENT', 'PRACTITIONER', 'ESTABLISHMENT'))
);

-- One row per teleconsultation appointment whose patient set its key up: who its three recipients are.
CREATE TABLE teleconsultations (
    establishment_id   UUID                     NOT NULL,
    appointment_id     UUID                     NOT NULL,
    practitioner_id    UUID                     NOT NULL,
    patient_account_id UUID                     NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (establishment_id, appointment_id)
);
CREATE UNIQUE INDEX teleconsultations_appointment ON teleconsultations (appointment_id);

-- The consultation key wrapped to each recipient (a JWE in flattened JSON serialization), and the
-- directory entry (version) whose encryption key it was wrapped to. Written once.
CREATE TABLE consultation_keys (
    establishment_id UUID          NOT NULL,
    appointment_id   UUID          NOT NULL,
    recipient_kind   VARCHAR(16)   NOT NULL,
    recipient_id     UUID          NOT NULL,
    key_version      INTEGER       NOT NULL,
    envelope         VARCHAR(4000) NOT NULL,
    PRIMARY KEY (establishment_id, appointment_id, recipient_kind),
    FOREIGN KEY (establishment_id, appointment_id) REFERENCES teleconsultations (establishment_id, appointment_id),
    CHECK (recipient_kind IN ('PATIENT', 'PRACTITIONER', 'ESTABLISHMENT'))
);

-- Pre-consultation questionnaires: the form (not medical data: the questions, published to the patients
-- who book the motives it is attached to), defined by a practitioner (practitioner_id) or by the
-- establishment's administrator (practitioner_id NULL). A definition never changes once made.
CREATE TABLE questionnaires (
    establishment_id UUID                     NOT NULL,
    id               UUID                     NOT NULL,
    practitioner_id  UUID,
    title            VARCHAR(200)             NOT NULL,
    questions        VARCHAR(100000)          NOT NULL,
    created_by       UUID                     NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (establishment_id, id)
);
CREATE UNIQUE INDEX questionnaires_id ON questionnaires (id);

CREATE TABLE questionnaire_motives (
    establishment_id UUID NOT NULL,
    visit_motive_id  UUID NOT NULL,
    questionnaire_id UUID NOT NULL,
    PRIMARY KEY (establishment_id, visit_motive_id, questionnaire_id),
    FOREIGN KEY (establishment_id, questionnaire_id) REFERENCES questionnaires (establishment_id, id)
);

-- A patient's filled questionnaires for one teleconsultation: one JWE under the consultation key, written
-- once, under an item id the patient's client chose. Which questionnaires it answers is inside the
-- ciphertext only: a questionnaire is attached to a motive, so naming it here would tell why the patient
-- comes.
CREATE TABLE questionnaire_responses (
    establishment_id UUID                     NOT NULL,
    appointment_id   UUID                     NOT NULL,
    item_id          UUID                     NOT NULL,
    envelope         VARCHAR(200000)          NOT NULL,
    submitted_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (establishment_id, appointment_id),
    FOREIGN KEY (establishment_id, appointment_id) REFERENCES teleconsultations (establishment_id, appointment_id)
);
