// Photos (POST /api/files, GET /api/files/:id): the body is the image itself, JPEG / PNG / WebP, at most 5 MB,
// recognised by its content. The images are built byte by byte in lib.mjs (tinyJpeg, tinyPng, tinyWebp).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, request, expectError, expectStatus, describe, uid, tinyJpeg, tinyPng, tinyWebp, uploadFile,
  orgUnits, roles, createUser,
} from './lib.mjs';

const MB5 = 5 * 1024 * 1024;
let contractor, welder, admin;

before(async () => {
  admin = await login('admin');
  contractor = await login('contractor');
  welder = await login('welder');
});

/** Upload, assert 201 and the answer's shape; returns the answer. */
async function upload(client, bytes, type) {
  const res = await uploadFile(client, bytes, type);
  assert.equal(res.status, 201, `${type}: ${describe(res)}`);
  const j = res.json;
  assert.equal(typeof j.id, 'string');
  assert.ok(j.id.length >= 16, `file id ${j.id} is short enough to guess`);
  assert.equal(j.contentType, type.split(';')[0].trim());
  assert.equal(j.size, bytes.length);
  return j;
}

test('JPEG, PNG and WebP upload and download byte for byte, with their media type', async () => {
  const images = [['image/jpeg', tinyJpeg()], ['image/png', await tinyPng([1, 2, 3])], ['image/webp', tinyWebp()]];
  const ids = new Set();
  for (const [type, bytes] of images) {
    const f = await upload(contractor, bytes, type);
    ids.add(f.id);
    for (const reader of [contractor, welder, admin]) {
      const res = await reader.get(`/api/files/${f.id}`);
      assert.equal(res.status, 200, describe(res));
      assert.equal((res.headers.get('content-type') ?? '').split(';')[0].trim(), type);
      assert.deepEqual([...res.bytes], [...bytes], `${type}: downloaded bytes differ`);
    }
  }
  assert.equal(ids.size, 3);
  // the same bytes twice are two files
  const png = await tinyPng([9, 9, 9]);
  const a = await upload(welder, png, 'image/png');
  const b = await upload(welder, png, 'image/png');
  assert.notEqual(a.id, b.id);
  // a charset or other parameter on the media type does not matter
  await upload(contractor, tinyJpeg(), 'image/jpeg; name=photo.jpg');
});

test('a media type that is not JPEG, PNG or WebP → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
  const png = await tinyPng();
  for (const type of ['text/plain', 'application/json', 'image/gif', 'image/svg+xml', 'application/octet-stream', 'multipart/form-data; boundary=x']) {
    expectError(await uploadFile(contractor, png, type), 415, 'UNSUPPORTED_MEDIA_TYPE');
  }
  // no Content-Type at all
  const res = await contractor.req('POST', '/api/files', { body: png, contentType: '' });
  assert.ok([400, 415].includes(res.status), `no content type: ${describe(res)}`);
});

test('content that does not match the declared type → 400 FILE_TYPE_MISMATCH', async () => {
  const jpeg = tinyJpeg();
  const png = await tinyPng();
  const webp = tinyWebp();
  const cases = [['image/png', jpeg], ['image/jpeg', png], ['image/webp', png], ['image/png', webp], ['image/jpeg', webp]];
  for (const [type, bytes] of cases) expectError(await uploadFile(contractor, bytes, type), 400, 'FILE_TYPE_MISMATCH');
  // an SVG or HTML page declared as an image
  const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
  expectError(await uploadFile(contractor, svg, 'image/png'), 400, 'FILE_TYPE_MISMATCH');
  const html = new TextEncoder().encode('<!doctype html><html><body>hi</body></html>');
  expectError(await uploadFile(contractor, html, 'image/jpeg'), 400, 'FILE_TYPE_MISMATCH');
});

test('garbage, truncated images and an empty body are refused with FILE_TYPE_MISMATCH', async () => {
  const problems = [];
  const refuse = async (what, bytes, type) => {
    const res = await uploadFile(contractor, bytes, type);
    if (!(res.status === 400 && res.json?.code === 'FILE_TYPE_MISMATCH')) problems.push(`${what} (${bytes.length} bytes as ${type}) → ${res.status} ${res.text.slice(0, 120)}`);
  };
  const garbage = new Uint8Array(2048).map((_, i) => (i * 37 + 11) & 0xff);
  for (const type of ['image/jpeg', 'image/png', 'image/webp']) await refuse('garbage', garbage, type);
  // magic bytes only
  await refuse('JPEG SOI only', new Uint8Array([0xff, 0xd8]), 'image/jpeg');
  await refuse('PNG magic only', new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 'image/png');
  await refuse('"RIFF" only', new TextEncoder().encode('RIFF'), 'image/webp');
  // real images cut short: the header is right, the image is not all there
  const png = await tinyPng();
  const jpeg = tinyJpeg();
  const webp = tinyWebp();
  await refuse('PNG signature and half an IHDR', png.subarray(0, 20), 'image/png');
  await refuse('PNG without IEND', png.subarray(0, png.length - 12), 'image/png');
  await refuse('JPEG cut after the tables', jpeg.subarray(0, 40), 'image/jpeg');
  await refuse('JPEG without EOI', jpeg.subarray(0, jpeg.length - 2), 'image/jpeg');
  await refuse('WebP header only', webp.subarray(0, 16), 'image/webp');
  await refuse('WebP cut short', webp.subarray(0, webp.length - 6), 'image/webp');
  assert.deepEqual(problems, [], `${problems.length} broken images accepted or refused otherwise:\n${problems.join('\n')}`);
  // nothing at all
  const empty = await uploadFile(contractor, new Uint8Array(0), 'image/png');
  assert.equal(empty.status, 400, describe(empty));
  assert.ok(['REQUIRED', 'FILE_TYPE_MISMATCH'].includes(empty.json?.code), describe(empty));
});

/** A valid JPEG of exactly `total` bytes: the tiny JPEG with comment segments (FF FE, at most 65,537 bytes each) after SOI. */
function paddedJpeg(total) {
  const jpeg = tinyJpeg();
  let pad = total - jpeg.length;
  const segs = [];
  for (let n = Math.ceil(pad / 65537); n > 0; n--) {
    const size = Math.floor(pad / n);
    pad -= size;
    const seg = new Uint8Array(size);
    seg.set([0xff, 0xfe, (size - 2) >> 8, (size - 2) & 0xff]);
    segs.push(seg);
  }
  const out = new Uint8Array(total);
  out.set(jpeg.subarray(0, 2));
  let at = 2;
  for (const seg of segs) { out.set(seg, at); at += seg.length; }
  out.set(jpeg.subarray(2), at);
  return out;
}

async function uploadOrFail(client, bytes, type) {
  try {
    return await uploadFile(client, bytes, type);
  } catch (e) {
    return assert.fail(`${bytes.length} bytes: the connection failed instead of an answer (${e.cause?.code ?? e.message})`);
  }
}

test('more than 5 MB → 413 BODY_TOO_LARGE; exactly 5 MB is accepted', async () => {
  expectError(await uploadOrFail(contractor, paddedJpeg(MB5 + 1), 'image/jpeg'), 413, 'BODY_TOO_LARGE');
  const big = new Uint8Array(8 * 1024 * 1024);
  big.set((await tinyPng()).subarray(0, 8));
  expectError(await uploadOrFail(contractor, big, 'image/png'), 413, 'BODY_TOO_LARGE');
  const exact = paddedJpeg(MB5);
  const ok = await uploadOrFail(contractor, exact, 'image/jpeg');
  assert.equal(ok.status, 201, `a JPEG of exactly 5 MB: ${describe(ok)}`);
  const back = await contractor.get(`/api/files/${ok.json.id}`);
  assert.equal(back.status, 200);
  // The padding is comment segments, which the server strips as metadata: what is stored is the image itself.
  assert.deepEqual([...back.bytes], [...tinyJpeg()]);
});

test('anonymous → 401; missing CSRF → 403; unknown id → 404; a retried upload with the same Idempotency-Key stores one file', async () => {
  const png = await tinyPng();
  expectError(await request('POST', '/api/files', { body: png, contentType: 'image/png' }), 401, 'UNAUTHENTICATED');
  const mine = await upload(contractor, png, 'image/png');
  expectError(await request('GET', `/api/files/${mine.id}`), 401, 'UNAUTHENTICATED');
  expectError(await contractor.req('POST', '/api/files', { body: png, contentType: 'image/png', csrf: false }), 403, 'CSRF_INVALID');
  expectError(await contractor.get('/api/files/zzNoSuchFileId00000000'), 404, 'NOT_FOUND');
  expectError(await contractor.get(`/api/files/${'x'.repeat(200)}`), 404, 'NOT_FOUND');
  // a user who must change the password first
  const org = await orgUnits(admin);
  const { user, password } = await createUser(admin, { orgUnitId: org.byName.get('龙凤社区').id, roleId: (await roles(admin)).byKey.get('welder').id });
  const fresh = await login(user.username, password);
  expectError(await fresh.get(`/api/files/${mine.id}`), 403, 'PASSWORD_CHANGE_REQUIRED');
  expectError(await uploadFile(fresh, png, 'image/png'), 403, 'PASSWORD_CHANGE_REQUIRED');
  // Idempotency-Key (api-overview: any POST may carry it)
  const key = uid('file');
  const first = await uploadFile(contractor, png, 'image/png', { headers: { 'idempotency-key': key } });
  assert.equal(first.status, 201, describe(first));
  const again = await uploadFile(contractor, png, 'image/png', { headers: { 'idempotency-key': key } });
  assert.equal(again.status, 201, describe(again));
  assert.equal(again.headers.get('idempotent-replayed'), 'true', 'the retried upload was not replayed');
  assert.equal(again.json.id, first.json.id, 'the retried upload stored a second file');
});
