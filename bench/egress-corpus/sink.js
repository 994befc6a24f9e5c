// The sink every case host resolves to: HTTPS on 443 and HTTP on 80, answering 200 to every request
// and accepting every WebSocket handshake (then reading frames and answering none). Logs nothing
// it receives: only the gateway's decisions are measured.
const https = require('https'), http = require('http'), fs = require('fs'), crypto = require('crypto');
function handle(q, s) { q.resume(); q.on('end', () => { s.writeHead(200, {'content-type': 'text/plain'}); s.end('ok\n'); }); }
function upgrade(q, socket) {
  const accept = crypto.createHash('sha1').update(q.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ' + accept + '\r\n\r\n');
  socket.on('data', () => {});
  socket.on('error', () => {});
}
const tls = https.createServer({cert: fs.readFileSync('/certs/server.crt'), key: fs.readFileSync('/certs/server.key')}, handle);
tls.on('upgrade', upgrade);
tls.listen(443);
const plain = http.createServer(handle);
plain.on('upgrade', upgrade);
plain.listen(80);
