-- Issue 17 item 3: an establishment put in read-only mode by a security officer during an incident.
-- While its row exists, every change to its patients' data and agenda is refused (access module);
-- reads go on. No personal data: ids and a time.
CREATE TABLE establishment_read_only (
    establishment_id UUID                     PRIMARY KEY,
    since            TIMESTAMP WITH TIME ZONE NOT NULL,
    set_by           UUID                     NOT NULL
);
