// Shared helpers for the black-box API tests (node:test, node 20 built-ins only).
//
// Environment (set by the runner):
//   HUOYAN_URL  base URL of a running server loaded with the demo town
//   HUOYAN_BIN  path to the huoyan binary (for `routes --json`, `audit verify`)
//   HUOYAN_DB   database URL the server uses: sqlite:/path or postgresql://...
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomBytes, randomInt } from 'node:crypto';

export const BASE = (process.env.HUOYAN_URL || 'http://127.0.0.1:18081').replace(/\/+$/, '');
export const BIN = process.env.HUOYAN_BIN || new URL('../../build/huoyan', import.meta.url).pathname;
export const DB = process.env.HUOYAN_DB || '';
export const DEMO_PASSWORD = 'Huoyan@2025';
export const DEMO_USERS = ['admin', 'sw_officer', 'wj_officer', 'grid_longfeng', 'venue_mgr',
  'contractor', 'welder', 'firewatch', 'inspector', 'auditor'];
export const DEPARTMENTS = ['企业服务岗', '商贸发展岗', '乡村振兴岗', '安全应急岗', '规建环保岗',
  '民政社事岗', '城市管理岗', '文教体旅岗', '市场监督岗'];
export const MISSING_ID = 999999999;

// ---------- unique test data ----------
const RUN = Date.now().toString(36).slice(-5) + randomBytes(2).toString('hex');
let seq = 0;
/** A unique lowercase identifier (letters, digits, underscore), at most 20 chars. */
export function uid(prefix = 't') {
  seq += 1;
  return `${prefix}_${RUN}${seq.toString(36)}`.toLowerCase().slice(0, 20);
}
/** A random, syntactically valid mainland mobile number. */
export function randomPhone() {
  return '1' + String(randomInt(3, 10)) + String(randomInt(0, 1e9)).padStart(9, '0');
}
/** A password that any sane policy accepts: long, four character classes, random. */
export function strongPassword() {
  return 'Hy#' + randomBytes(6).toString('hex') + 'Qz9!';
}

// ---------- HTTP ----------
function parseBody(text, contentType) {
  if (!text) return null;
  if (!/json/i.test(contentType || '')) return null;
  try { return JSON.parse(text); } catch { return null; }
}

/**
 * One HTTP request. `body`: object/array/number (JSON-encoded) or string (sent as is).
 * Returns {status, headers, json, text, bytes (raw body), method, path}. Network errors throw.
 */
export async function request(method, path, { body, headers = {}, contentType } = {}) {
  const h = { ...headers };
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
    h['content-type'] = contentType ?? 'application/json';
  }
  const res = await fetch(BASE + path, { method, headers: h, body: payload, redirect: 'manual' });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  return {
    status: res.status,
    headers: res.headers,
    text,
    bytes,
    json: parseBody(text, res.headers.get('content-type')),
    method,
    path,
  };
}

/** Short description of a response for assertion messages. */
export function describe(res) {
  return `${res.method} ${res.path} → ${res.status} ${res.text.slice(0, 300)}`;
}

/** A logged-in (cookie + CSRF) or bearer client. */
export class Client {
  constructor({ cookie = null, csrf = null, bearer = null, user = null } = {}) {
    this.cookie = cookie;
    this.csrf = csrf;
    this.bearer = bearer;
    this.user = user;
  }
  /** opts.csrf: true (default) send the token, false omit it, string send that value. */
  async req(method, path, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    const csrf = opts.csrf ?? true;
    if (this.cookie && method !== 'GET' && method !== 'HEAD') {
      if (csrf === true && this.csrf) headers['x-csrf-token'] = this.csrf;
      else if (typeof csrf === 'string') headers['x-csrf-token'] = csrf;
    }
    const res = await request(method, path, { ...opts, headers });
    const sc = getCookie(res, 'hy_session');
    if (sc && sc.value) this.cookie = `hy_session=${sc.value}`;
    return res;
  }
  get(path, opts) { return this.req('GET', path, opts); }
  post(path, body, opts = {}) { return this.req('POST', path, { ...opts, body }); }
  put(path, body, opts = {}) { return this.req('PUT', path, { ...opts, body }); }
  del(path, opts) { return this.req('DELETE', path, opts); }
  /** GET and assert 200; returns the JSON body. */
  async getOk(path) {
    const res = await this.get(path);
    assert.equal(res.status, 200, describe(res));
    return res.json;
  }
}

/** Parsed Set-Cookie for one cookie name: {value, attrs: {lowercased name: value|true}, raw}. */
export function getCookie(res, name) {
  const all = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
  for (const raw of all) {
    const [first, ...rest] = raw.split(';');
    const eq = first.indexOf('=');
    if (first.slice(0, eq).trim() !== name) continue;
    const attrs = {};
    for (const a of rest) {
      const i = a.indexOf('=');
      if (i < 0) attrs[a.trim().toLowerCase()] = true;
      else attrs[a.slice(0, i).trim().toLowerCase()] = a.slice(i + 1).trim();
    }
    return { value: first.slice(eq + 1).trim(), attrs, raw };
  }
  return null;
}

/** POST /api/auth/login without asserting anything. */
export function rawLogin(login, password) {
  return request('POST', '/api/auth/login', { body: { login, password } });
}

/** Log in and return a Client; throws with the server's answer if login fails. */
export async function login(user, password = DEMO_PASSWORD) {
  const res = await rawLogin(user, password);
  assert.equal(res.status, 200, `login ${user}: ${describe(res)}`);
  const c = getCookie(res, 'hy_session');
  assert.ok(c && c.value, `login ${user}: no hy_session cookie`);
  assert.ok(res.json && typeof res.json.csrfToken === 'string' && res.json.csrfToken, `login ${user}: no csrfToken`);
  return new Client({ cookie: `hy_session=${c.value}`, csrf: res.json.csrfToken, user: res.json.user });
}

export { totpCode } from '../totp.mjs';

/** A client that authenticates with an API token only. */
export function bearerClient(token) {
  return new Client({ bearer: token });
}

/** Assert a contract error: status, code, and (if given, including null) field; message must be Chinese. */
export function expectError(res, status, code, field) {
  const where = describe(res);
  assert.equal(res.status, status, `expected ${status} ${code}: ${where}`);
  assert.ok(res.json && typeof res.json === 'object', `error body is not JSON: ${where}`);
  assert.equal(res.json.code, code, `expected code ${code}: ${where}`);
  assert.equal(typeof res.json.message, 'string', `message missing: ${where}`);
  assert.match(res.json.message, /[\u4e00-\u9fff]/, `message is not Chinese: ${where}`);
  assert.ok('field' in res.json, `error body has no "field" key: ${where}`);
  if (field !== undefined) assert.equal(res.json.field, field, `expected field ${field}: ${where}`);
}

export function expectStatus(res, status) {
  assert.equal(res.status, status, describe(res));
  return res.json;
}

export function expectNo5xx(res) {
  assert.ok(res.status < 500, `server error: ${describe(res)}`);
}

/** Fetch every page of a paginated list. */
export async function listAll(client, path) {
  const items = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let page = 1; page < 1000; page++) {
    const body = await client.getOk(`${path}${sep}page=${page}&pageSize=200`);
    assert.ok(Array.isArray(body.items) && Number.isInteger(body.total), `not a list: ${path}`);
    items.push(...body.items);
    if (body.items.length === 0 || items.length >= body.total) {
      assert.equal(items.length, body.total, `${path}: collected ${items.length} items, total says ${body.total}`);
      return items;
    }
  }
  throw new Error(`listAll: too many pages for ${path}`);
}

// ---------- fixtures ----------
/** Org units by name (and the town root) as seen by `client` (needs org:read). */
export async function orgUnits(client) {
  const { items } = await client.getOk('/api/org-units');
  const byName = new Map(items.map((u) => [u.name, u]));
  const town = items.find((u) => u.kind === 'town' && u.parentId === null);
  assert.ok(town, 'no town root in /api/org-units');
  return { items, byName, town };
}

export async function roles(client) {
  const { items } = await client.getOk('/api/roles');
  return { items, byKey: new Map(items.map((r) => [r.key, r])) };
}

export async function createOrgUnit(admin, { parentId, kind = 'department', name = null, code } = {}) {
  const body = { parentId, kind, name: name ?? `测试机构${uid('o')}` };
  if (code !== undefined) body.code = code;
  const res = await admin.post('/api/org-units', body);
  assert.equal(res.status, 201, describe(res));
  return res.json;
}

export async function createRole(admin, { key, name, dataScope = 'dept', permissions = [], customOrgUnitIds = [] } = {}) {
  const body = { key: key ?? uid('r'), name: name ?? `测试角色${uid('n')}`, dataScope, permissions, customOrgUnitIds };
  const res = await admin.post('/api/roles', body);
  assert.equal(res.status, 201, describe(res));
  return res.json;
}

/** Create a user with an initial password. Returns {user, password}. */
export async function createUser(admin, { orgUnitId, roleId, username, name, phone, password } = {}) {
  const body = {
    username: username ?? uid('u'),
    name: name ?? '测试用户',
    phone: phone ?? randomPhone(),
    orgUnitId,
    roleId,
    password: password ?? strongPassword(),
  };
  const res = await admin.post('/api/users', body);
  assert.equal(res.status, 201, describe(res));
  return { user: res.json, password: body.password, phone: body.phone };
}

/** Create a user, log in, change the initial password. Returns {user, client, password}. */
export async function createUserAndLogin(admin, opts) {
  const { user, password } = await createUser(admin, opts);
  const client = await login(user.username, password);
  const newPassword = strongPassword();
  const res = await client.post('/api/auth/password', { oldPassword: password, newPassword });
  assert.equal(res.status, 200, describe(res));
  return { user, client, password: newPassword };
}

// ---------- the binary ----------
let routeCache = null;
/** The server's own route table: [{method, path, permission}]. */
export function serverRoutes() {
  if (!routeCache) {
    const out = execFileSync(BIN, ['routes', '--json'], { encoding: 'utf8' });
    routeCache = JSON.parse(out);
    assert.ok(Array.isArray(routeCache) && routeCache.length > 0, '`routes --json` printed no routes');
  }
  return routeCache;
}

/** A route's permission key, or null when the route is public or session-only. */
export function routePermission(r) {
  return typeof r.permission === 'string' && r.permission.includes(':') ? r.permission : null;
}

/** `/api/users/:id` → `/api/users/{id}` */
export function toOpenApiPath(p) {
  return p.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

/** Substitute path parameters from a map {id: 1, code: 'x'}. */
export function fillPath(p, params) {
  return p.replace(/:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, a, b) => {
    const k = a || b;
    assert.ok(params[k] !== undefined, `no value for path parameter ${k} in ${p}`);
    return encodeURIComponent(String(params[k]));
  });
}

/** Run the binary; returns {code, stdout, stderr}. */
export function runBin(args) {
  try {
    const stdout = execFileSync(BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    if (typeof e.status !== 'number') throw e;
    return { code: e.status, stdout: String(e.stdout ?? ''), stderr: String(e.stderr ?? '') };
  }
}

// ---------- the OpenAPI document ----------
export const SPEC_FILE = new URL('../../docs/openapi.yaml', import.meta.url);
let specCache = null;
export function loadSpec() {
  if (!specCache) {
    const require = createRequire(new URL('../../web/package.json', import.meta.url));
    const YAML = require('yaml');
    specCache = YAML.parse(readFileSync(SPEC_FILE, 'utf8'));
  }
  return specCache;
}

/** Resolve a local $ref (one level or nested). */
export function deref(spec, node) {
  let n = node;
  for (let i = 0; n && n.$ref && i < 20; i++) {
    const parts = n.$ref.replace(/^#\//, '').split('/');
    n = parts.reduce((o, k) => o?.[k], spec);
  }
  return n;
}

/** The JSON request-body schema of an operation (dereferenced), or null if it takes none. */
export function requestSchema(spec, method, oaPath) {
  const op = spec.paths?.[oaPath]?.[method.toLowerCase()];
  if (!op || !op.requestBody) return null;
  const rb = deref(spec, op.requestBody);
  const schema = deref(spec, rb.content?.['application/json']?.schema);
  if (!schema) return null;
  const props = {};
  for (const [k, v] of Object.entries(schema.properties || {})) props[k] = deref(spec, v);
  return { ...schema, properties: props };
}

export const dbKind = () => (DB.startsWith('sqlite:') ? 'sqlite' : DB.startsWith('postgres') ? 'postgresql' : null);

/** Runs SQL on the server's database with the database's own client, beside the server. Returns {code, out}. */
export function sql(statement) {
  const kind = dbKind();
  assert.ok(kind, `HUOYAN_DB must be sqlite:... or postgresql://..., got "${DB}"`);
  const file = DB.replace(/^sqlite:(\/\/)?/, '').split('?')[0];
  const [cmd, args] = kind === 'sqlite'
    ? ['sqlite3', ['-bail', '-cmd', '.timeout 10000', file, statement]]
    : ['psql', [DB, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', statement]];
  try {
    const out = execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, out: out.trim() };
  } catch (e) {
    if (typeof e.status !== 'number') throw e;
    return { code: e.status, out: `${e.stdout ?? ''}${e.stderr ?? ''}`.trim() };
  }
}

export function sqlOk(statement) {
  const r = sql(statement);
  assert.equal(r.code, 0, `SQL failed: ${statement}\n${r.out}`);
  return r.out;
}

/**
 * 等保 数据保密性: `stored` (a column's value read with sqlOk) holds `plain` only sealed (SM4 and HMAC-SM3,
 * src/domain/field_cipher.h): IV, the text encrypted, tag; no readable form of it.
 */
export function assertSealed(stored, plain) {
  assert.match(stored, /^sm4:[A-Za-z0-9+/]+=*$/);
  const raw = Buffer.from(stored.slice(4), 'base64');
  assert.equal(raw.length, 16 + Buffer.byteLength(plain) + 32, 'IV, the text encrypted, tag');
  for (const form of [plain, Buffer.from(plain).toString('hex'), Buffer.from(plain).toString('base64')])
    assert.ok(!stored.includes(form), 'the value is stored readable');
}

/**
 * A contact's phone: stored sealed in `table`.`column` of row `id`, and every audit record of that row (target
 * `targetType`) names it masked, none in full, whoever acted.
 */
export function assertPhoneSealed({ table, column, id, phone, targetType }) {
  assertSealed(sqlOk(`SELECT ${column} FROM ${table} WHERE id = ${id}`), phone);
  const summaries = sqlOk(`SELECT summary FROM audit_log WHERE target_type = '${targetType}' AND target_id = '${id}'`);
  assert.ok(summaries.includes(maskPhone(phone)), `no audit record of ${targetType} ${id} names the phone masked`);
  assert.ok(!summaries.includes(phone), `an audit record of ${targetType} ${id} holds the phone in full`);
}

/**
 * Check a JSON value against an OpenAPI 3.0 schema (the subset docs/openapi.yaml uses: $ref, allOf, type,
 * nullable, enum, required, properties, additionalProperties, items). Properties the schema does not declare are
 * reported unless additionalProperties is true, so that the spec stays complete. Returns a list of problems.
 */
export function checkSchema(spec, schema0, value, where = '$') {
  const problems = [];
  const schema = deref(spec, schema0);
  if (!schema) return [`${where}: no schema`];
  if (schema.allOf) {
    const merged = { type: 'object', required: [], properties: {} };
    for (const part0 of schema.allOf) {
      const part = deref(spec, part0);
      merged.required.push(...(part.required ?? []));
      Object.assign(merged.properties, part.properties ?? {});
    }
    return checkSchema(spec, merged, value, where);
  }
  if (schema.oneOf) {
    const each = schema.oneOf.map((s) => checkSchema(spec, s, value, where));
    return each.some((p) => p.length === 0) ? [] : [`${where}: fits none of oneOf: ${each.map((p) => p[0]).join(' | ')}`];
  }
  if (value === null) {
    if (!schema.nullable) problems.push(`${where}: null but not nullable`);
    return problems;
  }
  const t = schema.type;
  const actual = Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  const fits = !t || t === actual || (t === 'number' && actual === 'integer');
  if (!fits) return [`${where}: ${actual} (${JSON.stringify(value).slice(0, 40)}) where ${t} expected`];
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${where}: ${JSON.stringify(value)} not in enum ${schema.enum}`);
  if (t === 'string' && schema.format === 'date-time' && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value)) {
    problems.push(`${where}: "${value}" is not an ISO-8601 UTC time`);
  }
  if (t === 'array') value.forEach((v, i) => problems.push(...checkSchema(spec, schema.items, v, `${where}[${i}]`)));
  if (t === 'object' || (!t && actual === 'object')) {
    for (const r of schema.required ?? []) if (!(r in value)) problems.push(`${where}: missing ${r}`);
    for (const [k, v] of Object.entries(value)) {
      const ps = schema.properties?.[k];
      if (ps) problems.push(...checkSchema(spec, ps, v, `${where}.${k}`));
      else if (schema.additionalProperties !== true && schema.properties) problems.push(`${where}: undocumented property ${k}`);
    }
  }
  return problems;
}

/** The JSON schema of one response of an operation, or null. */
export function responseSchema(spec, method, oaPath, status) {
  const op = spec.paths?.[oaPath]?.[method.toLowerCase()];
  const resp = op && deref(spec, op.responses?.[String(status)]);
  return resp?.content?.['application/json']?.schema ?? null;
}

/** The error codes the spec lists for a response of an operation. */
export function documentedCodes(spec, method, oaPath, status) {
  const op = spec.paths?.[oaPath]?.[method.toLowerCase()];
  const resp = op && deref(spec, op.responses?.[String(status)]);
  return resp?.['x-error-codes'] ?? [];
}

// ---------- identity numbers (registries) ----------
const CID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** GB 11643 check character for the first 17 characters of a citizen ID. */
export function citizenIdCheck(first17) {
  let t = 0;
  for (let i = 0; i < 17; i++) t += Number(first17[i]) * CID_WEIGHTS[i];
  return '10X98765432'[t % 11];
}
const CID_AREA = String(500101 + randomInt(0, 99));
const CID_SEQ = String(randomInt(100, 1000));
const CID_BASE = Date.UTC(1960, 0, 1) + randomInt(0, 4000) * 86400000;
let cidSeq = 0;
/** A fresh, valid 18-character citizen ID (unique within this run; real birth date). */
export function makeCitizenId() {
  cidSeq += 1;
  const birth = new Date(CID_BASE + cidSeq * 86400000).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = CID_AREA + birth + CID_SEQ;
  return first17 + citizenIdCheck(first17);
}
/** The contract's mask: first 4, ten stars, last 4 (5001**********123X). */
export const maskCitizenId = (id) => `${id.slice(0, 4)}${'*'.repeat(10)}${id.slice(14)}`;
/** The contract's phone mask: 139****0001. */
export const maskPhone = (p) => `${p.slice(0, 3)}****${p.slice(7)}`;

const CC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** GB 32100 check character for the first 17 characters of a unified social credit code. */
export function creditCodeCheck(first17) {
  let t = 0;
  for (let i = 0; i < 17; i++) t += CC_ALPHABET.indexOf(first17[i]) * CC_WEIGHTS[i];
  return CC_ALPHABET[(31 - (t % 31)) % 31];
}
/** A fresh, valid 18-character unified social credit code. */
export function makeCreditCode() {
  let org = '';
  for (let i = 0; i < 9; i++) org += CC_ALPHABET[randomInt(0, 31)];
  const first17 = '91500107' + org;
  return first17 + creditCodeCheck(first17);
}

/** A machine code (赋码): 4-32 of [A-Z0-9-], unique. */
export function makeMachineCode(prefix = 'HJ') {
  return `${prefix}-${uid('m').replace(/[^a-z0-9]/g, '').toUpperCase()}`.slice(0, 32);
}

// ---------- dates ----------
/** Local (Asia/Shanghai) date YYYY-MM-DD, `days` from today. */
export function localDate(days = 0) {
  return new Date(Date.now() + 8 * 3600 * 1000 + days * 86400000).toISOString().slice(0, 10);
}
/** Whole days from local today to a YYYY-MM-DD date. */
export function daysFromToday(date) {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${localDate(0)}T00:00:00Z`)) / 86400000);
}

// ---------- zip (xlsx) ----------
/** Read a zip archive: Map of entry name → Buffer. Throws when it is not a zip. */
export async function unzip(bytes) {
  const { inflateRawSync } = await import('node:zlib');
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('zip: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map();
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('zip: bad central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error(`zip: bad local header for ${name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + csize);
    if (method === 0) out.set(name, Buffer.from(data));
    else if (method === 8) out.set(name, inflateRawSync(data));
    else throw new Error(`zip: ${name} uses compression method ${method}`);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

// ---------- registry fixtures (venues, units, people, certificates, machines) ----------
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Every day 09:00-21:00. */
export const DAILY_HOURS = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, from: '09:00', to: '21:00' }));

/** A VenueInput that the server accepts: a restaurant in 龙凤社区 supervised by 商贸发展岗 (override freely). */
export function venueBody(org, over = {}) {
  return {
    name: `测试场所${uid('v')}`,
    type: 'restaurant',
    crowded: true,
    entertainment: false,
    address: '重庆市渝北区龙凤街 1 号',
    orgUnitId: org.byName.get('龙凤社区').id,
    supervisorOrgUnitIds: [org.byName.get('商贸发展岗').id],
    lat: 29.58,
    lng: 106.55,
    geofenceRadius: 150,
    openingHours: DAILY_HOURS,
    closedDates: [],
    principalName: '王老板',
    principalPhone: randomPhone(),
    fireManagerName: '李消防',
    fireManagerPhone: randomPhone(),
    ...over,
  };
}
export async function createVenue(client, org, over = {}) {
  const res = await client.post('/api/venues', venueBody(org, over));
  assert.equal(res.status, 201, describe(res));
  return res.json;
}

export function unitBody(over = {}) {
  return {
    name: `测试施工单位${uid('n')}`,
    creditCode: makeCreditCode(),
    kind: 'contractor',
    contactName: '赵联系',
    contactPhone: randomPhone(),
    address: '重庆市渝北区',
    ...over,
  };
}
export async function createUnit(client, over = {}) {
  const res = await client.post('/api/units', unitBody(over));
  assert.equal(res.status, 201, describe(res));
  return res.json;
}

export function personBody(over = {}) {
  return { name: '测试焊工', citizenId: makeCitizenId(), phone: randomPhone(), ...over };
}
export async function createPerson(client, over = {}) {
  const body = personBody(over);
  const res = await client.post('/api/people', body);
  assert.equal(res.status, 201, describe(res));
  return { ...res.json, rawCitizenId: body.citizenId, rawPhone: body.phone };
}

/** A CertificateInput for `person` ({id, rawCitizenId}): 熔化焊接与热切割, valid for 3 years from 2 years ago. */
export function certBody(person, over = {}) {
  return {
    personId: person.id,
    kind: 'special_op_fusion',
    number: `T${person.rawCitizenId ?? person.citizenId}`,
    issuer: '重庆市应急管理局',
    firstIssued: localDate(-730),
    validUntil: localDate(365 * 3 - 730),
    nextReview: localDate(300),
    ...over,
  };
}
/** The created certificate as the API shows it (a 特种作业操作证 number masked), with the number sent as rawNumber. */
export async function createCertificate(client, person, over = {}) {
  const body = certBody(person, over);
  const res = await client.post('/api/certificates', body);
  assert.equal(res.status, 201, describe(res));
  return { ...res.json, rawNumber: body.number };
}

export function machineBody(unitId, over = {}) {
  return { code: makeMachineCode(), chipId: `CHIP${uid('c').replace(/[^a-z0-9]/g, '').toUpperCase()}`, unitId, kind: 'arc_welder', model: 'ZX7-400', status: 'active', ...over };
}
export async function createMachine(client, unitId, over = {}) {
  const res = await client.post('/api/machines', machineBody(unitId, over));
  assert.equal(res.status, 201, describe(res));
  return res.json;
}

/** GET an .xlsx export and check it: 200, the xlsx media type, a zip (PK\x03\x04) with a workbook and a sheet.
 * Returns {res, files, text (all xl/ parts as text)}. */
export async function fetchXlsx(client, path) {
  const res = await client.get(path);
  assert.equal(res.status, 200, describe(res));
  assert.equal((res.headers.get('content-type') ?? '').split(';')[0].trim(), XLSX_TYPE, `${path}: content-type`);
  assert.deepEqual([...res.bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], `${path}: not a zip (PK\\x03\\x04)`);
  const files = await unzip(res.bytes);
  for (const f of ['[Content_Types].xml', 'xl/workbook.xml']) assert.ok(files.has(f), `${path}: xlsx lacks ${f}`);
  assert.ok([...files.keys()].some((f) => /^xl\/worksheets\/sheet\d*\.xml$/.test(f)), `${path}: xlsx has no worksheet`);
  const text = [...files.entries()].filter(([k]) => k.startsWith('xl/')).map(([, v]) => v.toString('utf8')).join('\n');
  return { res, files, text };
}

/** When `huoyan demo` finished loading the town: the time of its audit entry `system.demo_load` (written last, in the
 * same transaction), or else the admin account's createdAt. Records the demo made are not later; records the tests
 * make are, so `createdAt <= t` picks the demo's own records (loading can take more than a second). */
export async function demoLoadedAt(admin) {
  const log = await admin.get('/api/audit-logs?action=system.demo_load&pageSize=1');
  if (log.status === 200 && log.json.items?.[0]?.at) return log.json.items[0].at;
  const { items } = await admin.getOk('/api/users?q=admin&pageSize=200');
  const a = items.find((u) => u.username === 'admin');
  assert.ok(a, 'no admin user');
  return a.createdAt;
}

// ---------- permits, files, alerts, test clock (docs/api-permits.md) ----------
export const MINUTE = 60 * 1000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** DH-YYYYMMDD-NNNN; the date is the local (Asia/Shanghai) date of creation. */
export const PERMIT_NUMBER = /^DH-(\d{8})-(\d{4})$/;
export const PERMIT_STATES = ['draft', 'submitted', 'surveyed', 'risk_confirmed', 'approved', 'in_progress', 'suspended',
  'watching', 'closed', 'cancelled', 'revoked', 'expired'];
export const TERMINAL_STATES = ['closed', 'cancelled', 'revoked', 'expired'];

/** Local (Asia/Shanghai) date YYYY-MM-DD of an instant (epoch ms). */
export const localDateOf = (ms) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);
/** A local date plus `n` days. */
export const addDays = (date, n) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
/** Epoch ms of a local date and HH:MM (Asia/Shanghai). */
export const localMs = (date, hhmm) => Date.parse(`${date}T${hhmm}:00+08:00`);
/** ISO-8601 UTC without milliseconds, as the server writes times. */
export const isoUtc = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
/** The same instant written with +08:00, as a client in China would send it. */
export const isoLocal = (ms) => `${new Date(ms + 8 * HOUR).toISOString().slice(0, 19)}+08:00`;

/**
 * The test clock: `POST /api/test/clock {offsetSeconds}` (admin, server started with --test-clock) moves the server's
 * clock and runs the permit timers. Logs in afresh each time, since a jump of more than 30 minutes idles every session
 * out. Returns {now (epoch ms, the server's), timerChanges}.
 */
export async function setServerClock(offsetSeconds) {
  const admin = await login('admin');
  const res = await admin.post('/api/test/clock', { offsetSeconds: Math.round(offsetSeconds) });
  assert.equal(res.status, 200, `test clock: ${describe(res)} (is the server started with --test-clock?)`);
  return { now: Date.parse(res.json.now), timerChanges: res.json.timerChanges };
}
/** Server clock back to real time; returns the server's now (epoch ms). */
export async function resetServerClock() {
  return (await setServerClock(0)).now;
}
/** Move the server clock so that its now is `ms`. */
export function serverClockTo(ms) {
  return setServerClock((ms - Date.now()) / 1000);
}

/** A set of logged-in clients that can all log in again after a clock jump (client objects stay the same). */
export class Cast {
  async add(name, username, password = DEMO_PASSWORD) {
    const c = await login(username, password);
    c.username = username;
    c.password = password;
    this[name] = c;
    (this.names ??= []).push(name);
    return c;
  }
  /** Add a client that carries its own `username` and `password` (see createAccountPerson). */
  adopt(name, client) {
    assert.ok(client.username && client.password, `Cast.adopt(${name}): client without username/password`);
    this[name] = client;
    (this.names ??= []).push(name);
    return client;
  }
  /** Log every member in again (after a clock jump). */
  async relogin() {
    for (const name of this.names ?? []) {
      const c = this[name];
      const fresh = await login(c.username, c.password);
      c.cookie = fresh.cookie;
      c.csrf = fresh.csrf;
    }
  }
  /** Jump the server clock to `ms` and log everyone in again. Returns the server's now. */
  async jumpTo(ms) {
    const r = await serverClockTo(ms);
    await this.relogin();
    return r.now;
  }
}

/** Rest days from the holiday calendar (GET /api/calendar): holidays, and weekends not made workdays. */
export async function restDayChecker(client) {
  const { items } = await client.getOk('/api/calendar');
  const holidays = new Set(items.filter((d) => d.kind === 'holiday').map((d) => d.date));
  const workdays = new Set(items.filter((d) => d.kind === 'workday').map((d) => d.date));
  return (date) => {
    if (holidays.has(date)) return true;
    if (workdays.has(date)) return false;
    const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
    return wd === 0 || wd === 6;
  };
}
/** The `count` first local dates from `from` on (inclusive) for which `pick(date)` holds. */
export function datesFrom(from, count, pick) {
  const out = [];
  for (let d = from, i = 0; out.length < count && i < 800; d = addDays(d, 1), i++) if (pick(d)) out.push(d);
  return out;
}

/** Demo records the permit tests act with. */
/** What most permit tests start from: admin and contractor logged in, the permit world, the venue manager's user
 * id (the approver) and 邓强 (a job leader with an account). */
export async function permitBasics() {
  const admin = await login('admin');
  const world = await permitWorld(admin);
  return {
    admin, contractor: await login('contractor'), world, approverUserId: world.users.get('venue_mgr').id, deng: world.people.get('邓强'),
  };
}

export async function permitWorld(admin) {
  const org = await orgUnits(admin);
  const roleMap = (await roles(admin)).byKey;
  const users = new Map();
  for (const u of await listAll(admin, '/api/users')) users.set(u.username, u);
  const venues = new Map((await listAll(admin, '/api/venues')).map((v) => [v.name, v]));
  const people = new Map();
  for (const name of ['邓强', '唐国庆', '曾小燕', '蒋超']) {
    const { items } = await admin.getOk(`/api/people?q=${encodeURIComponent(name)}&pageSize=200`);
    const p = items.find((x) => x.name === name && x.username);
    assert.ok(p, `demo person ${name} with an account is missing`);
    people.set(name, await admin.getOk(`/api/people/${p.id}`));
  }
  const unit = (await admin.getOk(`/api/units?q=${encodeURIComponent('重庆金凤建筑安装工程有限公司')}`)).items[0];
  assert.ok(unit, 'demo unit 重庆金凤建筑安装工程有限公司 missing');
  for (const v of ['金凤商业广场', '金凤里综合体', '金凤星光KTV', '金凤中学', '金凤镇卫生院']) assert.ok(venues.has(v), `demo venue ${v} missing`);
  for (const u of ['admin', 'venue_mgr', 'contractor', 'welder', 'firewatch', 'sw_officer']) assert.ok(users.has(u), `demo user ${u} missing`);
  return { org, roles: roleMap, users, venues, people, unit };
}

/** The person of a demo person detail's first valid certificate of an accepted kind. */
export function validCert(person) {
  const c = person.certificates.find((x) => x.status === 'valid' && ['valid', 'expiring'].includes(x.state));
  assert.ok(c, `${person.name} has no valid certificate`);
  return c;
}

/**
 * A person with a login account of role `roleKey`: {person, user, client, password}. Logged in with its password
 * changed, or with `loggedIn: false` only created (client null: one argon2id hash instead of four).
 */
export async function createAccountPerson(admin, world, roleKey, { name = '测试人员', unitId = world.unit.id, loggedIn = true } = {}) {
  const opts = { orgUnitId: world.org.byName.get('龙凤社区').id, roleId: world.roles.get(roleKey).id, name };
  const { user, client, password } = loggedIn ? await createUserAndLogin(admin, opts) : { ...await createUser(admin, opts), client: null };
  if (client) {
    client.username = user.username;
    client.password = password;
  }
  const person = await createPerson(admin, { name, unitId, userId: user.id });
  return { person, user, client, password };
}

/** A worker with a valid 熔化焊接与热切割 certificate (valid for a year), optionally with a welder account. */
export async function createWorker(admin, world, { account = false, name = '测试焊工', cert = {} } = {}) {
  const w = account
    ? await createAccountPerson(admin, world, 'welder', { name })
    : { person: await createPerson(admin, { name, unitId: world.unit.id }) };
  w.cert = await createCertificate(admin, w.person, { validUntil: localDate(400), nextReview: localDate(380), ...cert });
  return w;
}

/**
 * A crew for one permit: a fire watch with an account, a worker (with a welder account when asked) and a machine.
 * No one and nothing of it is on any other permit, so the one-job rule never mixes tests.
 */
export async function createCrew(admin, world, { welderAccount = false, fireWatchLoggedIn = true } = {}) {
  const fireWatch = await createAccountPerson(admin, world, 'fire_watch', { name: '测试监护人', loggedIn: fireWatchLoggedIn });
  const worker = await createWorker(admin, world, { account: welderAccount });
  const machine = await createMachine(admin, world.unit.id);
  return { fireWatch, worker, machine };
}

/** A crowded venue with no opening hours (hot work allowed at any time of day), managed by `managerUserId`. */
export async function createOpenVenue(admin, world, managerUserId, over = {}) {
  return createVenue(admin, world.org, { openingHours: [], managerUserId, name: `测试动火场所${uid('v')}`, ...over });
}

/** A PermitInput. `crew` fills workers, machines and fire watch unless given in `over`. */
export function permitBody({ venueId, start, end, jobLeaderId, approverUserId, crew, unitId }, over = {}) {
  const body = {
    venueId,
    place: '一层设备间钢支架',
    indoor: false,
    content: '钢支架补焊（接口测试）',
    method: 'electric_welding',
    level: 'level2',
    plannedStart: isoLocal(start),
    plannedEnd: isoLocal(end),
    jobLeaderId,
    fireWatchId: crew?.fireWatch.person.id,
    approverUserId,
    workers: crew ? [{ personId: crew.worker.person.id, certificateId: crew.worker.cert.id }] : [],
    machineIds: crew ? [crew.machine.id] : [],
    riskIdentification: '焊接火花飞溅可能引燃周边可燃物',
    fireSeparation: false,
    gasRequired: false,
  };
  if (unitId) body.unitId = unitId;
  return { ...body, ...over };
}

/** Every measure of a permit answered (applies = true unless listed in `notApplicable`). */
export const allMeasures = (permit, notApplicable = []) =>
  permit.measures.map((m) => ({ code: m.code, applies: !notApplicable.includes(m.code) }));

/** POST a permit command and assert 200 (and the state, when given). Returns the Permit. */
export async function command(client, permit, name, body = {}, state = undefined) {
  const id = typeof permit === 'object' ? permit.id : permit;
  const res = await client.post(`/api/permits/${id}/${name}`, body);
  assert.equal(res.status, 200, `${name}: ${describe(res)}`);
  if (state) assert.equal(res.json.state, state, `${name}: state`);
  return res.json;
}

/**
 * Take a permit forward to `target` along the normal path. `who`: {applicant, approver, jobLeader, fireWatch, admin}
 * clients; in_progress and later need the window to have begun (at most 15 minutes ahead).
 */
export async function advancePermit(permit, target, who, { workerCheckInBy } = {}) {
  const path = ['draft', 'submitted', 'surveyed', 'risk_confirmed', 'approved', 'in_progress', 'watching'];
  let p = permit;
  if (target === 'cancelled') return command(who.applicant, p, 'cancel', { reason: '测试取消' }, 'cancelled');
  if (target === 'revoked') return command(who.admin, p, 'revoke', { reason: '测试撤销' }, 'revoked');
  const goal = target === 'suspended' ? 'in_progress' : target;
  assert.ok(path.includes(goal), `advancePermit: unknown target ${target}`);
  while (path.indexOf(p.state) < path.indexOf(goal)) {
    switch (p.state) {
      case 'draft': p = await command(who.applicant, p, 'submit', {}, 'submitted'); break;
      case 'submitted': p = await command(who.approver, p, 'survey', { note: '现场已勘察' }, 'surveyed'); break;
      case 'surveyed': p = await command(who.jobLeader, p, 'confirm-risk', { measures: allMeasures(p) }, 'risk_confirmed'); break;
      case 'risk_confirmed': p = await command(who.approver, p, 'approve', {}, 'approved'); break;
      case 'approved':
        p = await command(who.fireWatch, p, 'check-in', { personId: p.fireWatch.id });
        for (const w of p.workers) p = await command(workerCheckInBy ?? who.jobLeader, p, 'check-in', { personId: w.personId });
        p = await command(who.jobLeader, p, 'start', {}, 'in_progress');
        break;
      case 'in_progress': p = await command(who.jobLeader, p, 'finish', {}, 'watching'); break;
      default: throw new Error(`advancePermit: cannot go on from ${p.state}`);
    }
  }
  if (target === 'suspended') p = await command(who.fireWatch, p, 'suspend', { reason: '测试暂停' }, 'suspended');
  return p;
}

/** Create a permit (201, draft) as `client`. */
export async function createPermit(client, body) {
  const res = await client.post('/api/permits', body);
  assert.equal(res.status, 201, `create permit: ${describe(res)}`);
  assert.equal(res.json.state, 'draft');
  return res.json;
}

/** Revoke (as admin) whatever of these permits is not finished yet, so that they hold no one after the test. */
export async function releasePermits(ids) {
  if (!ids.length) return;
  const admin = await login('admin');
  for (const id of ids) {
    const res = await admin.get(`/api/permits/${id}`);
    if (res.status === 200 && !TERMINAL_STATES.includes(res.json.state)) {
      await admin.post(`/api/permits/${id}/revoke`, { reason: '测试结束，释放人员与焊机' });
    }
  }
}

// Tiny valid images, built byte by byte.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** A 1×1 RGB PNG of the given colour (signature, IHDR, IDAT, IEND with real CRCs). */
export async function tinyPng([r, g, b] = [255, 0, 0]) {
  const { deflateSync } = await import('node:zlib');
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return new Uint8Array(Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.from([0, r, g, b]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]));
}
/** A 1×1 mid-grey baseline JPEG: SOI, DQT, SOF0, the standard luminance Huffman tables (JPEG Annex K), SOS with one
 * 8×8 block (DC difference 0 → code 00, then EOB → 1010, padded with 1s: 0x2B), EOI. */
export function tinyJpeg() {
  const seg = (marker, body) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
  const dcBits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
  const dcVals = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const acBits = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
  const acVals = [...Buffer.from('01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a'
    + '434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9ba'
    + 'c2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa', 'hex')];
  return new Uint8Array([
    0xff, 0xd8,
    ...seg(0xdb, [0x00, ...new Array(64).fill(1)]),
    ...seg(0xc0, [8, 0, 1, 0, 1, 1, 1, 0x11, 0]),
    ...seg(0xc4, [0x00, ...dcBits, ...dcVals]),
    ...seg(0xc4, [0x10, ...acBits, ...acVals]),
    ...seg(0xda, [1, 1, 0x00, 0, 63, 0]),
    0x2b,
    0xff, 0xd9,
  ]);
}
/** A 1×1 lossless WebP (RIFF, WEBP, VP8L). */
export function tinyWebp() {
  return new Uint8Array(Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64'));
}
/** Upload bytes as `client` with a declared type; returns the response. */
export function uploadFile(client, bytes, contentType, opts = {}) {
  return client.req('POST', '/api/files', { ...opts, body: bytes, contentType });
}
/** Upload a PNG and return its id. */
export async function uploadPng(client, colour) {
  const res = await uploadFile(client, await tinyPng(colour), 'image/png');
  assert.equal(res.status, 201, `upload: ${describe(res)}`);
  return res.json.id;
}
