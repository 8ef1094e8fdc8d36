-- 三员分立: lifting an account's login lock is the security administrator's (等保: 安全管理员 unlocks accounts), its
-- own permission user:unlock instead of a part of user:write. Roles that could unlock keep it, but for the system
-- administrator's; on a new database the built-in roles are inserted after the migrations, with it.
UPDATE roles SET permissions = permissions || ' user:unlock'
WHERE key IN ('admin', 'sec_admin') OR (key <> 'sys_admin' AND ' ' || permissions || ' ' LIKE '% user:write %');
