-- identity: logins (e-mail only as a blind index), password hashes (Argon2id), bearer tokens (hashed).
CREATE TABLE user_accounts (
    id               UUID         PRIMARY KEY,
    email_index      BYTEA        NOT NULL UNIQUE,
    password_hash    VARCHAR(255) NOT NULL,
    role             VARCHAR(32)  NOT NULL,
    subject_id       UUID         NOT NULL,
    establishment_id UUID,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX user_accounts_subject ON user_accounts (subject_id);

CREATE TABLE access_tokens (
    token_hash BYTEA    PRIMARY KEY,
    user_id    UUID     NOT NULL REFERENCES user_accounts (id),
    issued_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked    BOOLEAN  NOT NULL DEFAULT FALSE
);
CREATE INDEX access_tokens_user ON access_tokens (user_id);
