-- The patient and appointment ids (or pseudonyms) that a program asked for and that named nothing
-- (breach detection's unknown-ids-probed rule, docs/breach-response.md): one row per program and distinct
-- id asked, with when it was last asked, shared by every node (platform-wide, like the sign-in counters).
-- The id is kept only as a keyed hash (16 hex digits of the platform's blind-index MAC), never as sent: a
-- prober may send anything as an id.
-- Rows older than the rule's window are deleted.
CREATE TABLE breach_unknown_ids (
    client_id UUID                     NOT NULL,
    probe     VARCHAR(16)              NOT NULL,
    asked_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (client_id, probe)
);
CREATE INDEX breach_unknown_ids_asked ON breach_unknown_ids (client_id, asked_at);
