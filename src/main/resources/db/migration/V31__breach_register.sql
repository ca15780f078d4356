-- breach: the register GDPR Article 33(5) requires. An incident is closed by the security officer (its
-- notification drafts then become "complémentaire"); for each establishment concerned, the decision taken
-- about notifying the CNIL: notified (with the authority's reference) or not required (the breach is
-- unlikely to result in a risk, Article 33(1)). Codes and references only, no free text.
ALTER TABLE breach_incidents ADD COLUMN closed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE breach_incidents ADD COLUMN closed_by UUID;

CREATE TABLE breach_notifications (
    incident_id      UUID        NOT NULL REFERENCES breach_incidents (id),
    establishment_id UUID        NOT NULL,
    decision         VARCHAR(16) NOT NULL,
    decided_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    decided_by       UUID        NOT NULL,
    reference        VARCHAR(64),
    PRIMARY KEY (incident_id, establishment_id),
    CHECK (decision IN ('NOTIFIED', 'NOT_REQUIRED'))
);
