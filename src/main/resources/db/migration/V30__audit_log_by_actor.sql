-- The FHIR AuditEvent search (issue 13): what one program or person did, newest first, without a
-- scan of the whole log. Non-unique: the log's own key stays its id.
CREATE INDEX audit_log_actor ON audit_log (actor_id, occurred_at);
