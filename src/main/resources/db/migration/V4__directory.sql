-- directory: the public directory of establishments, practitioners and their visit motives.
CREATE TABLE establishments (
    id        UUID         PRIMARY KEY,
    finess    CHAR(9)      NOT NULL UNIQUE,
    name      VARCHAR(200) NOT NULL,
    address   VARCHAR(200) NOT NULL,
    city      VARCHAR(100) NOT NULL,
    city_key  VARCHAR(100) NOT NULL,
    postcode  CHAR(5)      NOT NULL
);
CREATE INDEX establishments_city ON establishments (city_key);
CREATE INDEX establishments_postcode ON establishments (postcode);

CREATE TABLE practitioners (
    id               UUID         NOT NULL,
    establishment_id UUID         NOT NULL REFERENCES establishments (id),
    rpps             CHAR(11)     NOT NULL UNIQUE,
    first_name       VARCHAR(100) NOT NULL,
    last_name        VARCHAR(100) NOT NULL,
    specialty        VARCHAR(40)  NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX practitioners_establishment ON practitioners (establishment_id, specialty);
CREATE INDEX practitioners_specialty ON practitioners (specialty);

CREATE TABLE visit_motives (
    id               UUID         NOT NULL PRIMARY KEY,
    establishment_id UUID         NOT NULL,
    practitioner_id  UUID         NOT NULL REFERENCES practitioners (id),
    label            VARCHAR(120) NOT NULL,
    duration_minutes INTEGER      NOT NULL,
    teleconsultation BOOLEAN      NOT NULL,
    CHECK (duration_minutes BETWEEN 5 AND 240)
);
CREATE INDEX visit_motives_practitioner ON visit_motives (practitioner_id);
