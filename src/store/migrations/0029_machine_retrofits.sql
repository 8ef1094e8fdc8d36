-- 存量焊机"加芯赋码"改造 (seed 000 二(十): "采取政府补贴、保险兜底、以旧换新等方式，引导存量焊机进行'加芯赋码'改造"):
-- a unit applies to have a welding machine it owns that carries no chip fitted with one (retrofit) or replaced by a
-- new chipped machine (trade_in, 以旧换新), asking for a subsidy; a department approves it with the subsidy granted,
-- the unit reports the work done (the chip bound to the machine, or the new machine registered and the old one
-- retired) with the machine's insurance policy (保险兜底) when it has one, and the department records the subsidy
-- paid. The town sees how much of the stock is chipped and what the subsidies cost.

CREATE TABLE machine_retrofits (
  id {{ID}},
  number TEXT NOT NULL UNIQUE,            -- GZ-YYYY-NNNN
  machine_id BIGINT NOT NULL REFERENCES machines(id),   -- the stock machine (for a trade-in, the old one)
  unit_id BIGINT NOT NULL REFERENCES units(id),         -- its owner when applying
  way TEXT NOT NULL,                      -- retrofit | trade_in
  reason TEXT NOT NULL DEFAULT '',
  subsidy_requested DOUBLE PRECISION NOT NULL DEFAULT 0,  -- 元
  state TEXT NOT NULL,                    -- applied | approved | rejected | done | cancelled
  review_note TEXT NOT NULL DEFAULT '',
  cancel_reason TEXT NOT NULL DEFAULT '',
  subsidy_granted DOUBLE PRECISION,       -- 元, set on approval
  reviewed_by BIGINT REFERENCES users(id),
  reviewed_at TEXT,
  new_machine_id BIGINT REFERENCES machines(id),        -- trade_in: the chipped machine that replaced it
  chip_id TEXT NOT NULL DEFAULT '',       -- the chip fitted (retrofit) or carried by the new machine
  insurer TEXT NOT NULL DEFAULT '',       -- 保险兜底: the machine's policy, when it has one
  policy_number TEXT NOT NULL DEFAULT '',
  insured_until TEXT,                     -- local date
  done_by BIGINT REFERENCES users(id),
  done_at TEXT,
  subsidy_paid DOUBLE PRECISION,          -- 元, as paid
  paid_on TEXT,                           -- local date
  payment_ref TEXT NOT NULL DEFAULT '',   -- 拨付凭证号
  paid_by BIGINT REFERENCES users(id),
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
-- One application in progress per machine.
CREATE UNIQUE INDEX machine_retrofits_open ON machine_retrofits(machine_id) WHERE state IN ('applied', 'approved');
CREATE INDEX machine_retrofits_state ON machine_retrofits(state, id);
CREATE INDEX machine_retrofits_unit ON machine_retrofits(unit_id, id);

UPDATE roles SET permissions = permissions || ' retrofit:read retrofit:apply retrofit:review' WHERE builtin = 1 AND key = 'admin';
UPDATE roles SET permissions = permissions || ' retrofit:read retrofit:review' WHERE builtin = 1 AND key = 'officer';
UPDATE roles SET permissions = permissions || ' retrofit:read' WHERE builtin = 1 AND key = 'inspector';
UPDATE roles SET permissions = permissions || ' retrofit:read retrofit:apply' WHERE builtin = 1 AND key = 'contractor';
