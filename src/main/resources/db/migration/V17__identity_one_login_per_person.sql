-- identity: one login per person. A login's subject is the patient account, the practitioner (their
-- directory entry) or, for staff, administrators and security officers, the login itself; a second
-- login for the same subject would let whoever holds it act as that person (an administrator giving
-- themselves a login to a doctor's name, issue 12). The unique constraint replaces the plain index.
DROP INDEX user_accounts_subject;
ALTER TABLE user_accounts ADD CONSTRAINT user_accounts_one_per_subject UNIQUE (subject_id);
