-- Issue 12, item 2: a practitioner's login bound to their RPPS number. Once bound, only an OpenID
-- Connect sign-in (Pro Santé Connect) presenting that RPPS opens the login; password, passkey and API
-- token sign-in are refused. Kept as a blind index (like e-mail addresses): no readable RPPS at rest here,
-- and at most one login per RPPS.
ALTER TABLE user_accounts ADD COLUMN rpps_index BYTEA;
ALTER TABLE user_accounts ADD COLUMN rpps_bound_at TIMESTAMP WITH TIME ZONE;
CREATE UNIQUE INDEX user_accounts_rpps_index ON user_accounts (rpps_index);
