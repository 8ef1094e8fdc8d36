// Notifications and webhooks (docs/api-notifications.md): who hears of a hazard command and of a public report (and
// who must not: the actor, and the venue for a report), reading them, the webhook configuration with its bad inputs,
// the robot message formats sent to a real local HTTP receiver, subscription filtering, the outbox drained by the
// timers, and retries with back-off on the test clock until the delivery is given up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import {
  describe, expectError, uid, orgUnits, createVenue, uploadPng, Cast, request, resetServerClock, serverClockTo, MINUTE, HOUR,
  MISSING_ID,
} from './lib.mjs';

const TAG = uid('nt');
const cast = new Cast();
const received = []; // {path, headers, body (parsed JSON)}
let receiver, receiverUrl, org, venue, fileId, category;
const hooks = [];

// The receiver answers by path: /ok as a robot that accepts, /reject as one that refuses (errcode), /fail with 500.
function startReceiver() {
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      received.push({ path: req.url, headers: req.headers, raw, body: JSON.parse(raw) });
      if (req.url.startsWith('/fail')) {
        res.writeHead(500).end('boom');
      } else if (req.url.startsWith('/reject')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":310000,"errmsg":"keywords not in content"}');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
      }
    });
  });
  return new Promise((resolve) => receiver.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${receiver.address().port}`)));
}

async function createHook(body) {
  const res = await cast.admin.post('/api/webhooks', body);
  assert.equal(res.status, 201, describe(res));
  hooks.push(res.json.id);
  return res.json;
}
const deliveries = async (hook) => (await cast.admin.getOk(`/api/webhooks/${hook.id}/deliveries`)).items;

async function reportHazard() {
  const res = await cast.inspector.post('/api/hazards', {
    venueId: venue.id, category, description: `${TAG} 后厨通道堆放纸箱`, location: '后厨', photos: [fileId],
  });
  assert.equal(res.status, 201, describe(res));
  return res.json;
}
async function command(client, h, name, body) {
  const res = await client.post(`/api/hazards/${h.id}/${name}`, body);
  assert.equal(res.status, 200, `${name}: ${describe(res)}`);
  return res.json;
}
const assign = (h) => command(cast.inspector, h, 'assign', { responsiblePerson: '冯建华', supervisorOrgUnitId: org.byName.get('商贸发展岗').id });
const about = async (client, link) => (await client.getOk('/api/notifications?pageSize=200')).items.filter((n) => n.link === link);

before(async () => {
  receiverUrl = await startReceiver();
  await resetServerClock();
  await cast.add('admin', 'admin');
  await cast.add('inspector', 'inspector');
  await cast.add('vm', 'venue_mgr');
  await cast.add('sw', 'sw_officer');
  org = await orgUnits(cast.admin);
  category = (await cast.admin.getOk('/api/hazard-categories')).items[0].code;
  fileId = await uploadPng(cast.admin);
  // managed by venue_mgr; supervised by 商贸发展岗 (sw_officer) and 安全应急岗 (the inspector's department)
  venue = await createVenue(cast.admin, org, {
    name: `消息测试餐馆${uid('v')}`, managerUserId: cast.vm.user.id,
    supervisorOrgUnitIds: [org.byName.get('商贸发展岗').id, org.byName.get('安全应急岗').id],
  });
});

after(async () => {
  await cast.relogin();
  for (const id of hooks) await cast.admin.del(`/api/webhooks/${id}`);
  await resetServerClock();
  receiver.close();
});

test('a hazard command tells the venue manager and the supervising department, never the one who acted', async () => {
  const h = await assign(await reportHazard());
  const link = `/hazards/${h.id}`;
  const [toVm] = await about(cast.vm, link);
  assert.ok(toVm, 'the venue manager was not told of the assignment');
  assert.equal(toVm.event, 'hazard.assigned');
  assert.equal(toVm.eventLabel, '隐患交办');
  assert.match(toVm.title, new RegExp(h.number));
  assert.match(toVm.body, new RegExp(`整改期限 ${h.deadline}`));
  assert.equal(toVm.readAt, null);
  assert.equal((await about(cast.sw, link)).length, 1, 'the supervising department was not told');
  assert.equal((await about(cast.inspector, link)).length, 0, 'the actor was told of its own command');

  // rectification goes to the department (to recheck), not back to the venue that filed it
  await command(cast.vm, h, 'rectify', { measures: '已清理纸箱', photos: [fileId], signedBy: '冯建华' });
  assert.deepEqual((await about(cast.sw, link)).map((n) => n.event).sort(), ['hazard.assigned', 'hazard.rectified']);
  assert.deepEqual((await about(cast.vm, link)).map((n) => n.event), ['hazard.assigned']);

  await command(cast.sw, h, 'recheck', { passed: false, note: '通道仍有杂物' });
  assert.deepEqual((await about(cast.vm, link)).map((n) => n.event), ['hazard.recheck_failed', 'hazard.assigned']);
});

test('reading: one, all, and never somebody else\'s', async () => {
  const h = await assign(await reportHazard());
  const [n] = await about(cast.vm, `/hazards/${h.id}`);
  const { unread } = await cast.vm.getOk('/api/notifications/unread');
  assert.ok(unread >= 1);
  expectError(await cast.sw.post(`/api/notifications/${n.id}/read`), 404, 'NOT_FOUND');
  expectError(await cast.vm.post(`/api/notifications/${MISSING_ID}/read`), 404, 'NOT_FOUND');
  const read = await cast.vm.post(`/api/notifications/${n.id}/read`);
  assert.equal(read.status, 200, describe(read));
  assert.ok(read.json.readAt);
  assert.equal((await cast.vm.getOk('/api/notifications/unread')).unread, unread - 1);
  const unreadOnly = await cast.vm.getOk('/api/notifications?unread=true&pageSize=200');
  assert.ok(unreadOnly.items.every((x) => x.readAt === null && x.id !== n.id));
  const all = await cast.vm.post('/api/notifications/read-all');
  assert.equal(all.status, 200, describe(all));
  assert.ok(all.json.marked >= unread - 1, `marked ${all.json.marked}`);
  assert.equal((await cast.vm.getOk('/api/notifications/unread')).unread, 0);
  expectError(await request('GET', '/api/notifications'), 401, 'UNAUTHENTICATED');
});

test('unread messages paged by beforeId: reading a page does not make the next skip any', async () => {
  for (let i = 0; i < 3; i++) await assign(await reportHazard());
  const unread = (await cast.vm.getOk('/api/notifications?unread=true&pageSize=200')).items.map((x) => x.id);
  assert.ok(unread.length >= 3, `unread ${unread.length}`);
  const first = await cast.vm.getOk('/api/notifications?unread=true&pageSize=2');
  assert.deepEqual(first.items.map((x) => x.id), unread.slice(0, 2));
  for (const n of first.items) assert.equal((await cast.vm.post(`/api/notifications/${n.id}/read`)).status, 200);
  const next = await cast.vm.getOk(`/api/notifications?unread=true&pageSize=2&beforeId=${first.items[1].id}`);
  assert.deepEqual(next.items.map((x) => x.id), unread.slice(2, 4));
  assert.equal(next.total, unread.length - 2, 'total counts the older unread messages only');
  expectError(await cast.vm.get('/api/notifications?beforeId=x'), 400, 'INVALID_VALUE', 'beforeId');
});

test('a webhook is configured with checked fields; its secret is never shown and its key is masked', async () => {
  const good = { name: `${TAG} 专班群`, url: `${receiverUrl}/ok?key=0123456789abcdef`, format: 'wecom', events: ['hazard.assigned'] };
  expectError(await cast.admin.post('/api/webhooks', { ...good, name: '' }), 400, 'REQUIRED', 'name');
  expectError(await cast.admin.post('/api/webhooks', { ...good, url: 'ftp://example.com/x' }), 400, 'INVALID_VALUE', 'url');
  expectError(await cast.admin.post('/api/webhooks', { ...good, url: 'http:// space.example' }), 400, 'INVALID_VALUE', 'url');
  expectError(await cast.admin.post('/api/webhooks', { ...good, url: `https://x.cn/${'a'.repeat(500)}` }), 400, 'TOO_LONG', 'url');
  expectError(await cast.admin.post('/api/webhooks', { ...good, format: 'slack' }), 400, 'INVALID_VALUE', 'format');
  expectError(await cast.admin.post('/api/webhooks', { ...good, events: ['hazard.nope'] }), 400, 'INVALID_VALUE', 'events');
  expectError(await cast.admin.post('/api/webhooks', { ...good, siteUrl: 'javascript:alert(1)' }), 400, 'INVALID_VALUE', 'siteUrl');
  expectError(await cast.admin.post('/api/webhooks', { ...good, token: 'x' }), 400, 'UNKNOWN_FIELD', 'token');
  expectError(await cast.sw.post('/api/webhooks', good), 403, 'FORBIDDEN');

  const hook = await createHook({ ...good, secret: 'topsecret', events: ['hazard.assigned', 'hazard.assigned'] });
  assert.equal(hook.url, `${receiverUrl}/ok?key=****cdef`);
  assert.equal(hook.hasSecret, true);
  assert.ok(!JSON.stringify(hook).includes('topsecret'), 'the secret was echoed');
  assert.deepEqual(hook.events, ['hazard.assigned']);
  assert.equal(hook.enabled, true);
  assert.match(hook.siteUrl, /^http:\/\//, 'siteUrl defaults to the address the console was reached by');

  const listed = await cast.admin.getOk('/api/webhooks');
  assert.ok(listed.items.some((w) => w.id === hook.id));
  assert.ok(listed.events.some((e) => e.key === 'report.received' && e.label));

  const put = await cast.admin.put(`/api/webhooks/${hook.id}`, { enabled: false, secret: '' });
  assert.equal(put.status, 200, describe(put));
  assert.equal(put.json.enabled, false);
  assert.equal(put.json.hasSecret, false);
  assert.equal(put.json.url, hook.url, 'a PUT without url keeps the url');
  expectError(await cast.admin.put(`/api/webhooks/${MISSING_ID}`, { enabled: true }), 404, 'NOT_FOUND');

  const audit = await cast.admin.getOk(`/api/audit-logs?targetType=webhook&targetId=${hook.id}`);
  assert.ok(audit.items.some((a) => a.action === 'webhook.update'), 'no audit row for the update');
  assert.ok(!JSON.stringify(audit).includes('topsecret'), 'the secret reached the audit log');
});

test('test messages: 企业微信 and 钉钉 formats, a robot\'s refusal and an HTTP error are failures', async () => {
  const wecom = await createHook({ name: `${TAG} 企业微信`, url: `${receiverUrl}/ok/wecom?key=k1`, format: 'wecom' });
  let res = await cast.admin.post(`/api/webhooks/${wecom.id}/test`);
  assert.equal(res.status, 200, describe(res));
  assert.deepEqual(res.json, { delivered: true, status: 200, error: '' });
  let got = received.at(-1);
  assert.equal(got.path, '/ok/wecom?key=k1');
  assert.equal(got.body.msgtype, 'markdown');
  assert.match(got.body.markdown.content, /^\*\*【火眼】推送测试\*\*/);

  const ding = await createHook({ name: `${TAG} 钉钉`, url: `${receiverUrl}/ok/ding?access_token=t1`, format: 'dingtalk', secret: 'SECx' });
  res = await cast.admin.post(`/api/webhooks/${ding.id}/test`);
  assert.equal(res.json.delivered, true, describe(res));
  got = received.at(-1);
  const q = new URL(got.path, receiverUrl).searchParams;
  assert.equal(q.get('access_token'), 't1');
  const expected = createHmac('sha256', 'SECx').update(`${q.get('timestamp')}\nSECx`).digest('base64');
  assert.equal(q.get('sign'), expected, '钉钉加签 is wrong');
  assert.equal(got.body.markdown.title, '【火眼】推送测试');

  const refusing = await createHook({ name: `${TAG} 拒收`, url: `${receiverUrl}/reject`, format: 'dingtalk' });
  res = await cast.admin.post(`/api/webhooks/${refusing.id}/test`);
  assert.equal(res.json.delivered, false);
  assert.match(res.json.error, /310000/);
  const failing = await createHook({ name: `${TAG} 故障`, url: `${receiverUrl}/fail`, format: 'json' });
  res = await cast.admin.post(`/api/webhooks/${failing.id}/test`);
  assert.deepEqual([res.json.delivered, res.json.status], [false, 500]);
  const [d] = await deliveries(failing);
  assert.deepEqual([d.event, d.state, d.lastStatus], ['webhook.test', 'failed', 500]);
  expectError(await cast.admin.post(`/api/webhooks/${MISSING_ID}/test`), 404, 'NOT_FOUND');
  for (const h of [wecom, ding, refusing, failing]) await cast.admin.put(`/api/webhooks/${h.id}`, { enabled: false });
});

test('events go out through the outbox to subscribed webhooks only; failures back off, then are given up', async () => {
  const json = await createHook({
    name: `${TAG} JSON`, url: `${receiverUrl}/ok/json`, format: 'json', secret: 'k3y', siteUrl: 'https://huoyan.example.cn/',
    events: ['hazard.assigned'],
  });
  const reportsOnly = await createHook({ name: `${TAG} 举报`, url: `${receiverUrl}/ok/reports`, format: 'wecom', events: ['report.received'] });
  const failing = await createHook({ name: `${TAG} 失败`, url: `${receiverUrl}/fail/events`, format: 'json', events: ['hazard.assigned'] });
  const disabled = await createHook({ name: `${TAG} 停用`, url: `${receiverUrl}/ok/off`, format: 'json', enabled: false });

  const h = await assign(await reportHazard());
  // queued with the assignment (the scheduler's own round may already have sent it)
  const [queued] = await deliveries(json);
  assert.equal(queued?.event, 'hazard.assigned', 'the assignment was not queued');
  assert.equal((await deliveries(reportsOnly)).length, 0, 'an unsubscribed event was queued');
  assert.equal((await deliveries(disabled)).length, 0, 'a disabled webhook was queued');

  const start = await resetServerClock(); // runs the timers, and so drains the outbox
  const sent = received.filter((r) => r.path === '/ok/json' && r.body.link === `https://huoyan.example.cn/hazards/${h.id}`);
  assert.equal(sent.length, 1, 'the assignment did not reach the JSON webhook once');
  const [msg] = sent;
  assert.equal(msg.body.event, 'hazard.assigned');
  assert.match(msg.body.title, new RegExp(h.number));
  assert.equal(msg.headers['x-huoyan-event'], 'hazard.assigned');
  assert.equal(msg.headers['x-huoyan-signature'], `sha256=${createHmac('sha256', 'k3y').update(msg.raw).digest('hex')}`);
  assert.equal((await deliveries(json))[0].state, 'sent');

  // 1, 5, 30 and 120 minutes between the five attempts, then given up
  let [d] = await deliveries(failing);
  assert.deepEqual([d.state, d.attempts, d.lastStatus], ['pending', 1, 500]);
  assert.ok(Math.abs(Date.parse(d.nextAttemptAt) - (start + MINUTE)) < 5000, `next attempt ${d.nextAttemptAt}`);
  let at = start;
  for (const [wait, attempts] of [[1, 2], [5, 3], [30, 4]]) {
    at += (wait + 0.5) * MINUTE;
    await cast.jumpTo(at);
    [d] = await deliveries(failing);
    assert.deepEqual([d.state, d.attempts], ['pending', attempts], `after ${wait} min`);
  }
  await cast.jumpTo(at + 119 * MINUTE);
  assert.equal((await deliveries(failing))[0].attempts, 4, 'retried before its time');
  await cast.jumpTo(at + 121 * MINUTE);
  [d] = await deliveries(failing);
  assert.deepEqual([d.state, d.attempts, d.lastStatus], ['failed', 5, 500]);
  assert.equal(received.filter((r) => r.path === '/ok/json').length, 1, 'a delivered message was sent again');

  // A public report (past the per-IP hour of earlier tests) reaches the report webhook and the triagers, not the venue.
  await cast.jumpTo(at + 3 * HOUR);
  const rep = await request('POST', '/api/public/reports', { body: { venueToken: venue.qrToken, category: 'blocked_exit', description: `${TAG} 后门被锁` } });
  assert.equal(rep.status, 201, describe(rep));
  await serverClockTo(at + 3 * HOUR + MINUTE); // the report was queued at the jump's "now", a moment after at + 3 h
  const toReports = received.filter((r) => r.path === '/ok/reports');
  assert.equal(toReports.length, 1, 'the report did not reach its webhook once');
  assert.match(toReports[0].body.markdown.content, new RegExp(rep.json.trackingCode));
  const triage = (await cast.sw.getOk('/api/notifications?pageSize=50')).items.filter((n) => n.event === 'report.received' && n.title.includes(rep.json.trackingCode));
  assert.equal(triage.length, 1, 'the supervising department was not told of the report');
  const leak = (await cast.vm.getOk('/api/notifications?pageSize=200')).items.filter((n) => n.title.includes(rep.json.trackingCode));
  assert.equal(leak.length, 0, 'the venue was told of a report against it');
});
