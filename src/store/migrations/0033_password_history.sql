-- 等保 身份鉴别: a new password may not be one of the last five (the current one and the four before it). A change
-- or an administrator's reset keeps the hash it replaces here; only each user's latest four are kept.
CREATE TABLE password_history (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  password_hash TEXT NOT NULL,
  replaced_at TEXT NOT NULL
);
CREATE INDEX password_history_user ON password_history(user_id, id);
