-- scheduling: reminders look for the booked slots starting in the next hours, across all agendas.
CREATE INDEX slots_start ON slots (start_at, status);
