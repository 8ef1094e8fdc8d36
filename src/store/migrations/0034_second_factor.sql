-- 等保 身份鉴别 (两种鉴别技术): a role may require a second factor, a time-based one-time password (RFC 6238,
-- HMAC-SHA-256) from an authenticator app, after the password. The built-in administrators' role requires it.
ALTER TABLE roles ADD COLUMN second_factor INTEGER NOT NULL DEFAULT 0;
UPDATE roles SET second_factor = 1 WHERE builtin = 1 AND key = 'admin';

-- The secret in base32 once the user has confirmed it with a code; the one being set up until then; the last step
-- a code was accepted for (a code is good once).
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enrolled_at TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;

-- A password accepted for a user with a second factor: the code must follow within five minutes.
CREATE TABLE login_challenges (
  id TEXT PRIMARY KEY,             -- SHA-256 of the token given to the client
  user_id BIGINT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX login_challenges_user ON login_challenges(user_id);

-- The security administrator's parameters (lock, idle time, password age and history, idle accounts): settings
-- 'security_policy', changed with security:write.
UPDATE roles SET permissions = permissions || ' security:write' WHERE builtin = 1 AND key = 'admin';
