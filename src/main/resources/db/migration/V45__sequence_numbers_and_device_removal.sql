-- Issue 14 (docs/e2e.md, "Sequence numbers"): each sender numbers its own messages of an exchange (1, 2, 3…)
-- inside the envelope's protected header, the JWE's associated data, so that the reading client shows a gap
-- where the server withheld one. The number is copied here, in clear like the sender, so that two devices
-- of the same sender cannot both store the same number (the second gets 409 and takes the next one).
-- Messages posted before numbering (and by clients that do not number) keep NULL, which the unique index
-- does not compare.
ALTER TABLE consultation_messages ADD COLUMN sender_sequence INTEGER;
CREATE UNIQUE INDEX consultation_messages_sender_sequence
    ON consultation_messages (establishment_id, appointment_id, sender_kind, sender_id, sender_sequence);

-- Issue 14 (docs/e2e.md, "Removing a device"): a device its person removed. Its wraps are deleted; its row
-- stays with the time of its removal, so that its key is refused from then on (its wraps not found, not
-- linked or registered again). Removed devices count in no limit and are listed nowhere.
ALTER TABLE account_devices ADD COLUMN removed_at TIMESTAMP WITH TIME ZONE;
