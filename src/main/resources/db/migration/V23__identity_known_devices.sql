-- identity: the browsers a login has signed in from, so that a sign-in from a new one is told to the
-- account's owner (issue 11: "new device"). A browser is known by a random cookie; only its SHA-256
-- is stored, with no address, user agent or anything else about the person. Rows unseen for longer
-- than the cookie lives are dropped when the login signs in again.
CREATE TABLE known_devices (
    user_id UUID NOT NULL REFERENCES user_accounts (id) ON DELETE CASCADE,
    device_hash BYTEA NOT NULL,
    first_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (user_id, device_hash)
);
