-- scheduling: opening hours, absences, slots and appointments. Establishment-owned tables carry
-- establishment_id in their key so that they can be distributed by establishment.
CREATE TABLE agendas (
    establishment_id UUID    NOT NULL,
    practitioner_id  UUID    NOT NULL,
    slot_minutes     INTEGER NOT NULL,
    generated_until  DATE,
    PRIMARY KEY (establishment_id, practitioner_id),
    CHECK (slot_minutes BETWEEN 5 AND 240)
);
CREATE UNIQUE INDEX agendas_practitioner ON agendas (practitioner_id);

CREATE TABLE opening_hours (
    establishment_id UUID     NOT NULL,
    practitioner_id  UUID     NOT NULL,
    day_of_week      SMALLINT NOT NULL,
    opens_at         TIME     NOT NULL,
    closes_at        TIME     NOT NULL,
    PRIMARY KEY (establishment_id, practitioner_id, day_of_week, opens_at),
    CHECK (day_of_week BETWEEN 1 AND 7),
    CHECK (opens_at < closes_at)
);

CREATE TABLE absences (
    establishment_id UUID NOT NULL,
    id               UUID NOT NULL,
    practitioner_id  UUID NOT NULL,
    starts_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    ends_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (establishment_id, id),
    CHECK (starts_at < ends_at)
);
CREATE INDEX absences_practitioner ON absences (practitioner_id, starts_at);

CREATE TABLE slots (
    establishment_id UUID        NOT NULL,
    id               UUID        NOT NULL,
    practitioner_id  UUID        NOT NULL,
    start_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    end_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    status           VARCHAR(10) NOT NULL,
    appointment_id   UUID,
    PRIMARY KEY (establishment_id, id),
    UNIQUE (establishment_id, practitioner_id, start_at),
    CHECK (status IN ('FREE', 'BOOKED', 'BLOCKED')),
    CHECK ((status = 'BOOKED') = (appointment_id IS NOT NULL))
);
CREATE UNIQUE INDEX slots_id ON slots (id);
CREATE INDEX slots_free ON slots (practitioner_id, status, start_at);

CREATE TABLE appointments (
    establishment_id   UUID        NOT NULL,
    id                 UUID        NOT NULL,
    slot_id            UUID        NOT NULL,
    practitioner_id    UUID        NOT NULL,
    patient_account_id UUID        NOT NULL,
    patient_file_id    UUID        NOT NULL,
    motive             BYTEA       NOT NULL,
    comment            BYTEA,
    status             VARCHAR(10) NOT NULL,
    booked_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    cancelled_at       TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (establishment_id, id),
    CHECK (status IN ('BOOKED', 'CANCELLED'))
);
CREATE UNIQUE INDEX appointments_id ON appointments (id);
CREATE INDEX appointments_patient ON appointments (patient_account_id);
CREATE INDEX appointments_practitioner ON appointments (practitioner_id, status);

-- A retried booking with the same Idempotency-Key returns the appointment of the first request.
CREATE TABLE booking_requests (
    patient_account_id UUID        NOT NULL,
    idempotency_key    VARCHAR(64) NOT NULL,
    request_hash       BYTEA       NOT NULL,
    appointment_id     UUID        NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (patient_account_id, idempotency_key)
);
