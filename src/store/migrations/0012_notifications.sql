-- In-app notifications (one row per recipient, written in the transaction of
-- the change they announce) and outgoing webhooks (企业微信/钉钉 robots or
-- plain JSON) with a delivery outbox that a job drains and retries.

CREATE TABLE notifications (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  event TEXT NOT NULL,                  -- notify.cpp's catalogue: hazard.assigned, alert.critical, ...
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  link TEXT NOT NULL DEFAULT '',        -- console path, "/hazards/12"
  created_at TEXT NOT NULL,
  read_at TEXT
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id, read_at);

CREATE TABLE webhooks (
  id {{ID}},
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  format TEXT NOT NULL,                 -- wecom | dingtalk | json
  events TEXT NOT NULL DEFAULT '',      -- space-separated event keys; empty: every event
  secret TEXT NOT NULL DEFAULT '',      -- 钉钉加签 secret, or the HMAC key of the json format
  site_url TEXT NOT NULL DEFAULT '',    -- prefixes links in messages ("https://huoyan.example.gov.cn")
  enabled INTEGER NOT NULL DEFAULT 1,
  created_by BIGINT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE webhook_deliveries (
  id {{ID}},
  webhook_id BIGINT NOT NULL REFERENCES webhooks(id),
  event TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  link TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,                  -- pending | sent | failed (gave up)
  attempts INTEGER NOT NULL DEFAULT 0,
  last_status INTEGER,                  -- HTTP status of the last attempt
  last_error TEXT NOT NULL DEFAULT '',
  next_attempt_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  sent_at TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_attempt_at);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(webhook_id, id);

UPDATE roles SET permissions = permissions || ' webhook:write' WHERE key = 'admin';
