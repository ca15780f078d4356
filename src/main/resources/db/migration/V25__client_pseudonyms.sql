-- clients: the pseudonymous patient ids a program has been shown (issue 13). A program never sees a
-- patient file's id: it sees HMAC-SHA-256(blind-index key, "fhir-patient" || client id || file id),
-- different for every program. This table lets Carnet find the file again when the program names the
-- pseudonym back (Patient read, booking); rows exist only for pseudonyms the program was served.
-- Nothing here is personal: ids and keyed hashes.
CREATE TABLE third_party_client_pseudonyms (
    establishment_id UUID        NOT NULL,
    client_id        UUID        NOT NULL,
    pseudonym        VARCHAR(40) NOT NULL,
    patient_file_id  UUID        NOT NULL,
    PRIMARY KEY (establishment_id, client_id, pseudonym)
);
