-- Module patients. Identity owns a patient's e-mail address: its blind index on user_accounts is the
-- one that finds a login and keeps addresses unique. The account's copy of that index was written
-- and never read; the sealed address stays as the account's copy to show.
ALTER TABLE patient_accounts DROP COLUMN email_index;
