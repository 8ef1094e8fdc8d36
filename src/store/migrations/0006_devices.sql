-- Welding-machine chips (焊机"加芯赋码"): device credentials, the last known
-- state of each machine, work sessions opened by a welder's scan, and the
-- command outbox (unlock / lock) the gateway delivers and devices acknowledge.

ALTER TABLE machines ADD COLUMN device_secret TEXT;  -- HMAC key of the chip; shown once when issued

CREATE TABLE machine_state (
  machine_id BIGINT PRIMARY KEY REFERENCES machines(id),
  last_seq BIGINT NOT NULL,
  last_at TEXT NOT NULL,
  power_on INTEGER NOT NULL,
  powered_since TEXT,
  lat DOUBLE PRECISION,
  lng DOUBLE PRECISION,
  accuracy DOUBLE PRECISION,
  updated_at TEXT NOT NULL
);

CREATE TABLE machine_sessions (
  id {{ID}},
  machine_id BIGINT NOT NULL REFERENCES machines(id),
  permit_id BIGINT NOT NULL REFERENCES permits(id),
  person_id BIGINT NOT NULL REFERENCES people(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  started_at TEXT NOT NULL,
  until TEXT NOT NULL,
  ended_at TEXT,
  end_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX machine_sessions_open ON machine_sessions(machine_id, ended_at);

CREATE TABLE device_commands (
  id {{ID}},
  machine_id BIGINT NOT NULL REFERENCES machines(id),
  command TEXT NOT NULL,              -- unlock | lock
  payload TEXT NOT NULL,              -- JSON sent to the machine
  state TEXT NOT NULL DEFAULT 'pending', -- pending | sent | acked
  created_at TEXT NOT NULL,
  sent_at TEXT,
  acked_at TEXT
);
CREATE INDEX device_commands_pending ON device_commands(machine_id, state);

INSERT INTO dict_items (type_code, value, label, sort, enabled) VALUES
  ('alert_kind', 'unpermitted_power_on', '未审批动火（焊机无作业证开机）', 100, 1),
  ('alert_kind', 'overtime', '超时动火', 110, 1),
  ('alert_kind', 'out_of_fence', '越界作业', 120, 1),
  ('alert_kind', 'far_scan', '远距离扫码', 130, 1),
  ('alert_kind', 'continuous_power', '焊机连续通电超过 24 小时', 140, 1),
  ('alert_kind', 'suspected_modified', '疑似改装焊机', 150, 1),
  ('alert_kind', 'work_while_open', '人员密集场所营业期间作业', 160, 1),
  ('alert_kind', 'gas_over_limit', '可燃气体或温度超限', 170, 1),
  ('alert_kind', 'cert_expiring', '证书临期', 180, 1),
  ('alert_kind', 'cert_expired', '证书到期', 190, 1);
