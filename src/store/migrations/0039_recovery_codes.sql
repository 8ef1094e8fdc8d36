-- 等保 身份鉴别: one-time recovery codes (恢复码) for a user who has lost the authenticator app, each good once
-- instead of a code at login. Ten are shown once, when the second factor is bound or the user asks for new ones
-- (which replace the old); only their keyed hashes are kept. Resetting the second factor removes them.
CREATE TABLE recovery_codes (
  user_id BIGINT NOT NULL REFERENCES users(id),
  code_hash TEXT NOT NULL,
  used_at TEXT,
  PRIMARY KEY (user_id, code_hash)
);
