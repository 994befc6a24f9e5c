// A git server for tests over HTTPS (TLS_CERT, TLS_KEY): git's own smart-HTTP backend (git http-backend,
// run as CGI) serving the bare repositories app.git and lib.git, each made at start with one commit
// whose README holds the repository's name. Every request is logged.
const https = require('https'), fs = require('fs'), cp = require('child_process');
for (const name of ['app', 'lib']) {
  cp.execFileSync('sh', ['-c', `set -e; mkdir -p /srv/git; w=$(mktemp -d); git init -q -b main "$w"; echo ${name} > "$w/README";
    git -C "$w" add README; git -C "$w" -c user.name=it -c user.email=it@git.test commit -qm init;
    git clone -q --bare "$w" /srv/git/${name}.git`]);
}

https.createServer({cert: fs.readFileSync(process.env.TLS_CERT), key: fs.readFileSync(process.env.TLS_KEY)}, (q, s) => {
  const [path, query] = q.url.split('?');
  fs.appendFileSync('/tmp/requests.log', JSON.stringify({host: q.headers.host || null, method: q.method,
    url: q.url}) + '\n');
  const cgi = cp.spawn('git', ['http-backend'], {env: {...process.env, GIT_PROJECT_ROOT: '/srv/git',
    GIT_HTTP_EXPORT_ALL: '1', PATH_INFO: path, QUERY_STRING: query || '', REQUEST_METHOD: q.method,
    CONTENT_TYPE: q.headers['content-type'] || '', HTTP_CONTENT_ENCODING: q.headers['content-encoding'] || '',
    GIT_PROTOCOL: q.headers['git-protocol'] || '', REMOTE_ADDR: q.socket.remoteAddress}});
  q.pipe(cgi.stdin);
  let head = Buffer.alloc(0), started = false;
  cgi.stdout.on('data', (data) => {
    if (started) {
      return s.write(data);
    }
    head = Buffer.concat([head, data]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) {
      return;
    }
    started = true;
    let status = 200;
    const headers = {};
    for (const line of head.subarray(0, end).toString().split('\r\n')) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim(), value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') {
        status = parseInt(value, 10);
      } else {
        headers[name] = value;
      }
    }
    s.writeHead(status, headers);
    s.write(head.subarray(end + 4));
  });
  cgi.stdout.on('end', () => s.end());
}).listen(443);
