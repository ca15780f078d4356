-- events: Spring Modulith's event publication registry. An event that an @ApplicationModuleListener
-- must handle is stored here, in the publishing transaction, and deleted once its listener has
-- completed (spring.modulith.events.completion-mode=delete); what stays is what is still to deliver.
-- serialized_event is the event as plaintext JSON: events carry ids, times, states and public
-- directory data only, never a patient's identity, contact, motive or comment.
-- The columns are those of the library's own schema (spring-modulith-events-jdbc 2.1,
-- schemas/v2/schema-postgresql.sql), whose initialisation is turned off: Flyway owns the schema.
-- VARCHAR without a length is unbounded on both PostgreSQL and H2 (the library's H2 schema caps the
-- event at 4000 characters).
CREATE TABLE event_publication (
    id                     UUID    NOT NULL,
    listener_id            VARCHAR NOT NULL,
    event_type             VARCHAR NOT NULL,
    serialized_event       VARCHAR NOT NULL,
    publication_date       TIMESTAMP WITH TIME ZONE NOT NULL,
    completion_date        TIMESTAMP WITH TIME ZONE,
    status                 VARCHAR(20),
    completion_attempts    INT,
    last_resubmission_date TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (id)
);
-- Completion looks a publication up by listener and event when it is not tracked in memory.
CREATE INDEX event_publication_serialized_event_hash_idx ON event_publication USING hash (serialized_event);
CREATE INDEX event_publication_by_completion_date_idx ON event_publication (completion_date);
