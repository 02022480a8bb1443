-- 0013: accounts signed in through an OpenID Connect provider (issue 22). An account is linked
-- to the provider's `sub` (never to an e-mail address, which a user may change at the
-- provider), one identity per provider per account; the link goes with the account.
CREATE TABLE user_identities (
    issuer        TEXT NOT NULL,
    subject       TEXT NOT NULL,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    BIGINT NOT NULL,
    last_login_at BIGINT,
    PRIMARY KEY (issuer, subject),
    UNIQUE (user_id, issuer)
) STRICT;
