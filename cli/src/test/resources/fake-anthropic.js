// A fake Anthropic Messages API for tests: logs every request, answers /v1/messages with one text block.
const http = require('http'), fs = require('fs');
http.createServer((req, res) => {
  let body = '';
  req.on('data', c => body += c);
  req.on('end', () => {
    fs.appendFileSync('/tmp/requests.log', JSON.stringify({method: req.method, url: req.url,
      key: req.headers['x-api-key'] || null, auth: req.headers['authorization'] || null}) + '\n');
    if (!req.url.startsWith('/v1/messages')) { res.writeHead(404, {'content-type': 'application/json'});
      return res.end('{"type":"error","error":{"type":"not_found_error","message":"not here"}}'); }
    let stream = false; try { stream = JSON.parse(body).stream === true; } catch (e) {}
    const msg = {id: 'msg_fake', type: 'message', role: 'assistant', model: 'claude-fake', stop_reason: 'end_turn',
      stop_sequence: null, usage: {input_tokens: 5, output_tokens: 3}};
    if (!stream) { res.writeHead(200, {'content-type': 'application/json'});
      return res.end(JSON.stringify({...msg, content: [{type: 'text', text: 'FAKE-REPLY-42'}]})); }
    res.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-cache'});
    const ev = (t, d) => res.write('event: ' + t + '\ndata: ' + JSON.stringify(d) + '\n\n');
    ev('message_start', {type: 'message_start', message: {...msg, content: [], stop_reason: null,
      usage: {input_tokens: 5, output_tokens: 1}}});
    ev('content_block_start', {type: 'content_block_start', index: 0, content_block: {type: 'text', text: ''}});
    ev('content_block_delta', {type: 'content_block_delta', index: 0, delta: {type: 'text_delta', text: 'FAKE-REPLY-42'}});
    ev('content_block_stop', {type: 'content_block_stop', index: 0});
    ev('message_delta', {type: 'message_delta', delta: {stop_reason: 'end_turn', stop_sequence: null},
      usage: {output_tokens: 3}});
    ev('message_stop', {type: 'message_stop'});
    res.end();
  });
}).listen(80);
