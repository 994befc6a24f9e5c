// Runs in the guest: sends every case of cases.json (read from standard input) through the gateway
// as the case describes it, and prints one JSON line a case: {id, blocked, how}. A case is blocked
// when the gateway refuses it (a 4xx/5xx of its own, a refused CONNECT, a WebSocket closed with 1008)
// and passed when the sink's 200 (or an open WebSocket) comes back.
const http = require('http'), tls = require('tls'), crypto = require('crypto');
const proxy = new URL(process.env.HTTPS_PROXY);
const input = [];
process.stdin.on('data', d => input.push(d)).on('end', async () => {
  for (const c of JSON.parse(Buffer.concat(input).toString())) {
    let result;
    try {
      result = c.transport === 'websocket' ? await ws(c) : await request(c);
    } catch (e) {
      result = {blocked: true, how: 'error: ' + e.message};
    }
    console.log(JSON.stringify({id: c.id, ...result}));
  }
});

function gatewaySays(status, body) {
  return {blocked: status !== 200, how: status + ' ' + String(body).split('\n')[0].slice(0, 120)};
}

/** A CONNECT tunnel to host:port, TLS inside it; resolves to the TLS socket, or a refusal. */
function tunnel(host, port) {
  return new Promise((resolve, reject) => {
    http.request({host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: host + ':' + port})
      .on('connect', (res, socket) => {
        if (res.statusCode !== 200) { socket.destroy(); return resolve({refused: res.statusCode}); }
        const s = tls.connect({socket, servername: host}, () => resolve({socket: s}));
        s.on('error', reject);
      }).on('error', reject).end();
  });
}

function rawExchange(socket, text) {
  return new Promise((resolve) => {
    let data = '';
    socket.on('data', d => { data += d; if (complete(data)) { socket.destroy(); } });
    socket.on('close', () => resolve(data));
    socket.on('error', () => resolve(data));
    socket.write(text);
    setTimeout(() => socket.destroy(), 10000);
  });
}

function complete(data) {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const m = /content-length: *(\d+)/i.exec(data.slice(0, end));
  return m ? data.length >= end + 4 + Number(m[1]) : true;
}

async function request(c) {
  const p = c.payload, url = new URL(p.url);
  const headers = Object.assign({}, p.headers || {});
  if (p.content_type) headers['Content-Type'] = p.content_type;
  const body = p.body ? Buffer.from(p.body) : Buffer.alloc(0);
  if (body.length) headers['Content-Length'] = body.length;
  const hostHeader = url.host;
  const head = (target) => `${p.method || 'GET'} ${target} HTTP/1.1\r\nHost: ${hostHeader}\r\n`
    + Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('') + 'Connection: close\r\n\r\n';
  let socket;
  if (url.protocol === 'https:') {
    const t = await tunnel(url.hostname.replace(/^\[|\]$/g, ''), url.port || 443);
    if (t.refused) return {blocked: true, how: 'CONNECT ' + t.refused};
    socket = t.socket;
    const answer = await rawExchange(socket, head(url.pathname + url.search) + body.toString('latin1'));
    return parsed(answer);
  }
  socket = require('net').connect(proxy.port, proxy.hostname);
  const answer = await rawExchange(socket, head(p.url) + body.toString('latin1'));
  return parsed(answer);
}

function parsed(answer) {
  const m = /^HTTP\/1\.1 (\d+)/.exec(answer);
  if (!m) return {blocked: true, how: 'closed without a response'};
  return gatewaySays(Number(m[1]), answer.slice(answer.indexOf('\r\n\r\n') + 4));
}

function frame(f) {
  const opcodes = {continuation: 0, text: 1, binary: 2};
  const payload = f.encoding === 'base64' ? Buffer.from(f.payload, 'base64') : Buffer.from(f.payload);
  const fin = f.fin === false ? 0 : 0x80, rsv1 = f.rsv1 ? 0x40 : 0;
  const mask = crypto.randomBytes(4);
  const len = payload.length;
  const header = len < 126 ? Buffer.from([fin | rsv1 | opcodes[f.opcode], 0x80 | len])
    : Buffer.from([fin | rsv1 | opcodes[f.opcode], 0x80 | 126, len >> 8, len & 255]);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  return Buffer.concat([header, mask, masked]);
}

async function ws(c) {
  const url = new URL(c.payload.url);
  const t = await tunnel(url.hostname, url.port || 443);
  if (t.refused) return {blocked: true, how: 'CONNECT ' + t.refused};
  const s = t.socket;
  return new Promise((resolve) => {
    let data = Buffer.alloc(0), open = false, done = false;
    const finish = (r) => { if (!done) { done = true; s.destroy(); resolve(r); } };
    s.on('data', d => {
      data = Buffer.concat([data, d]);
      if (!open) {
        const text = data.toString('latin1');
        if (text.indexOf('\r\n\r\n') < 0) return;
        const status = Number(/^HTTP\/1\.1 (\d+)/.exec(text)[1]);
        if (status !== 101) return finish(gatewaySays(status, text.slice(text.indexOf('\r\n\r\n') + 4)));
        open = true;
        data = data.subarray(text.indexOf('\r\n\r\n') + 4);
        for (const f of c.payload.frames) s.write(frame(f));
        setTimeout(() => finish({blocked: false, how: 'frames passed'}), 1500);
      }
      // a close frame from the gateway: 0x88, then the code
      if (open && data.length >= 4 && data[0] === 0x88) {
        finish({blocked: true, how: 'closed ' + data.readUInt16BE(2)});
      }
    });
    s.on('close', () => finish({blocked: open, how: open ? 'connection closed' : 'closed before 101'}));
    s.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
      + `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  });
}
