-- clients: per-program quotas (issue 13, item 5), counted in the database so that every node shares
-- them. One row per program and calendar minute counts its /fhir requests; one row per program and
-- calendar hour counts the distinct patients it was shown, each of which has its own row for the hour
-- (so that a patient shown again that hour is not counted twice). Nothing here is personal: ids, times
-- and counts. Rows of past windows are pruned.
CREATE TABLE third_party_client_requests (
    establishment_id UUID                     NOT NULL,
    client_id        UUID                     NOT NULL,
    window_start     TIMESTAMP WITH TIME ZONE NOT NULL,
    requests         INTEGER                  NOT NULL,
    PRIMARY KEY (establishment_id, client_id, window_start)
);
CREATE INDEX third_party_client_requests_window ON third_party_client_requests (window_start);

CREATE TABLE third_party_client_patient_counts (
    establishment_id UUID                     NOT NULL,
    client_id        UUID                     NOT NULL,
    window_start     TIMESTAMP WITH TIME ZONE NOT NULL,
    patients         INTEGER                  NOT NULL,
    PRIMARY KEY (establishment_id, client_id, window_start)
);
CREATE INDEX third_party_client_patient_counts_window ON third_party_client_patient_counts (window_start);

CREATE TABLE third_party_client_patients (
    establishment_id UUID                     NOT NULL,
    client_id        UUID                     NOT NULL,
    window_start     TIMESTAMP WITH TIME ZONE NOT NULL,
    patient_id       UUID                     NOT NULL,
    PRIMARY KEY (establishment_id, client_id, window_start, patient_id)
);
CREATE INDEX third_party_client_patients_window ON third_party_client_patients (window_start);
