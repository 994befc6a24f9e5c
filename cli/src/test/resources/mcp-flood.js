// An agent that floods the person through supervise: notifications past the rate, texts past their
// length, more questions than may wait. Prints one JSON line of what it got back.
const http = require('http');
const target = new URL(process.env.MCP_SUPERVISE_URL);
let id = 0;

function post(body, session) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const headers = {'content-type': 'application/json', 'accept': 'application/json, text/event-stream',
      'content-length': Buffer.byteLength(data)};
    if (session) headers['mcp-session-id'] = session;
    const req = http.request({hostname: target.hostname, port: target.port, path: target.pathname, method: 'POST',
      headers}, res => {
      let text = '';
      res.on('data', c => text += c);
      res.on('end', () => resolve({session: res.headers['mcp-session-id'], status: res.statusCode, text}));
    });
    req.on('error', reject);
    req.end(data);
  });
}

function call(session, name, args) {
  return post({jsonrpc: '2.0', id: ++id, method: 'tools/call', params: {name, arguments: args}}, session)
    .then(r => ({refused: r.text.includes('"isError":true'), text: r.text}));
}

(async () => {
  const init = await post({jsonrpc: '2.0', id: ++id, method: 'initialize', params: {protocolVersion: '2025-03-26',
    capabilities: {}, clientInfo: {name: 'flood', version: '1'}}});
  const session = init.session;
  await post({jsonrpc: '2.0', method: 'notifications/initialized'}, session);
  const out = {delivered: 0, dropped: 0, hugeRefused: false, longQuestionRefused: false, questionsRefused: 0};
  // more questions than may wait: those refused answer at once, the rest wait for a person
  for (let i = 0; i < 12; i++) {
    call(session, 'request_approval', {title: 'question ' + i, kind: 'egress'})
      .then(r => { if (r.refused) out.questionsRefused++; }, () => {});
  }
  await new Promise(done => setTimeout(done, 5000));
  // then notifications past what is left of the minute's rate
  for (let i = 0; i < 60; i++) {
    const r = await call(session, 'notify', {message: 'flood ' + i + ' ' + 'x'.repeat(3000)});
    if (r.refused) out.dropped++; else out.delivered++;
  }
  out.hugeRefused = (await call(session, 'notify', {message: 'x'.repeat(1 << 20)})).refused;
  out.longQuestionRefused = (await call(session, 'request_approval', {title: 'long', details: 'd'.repeat(1 << 20)}))
    .refused;
  console.log(JSON.stringify(out));
  process.exit(0);
})().catch(e => { console.log(JSON.stringify({error: String(e)})); process.exit(1); });
