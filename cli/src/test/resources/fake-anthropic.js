// A fake Anthropic Messages API for tests: logs every request, answers /v1/messages with one text block.
// Plain HTTP on port 80, or HTTPS on 443 when TLS_CERT and TLS_KEY name PEM files.
// FRAMING (or a request's x-framing header, which Claude Code sends when ANTHROPIC_CUSTOM_HEADERS names it)
// says how a streamed (SSE) answer is framed: chunked (default), close (no length, the end of the
// connection ends the body, as HTTP/1.1 allows) or length (Content-Length).
// REPLY is the text of the answer (default FAKE-REPLY-42).
// SIGN_IN_REFRESH (a refresh token) makes it Claude's token endpoint too (POST /v1/oauth/token, as
// platform.claude.com): refresh tokens work once and rotate, access tokens live ACCESS_TTL seconds
// (default 3600), a spent refresh token gets invalid_grant; a Bearer token the endpoint did not issue,
// or that expired, gets 401 from /v1/messages. Its state is kept in /tmp/oauth.json for the tests.
const http = require('http'), https = require('https'), fs = require('fs');
const reply = process.env.REPLY || 'FAKE-REPLY-42';
// reuses counts spent refresh tokens sent again (which would sign the host out), unknown the ones never issued
const oauth = {live: process.env.SIGN_IN_REFRESH ? [process.env.SIGN_IN_REFRESH] : [], spent: [], access: {},
  refreshes: 0, reuses: 0, unknown: 0, issued: [], n: 0};
const ttl = Number(process.env.ACCESS_TTL || 3600);
const save = () => fs.writeFileSync('/tmp/oauth.json', JSON.stringify(oauth));
save();

function token(body, res) {
  let grant = {};
  try { grant = JSON.parse(body); } catch (e) {}
  const at = oauth.live.indexOf(grant.refresh_token);
  if (grant.grant_type !== 'refresh_token' || at < 0) {
    if (oauth.spent.includes(grant.refresh_token)) { oauth.reuses++; } else { oauth.unknown++; }
    save();
    res.writeHead(400, {'content-type': 'application/json'});
    return res.end('{"error":"invalid_grant","error_description":"Invalid refresh token"}');
  }
  oauth.live.splice(at, 1);
  oauth.spent.push(grant.refresh_token);
  oauth.n++;
  oauth.refreshes++;
  const access = 'sk-ant-oat01-FAKE-LIVE-ACCESS-' + oauth.n + '-' + Date.now();
  const refresh = 'sk-ant-ort01-FAKE-LIVE-REFRESH-' + oauth.n + '-' + Date.now();
  oauth.live.push(refresh);
  oauth.access[access] = Date.now() + ttl * 1000;
  oauth.issued.push(access, refresh);
  save();
  res.writeHead(200, {'content-type': 'application/json'});
  res.end(JSON.stringify({token_type: 'Bearer', access_token: access, refresh_token: refresh, expires_in: ttl,
    scope: grant.scope || 'user:inference user:profile'}));
}

// SETUP_TOKENS (comma-separated) are long-lived tokens the API takes besides the endpoint's own.
const setup = (process.env.SETUP_TOKENS || '').split(',').filter(t => t);
function liveBearer(auth) {
  const t = (auth || '').replace(/^Bearer /, '');
  return !process.env.SIGN_IN_REFRESH || !auth || setup.includes(t) || (oauth.access[t] || 0) > Date.now();
}

function handle(req, res) {
  let body = '';
  req.on('data', c => body += c);
  req.on('end', () => {
    fs.appendFileSync('/tmp/requests.log', JSON.stringify({method: req.method, host: req.headers.host || null,
      url: req.url, key: req.headers['x-api-key'] || null, auth: req.headers['authorization'] || null,
      beta: req.headers['anthropic-beta'] || null, framing: req.headers['x-framing'] || null}) + '\n');
    const url = req.url.split('?')[0];
    if (url === '/v1/oauth/token' && req.method === 'POST') {
      return token(body, res);
    }
    if (!liveBearer(req.headers['authorization'])) {
      res.writeHead(401, {'content-type': 'application/json'});
      return res.end('{"type":"error","error":{"type":"authentication_error","message":"OAuth token has expired"}}');
    }
    const framing = req.headers['x-framing'] || process.env.FRAMING || 'chunked';
    if (url === '/v1/messages/count_tokens') {
      res.writeHead(200, {'content-type': 'application/json'});
      return res.end('{"input_tokens":5}');
    }
    if (url !== '/v1/messages') {
      res.writeHead(404, {'content-type': 'application/json'});
      return res.end('{"type":"error","error":{"type":"not_found_error","message":"not here"}}');
    }
    let request = {};
    try { request = JSON.parse(body); } catch (e) {}
    const msg = {id: 'msg_fake', type: 'message', role: 'assistant', model: request.model || 'claude-fake',
      stop_reason: 'end_turn', stop_sequence: null, usage: {input_tokens: 5, output_tokens: 3}};
    if (request.stream !== true) {
      res.writeHead(200, {'content-type': 'application/json'});
      return res.end(JSON.stringify({...msg, content: [{type: 'text', text: reply}]}));
    }
    const events = [];
    const ev = (t, d) => events.push('event: ' + t + '\ndata: ' + JSON.stringify(d) + '\n\n');
    ev('message_start', {type: 'message_start', message: {...msg, content: [], stop_reason: null,
      usage: {input_tokens: 5, output_tokens: 1}}});
    ev('content_block_start', {type: 'content_block_start', index: 0, content_block: {type: 'text', text: ''}});
    ev('content_block_delta', {type: 'content_block_delta', index: 0, delta: {type: 'text_delta', text: reply}});
    ev('content_block_stop', {type: 'content_block_stop', index: 0});
    ev('message_delta', {type: 'message_delta', delta: {stop_reason: 'end_turn', stop_sequence: null},
      usage: {output_tokens: 3}});
    ev('message_stop', {type: 'message_stop'});
    if (framing === 'length') {
      const all = Buffer.from(events.join(''));
      res.writeHead(200, {'content-type': 'text/event-stream', 'content-length': all.length});
      return res.end(all);
    }
    if (framing === 'close') {
      // Written on the socket itself: no Content-Length, not chunked; closing the connection ends the body.
      const socket = res.socket;
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n'
        + 'connection: close\r\n\r\n');
      events.forEach(e => socket.write(e));
      return socket.end();
    }
    res.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-cache'});
    events.forEach(e => res.write(e));
    res.end();
  });
}

if (process.env.TLS_CERT) {
  https.createServer({cert: fs.readFileSync(process.env.TLS_CERT), key: fs.readFileSync(process.env.TLS_KEY)}, handle)
    .listen(443);
} else {
  http.createServer(handle).listen(80);
}
