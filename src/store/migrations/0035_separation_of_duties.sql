-- 三员分立: giving a user a role becomes its own permission (role:assign), held by the security administrator; the
-- built-in administrators' role keeps every permission. The system and security administrators' roles and the
-- role of new accounts awaiting one are inserted at start-up (bootstrap) like every built-in role.
UPDATE roles SET permissions = permissions || ' role:assign' WHERE builtin = 1 AND key = 'admin';
