-- Issue 17 item 3: a security officer requires an account to renew its password and second factor.
-- PASSWORD: its next sign-in (with every factor it has) may only choose a new password;
-- SECOND_FACTOR: the new password is set, a new authenticator is still to be enrolled.
-- NULL: nothing to renew. No personal data.
ALTER TABLE user_accounts ADD COLUMN renewal VARCHAR(20);
ALTER TABLE user_accounts ADD CONSTRAINT user_accounts_renewal
    CHECK (renewal IS NULL OR renewal IN ('PASSWORD', 'SECOND_FACTOR'));
