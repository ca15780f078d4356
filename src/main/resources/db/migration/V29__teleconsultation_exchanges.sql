-- teleconsultation: written exchanges and documents between a teleconsultation's patient and practitioner
-- (see docs/e2e.md, "Exchanges"). As for questionnaire answers, the server keeps JWE ciphertext only,
-- each envelope bound by its protected header (the associated data) to its consultation, kind and item.

-- A message: one JWE (dir, A256GCM under the consultation key) under the id the sender's client chose.
-- Who sent it (the patient, or a practitioner of the establishment) is in clear: the recipient's client
-- and the notification need it; what it says is inside the ciphertext only. Written once.
CREATE TABLE consultation_messages (
    establishment_id UUID                     NOT NULL,
    appointment_id   UUID                     NOT NULL,
    id               UUID                     NOT NULL,
    sender_kind      VARCHAR(16)              NOT NULL,
    sender_id        UUID                     NOT NULL,
    envelope         VARCHAR(100000)          NOT NULL,
    posted_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (establishment_id, appointment_id, id),
    FOREIGN KEY (establishment_id, appointment_id) REFERENCES teleconsultations (establishment_id, appointment_id),
    CHECK (sender_kind IN ('PATIENT', 'PRACTITIONER'))
);
CREATE INDEX consultation_messages_posted ON consultation_messages (establishment_id, appointment_id, posted_at);

-- A document (a PDF or an image, at most 20 MB): its descriptor, a JWE under the consultation key holding
-- its name, media type, digest and, for a prescription or a report, the practitioner's JWS over it; and
-- its size, which fixes how many 1 MiB chunks it has (the ciphertext's length shows it anyway).
CREATE TABLE consultation_documents (
    establishment_id UUID                     NOT NULL,
    appointment_id   UUID                     NOT NULL,
    id               UUID                     NOT NULL,
    uploader_kind    VARCHAR(16)              NOT NULL,
    uploader_id      UUID                     NOT NULL,
    size_bytes       INTEGER                  NOT NULL,
    chunk_count      INTEGER                  NOT NULL,
    descriptor       VARCHAR(100000)          NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (establishment_id, appointment_id, id),
    FOREIGN KEY (establishment_id, appointment_id) REFERENCES teleconsultations (establishment_id, appointment_id),
    CHECK (uploader_kind IN ('PATIENT', 'PRACTITIONER')),
    CHECK (size_bytes BETWEEN 1 AND 20000000),
    CHECK (chunk_count BETWEEN 1 AND 20)
);

-- A document's chunks: each a JWE (dir, A256GCM) of at most 1 MiB of the document, bound to the document
-- and the chunk's index; the ciphertext kept as bytes, the rest of the envelope as its base64url members.
-- Written once each.
CREATE TABLE consultation_document_chunks (
    establishment_id UUID          NOT NULL,
    appointment_id   UUID          NOT NULL,
    document_id      UUID          NOT NULL,
    chunk_index      INTEGER       NOT NULL,
    protected_header VARCHAR(2800) NOT NULL,
    iv               VARCHAR(32)   NOT NULL,
    tag              VARCHAR(32)   NOT NULL,
    ciphertext       BYTEA         NOT NULL,
    PRIMARY KEY (establishment_id, appointment_id, document_id, chunk_index),
    FOREIGN KEY (establishment_id, appointment_id, document_id)
        REFERENCES consultation_documents (establishment_id, appointment_id, id),
    CHECK (chunk_index BETWEEN 0 AND 19)
);
