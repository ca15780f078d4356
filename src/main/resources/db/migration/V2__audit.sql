-- audit: append-only access log. Hash chaining comes later; the call sites write here now.
CREATE TABLE audit_log (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    establishment_id UUID,
    actor_type       VARCHAR(16)  NOT NULL,
    actor_id         UUID,
    actor_role       VARCHAR(32)  NOT NULL,
    on_behalf_of     UUID,
    patient_id       UUID,
    action           VARCHAR(16)  NOT NULL,
    resource         VARCHAR(64)  NOT NULL,
    fields           VARCHAR(512) NOT NULL,
    purpose          VARCHAR(64)  NOT NULL,
    outcome          VARCHAR(16)  NOT NULL,
    source_address   VARCHAR(64)
);
CREATE INDEX audit_log_patient ON audit_log (patient_id, occurred_at);
CREATE INDEX audit_log_establishment ON audit_log (establishment_id, id);
