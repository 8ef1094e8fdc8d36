// Authorization matrix: every demo role user × every route with a permission (from `huoyan routes --json`).
// Allowed iff the user's permissions (GET /api/auth/me) contain the route's permission.
// Denied → 403 FORBIDDEN; allowed → anything but 401/403 (and never 5xx). Requests are harmless:
// ids are 999999999 (→ 404) and bodies are {} (→ 400).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { login, serverRoutes, routePermission, fillPath, MISSING_ID } from './lib.mjs';

const USERS = ['admin', 'sw_officer', 'grid_longfeng', 'venue_mgr', 'contractor', 'welder', 'firewatch', 'inspector', 'auditor'];
const routes = serverRoutes().filter((r) => routePermission(r));
const clients = new Map();

before(async () => {
  for (const u of USERS) clients.set(u, await login(u));
});

test('every demo user logs in and reports its permissions', async () => {
  for (const u of USERS) {
    const me = await clients.get(u).getOk('/api/auth/me');
    assert.equal(me.user.username, u);
    assert.ok(Array.isArray(me.user.permissions), `${u}: permissions not an array`);
    assert.equal(me.user.mustChangePassword, false, `${u} must change password`);
  }
});

test('role permissions from the contract', async () => {
  const perms = async (u) => [...(await clients.get(u).getOk('/api/auth/me')).user.permissions].sort();
  const all = [...new Set(routes.map(routePermission))].sort();
  const admin = await perms('admin');
  assert.deepEqual(all.filter((p) => !admin.includes(p)), [], 'admin lacks route permissions');
  assert.deepEqual(await perms('auditor'), ['audit:read', 'loginlog:read']);
  for (const u of ['venue_mgr', 'contractor', 'welder', 'firewatch']) {
    const p = await perms(u);
    for (const k of ['user:write', 'role:write', 'org:write', 'token:write', 'audit:read']) {
      assert.ok(!p.includes(k), `${u} (field role) has ${k}`);
    }
  }
});

test('authorization matrix', async (t) => {
  assert.ok(routes.length >= 20, `only ${routes.length} routes with a permission`);
  const mismatches = [];
  let checked = 0;
  let allowedCount = 0;
  for (const u of USERS) {
    const c = clients.get(u);
    const me = await c.getOk('/api/auth/me');
    const perms = new Set(me.user.permissions);
    for (const r of routes) {
      const method = r.method.toUpperCase();
      const perm = routePermission(r);
      const path = fillPath(r.path, { id: MISSING_ID, code: 'zz_no_such_dict_type' });
      const res = await c.req(method, path, method === 'GET' ? {} : { body: {} });
      const allowed = perms.has(perm);
      checked++;
      if (allowed) allowedCount++;
      const row = `${u.padEnd(13)} ${method.padEnd(6)} ${r.path.padEnd(36)} ${perm.padEnd(14)}`;
      if (res.status >= 500) mismatches.push(`${row} 5xx: ${res.status} ${res.text.slice(0, 120)}`);
      else if (allowed && (res.status === 401 || res.status === 403)) {
        mismatches.push(`${row} expected allowed, got ${res.status} ${res.json?.code ?? ''}`);
      } else if (!allowed && !(res.status === 403 && res.json?.code === 'FORBIDDEN')) {
        mismatches.push(`${row} expected 403 FORBIDDEN, got ${res.status} ${res.json?.code ?? res.text.slice(0, 80)}`);
      }
    }
  }
  assert.ok(checked >= USERS.length * 20);
  t.diagnostic(`${checked} cells: ${allowedCount} allowed, ${checked - allowedCount} denied`);
  assert.ok(allowedCount > 0 && allowedCount < checked, 'matrix is all-allowed or all-denied');
  assert.deepEqual(mismatches, [], `${mismatches.length} of ${checked} cells wrong:\n${mismatches.join('\n')}`);
});
