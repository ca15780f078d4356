-- breach: incidents with their Article 33 clock, their timeline, and the detector's state.
CREATE TABLE breach_incidents (
    id           UUID PRIMARY KEY,
    subject_key  VARCHAR(128) NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    severity     VARCHAR(16)  NOT NULL,
    rules        VARCHAR(512) NOT NULL,
    aware_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    notify_by    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_hit_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    client_id    UUID,
    user_id      UUID,
    patients_read INTEGER,
    CHECK (status IN ('OPEN', 'CLOSED')),
    CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH'))
);
CREATE INDEX breach_incidents_subject ON breach_incidents (subject_key, status);
CREATE INDEX breach_incidents_aware ON breach_incidents (aware_at);

CREATE TABLE breach_incident_establishments (
    incident_id      UUID NOT NULL REFERENCES breach_incidents (id),
    establishment_id UUID NOT NULL,
    PRIMARY KEY (incident_id, establishment_id)
);

-- The timeline, append-only: rule hits, containment, what the subject read. The details name ids
-- (patients among them) and are sealed under the incident's own key.
CREATE TABLE breach_incident_events (
    id          UUID PRIMARY KEY,
    incident_id UUID        NOT NULL REFERENCES breach_incidents (id),
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    kind        VARCHAR(32) NOT NULL,
    code        VARCHAR(64) NOT NULL,
    actor_id    UUID,
    details     BYTEA
);
CREATE INDEX breach_incident_events_incident ON breach_incident_events (incident_id, occurred_at);

-- One row: which node follows the access log (its lease) and how far it has read.
CREATE TABLE breach_detector (
    id          INTEGER PRIMARY KEY,
    holder      VARCHAR(64),
    lease_until TIMESTAMP WITH TIME ZONE,
    log_position BIGINT NOT NULL
);

-- Each actor's (and each establishment's break-the-glass) highest count of a day: its baseline.
CREATE TABLE breach_baselines (
    baseline_key VARCHAR(128) NOT NULL,
    peak_day     DATE         NOT NULL,
    peak         INTEGER      NOT NULL,
    PRIMARY KEY (baseline_key, peak_day)
);

-- Failed sign-ins per counter (platform, account id, keyed hash of the source) and minute, all nodes.
CREATE TABLE breach_sign_in_failures (
    counter_key  VARCHAR(128) NOT NULL,
    minute_start TIMESTAMP WITH TIME ZONE NOT NULL,
    failures     INTEGER      NOT NULL,
    PRIMARY KEY (counter_key, minute_start)
);
