// A local npm registry for tests, over HTTPS (TLS_CERT, TLS_KEY), or plain HTTP on port 80 without
// them: one package, left-pad 1.3.0, its metadata at /left-pad and its tarball, made at start. Other
// paths answer "hello from HOST"; every request is logged with the x-api-key it carried.
const http = require('http'), https = require('https'), fs = require('fs'), crypto = require('crypto'),
  cp = require('child_process');
const tls = !!process.env.TLS_CERT;
const dir = fs.mkdtempSync('/tmp/registry-');
fs.mkdirSync(dir + '/package');
fs.writeFileSync(dir + '/package/package.json', JSON.stringify({name: 'left-pad', version: '1.3.0', main: 'index.js'}));
fs.writeFileSync(dir + '/package/index.js',
  "module.exports = (s, n, c) => String(s).padStart(n, c === undefined ? ' ' : String(c));\n");
cp.execFileSync('tar', ['-czf', dir + '/left-pad-1.3.0.tgz', '-C', dir, 'package']);
const tarball = fs.readFileSync(dir + '/left-pad-1.3.0.tgz');

const serve = (q, s) => {
  q.resume();
  q.on('end', () => {
    const host = (q.headers.host || '').split(':')[0];
    fs.appendFileSync('/tmp/requests.log', JSON.stringify({host: host, url: q.url,
      key: q.headers['x-api-key'] || null}) + '\n');
    const base = (tls ? 'https://' : 'http://') + host;
    if (q.url === '/left-pad') {
      const meta = {name: 'left-pad', 'dist-tags': {latest: '1.3.0'}, versions: {'1.3.0': {name: 'left-pad',
        version: '1.3.0', main: 'index.js', dist: {tarball: base + '/left-pad/-/left-pad-1.3.0.tgz',
          shasum: crypto.createHash('sha1').update(tarball).digest('hex'),
          integrity: 'sha512-' + crypto.createHash('sha512').update(tarball).digest('base64')}}}};
      s.writeHead(200, {'content-type': 'application/json'});
      return s.end(JSON.stringify(meta));
    }
    if (q.url === '/left-pad/-/left-pad-1.3.0.tgz') {
      s.writeHead(200, {'content-type': 'application/octet-stream', 'content-length': tarball.length});
      return s.end(tarball);
    }
    s.end('hello from ' + host + '\n');
  });
};
const server = tls ? https.createServer({cert: fs.readFileSync(process.env.TLS_CERT),
  key: fs.readFileSync(process.env.TLS_KEY)}, serve) : http.createServer(serve);
server.listen(tls ? 443 : 80, () => console.log('registry ready'));
