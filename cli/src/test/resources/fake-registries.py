# Local registries for tests, over HTTPS (TLS_CERT, TLS_KEY) on port 443, answering under the real
# names: PyPI with one package, bottle-probe 1.0 (its simple-API page at pypi.org/simple/bottle-probe/
# and its wheel under files.pythonhosted.org/packages/), and the Go module proxy with one module,
# github.com/acme/hello v1.0.0 (proxy.golang.org/github.com/acme/hello/@v/...), and GitHub's API and raw
# files for one repository, acme/app (api.github.com/repos/acme/app, raw.githubusercontent.com/acme/app/
# main/README.md). Each is made at start.
# Every request is logged to /tmp/requests.log as method, host, path.
import base64, hashlib, http.server, io, json, os, ssl, zipfile

files = {
    "bottle_probe/__init__.py": b'VALUE = "installed through the gateway"\n',
    "bottle_probe-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: bottle-probe\nVersion: 1.0\n",
    "bottle_probe-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
record = "".join("%s,sha256=%s,%d\n" % (name, base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
                 .decode(), len(data)) for name, data in files.items()) + "bottle_probe-1.0.dist-info/RECORD,,\n"
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w") as wheel:
    for name, data in files.items():
        wheel.writestr(name, data)
    wheel.writestr("bottle_probe-1.0.dist-info/RECORD", record)
WHEEL = buffer.getvalue()
WHEEL_PATH = "/packages/b0/77/bottle_probe-1.0-py3-none-any.whl"
PAGE = ('<!DOCTYPE html><html><body><a href="https://files.pythonhosted.org%s#sha256=%s">'
        'bottle_probe-1.0-py3-none-any.whl</a></body></html>' % (WHEEL_PATH, hashlib.sha256(WHEEL).hexdigest())).encode()

GO_MODULE = "github.com/acme/hello"
GO_MOD = b"module github.com/acme/hello\n\ngo 1.19\n"
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w") as module:
    module.writestr(GO_MODULE + "@v1.0.0/go.mod", GO_MOD)
    module.writestr(GO_MODULE + "@v1.0.0/hello.go", b'package hello\n\nconst Value = "built through the gateway"\n')
GO = {
    "/" + GO_MODULE + "/@v/list": (b"v1.0.0\n", "text/plain; charset=utf-8"),
    "/" + GO_MODULE + "/@v/v1.0.0.info": (json.dumps({"Version": "v1.0.0", "Time": "2024-01-01T00:00:00Z"}).encode(),
                                          "application/json"),
    "/" + GO_MODULE + "/@v/v1.0.0.mod": (GO_MOD, "text/plain; charset=utf-8"),
    "/" + GO_MODULE + "/@v/v1.0.0.zip": (buffer.getvalue(), "application/zip"),
}


class Registry(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, body_too):
        host = (self.headers.get("host") or "").split(":")[0]
        with open("/tmp/requests.log", "a") as log:
            log.write("%s %s %s\n" % (self.command, host, self.path))
        if host == "pypi.org" and self.path.rstrip("/") == "/simple/bottle-probe":
            body, kind = PAGE, "text/html"
        elif host == "files.pythonhosted.org" and self.path == WHEEL_PATH:
            body, kind = WHEEL, "application/octet-stream"
        elif host == "proxy.golang.org" and self.path in GO:
            body, kind = GO[self.path]
        elif host == "api.github.com" and self.path == "/repos/acme/app":
            body, kind = json.dumps({"full_name": "acme/app", "default_branch": "main"}).encode(), "application/json"
        elif host == "raw.githubusercontent.com" and self.path == "/acme/app/main/README.md":
            body, kind = b"acme app, read through the gateway\n", "text/plain; charset=utf-8"
        else:
            body, kind = b"not found\n", "text/plain"
        self.send_response(404 if body == b"not found\n" else 200)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        if body_too:
            self.wfile.write(body)

    def do_GET(self):
        self.answer(True)

    def do_HEAD(self):
        self.answer(False)

    def do_POST(self):
        self.answer(True)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("0.0.0.0", 443), Registry)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(os.environ["TLS_CERT"], os.environ["TLS_KEY"])
server.socket = context.wrap_socket(server.socket, server_side=True)
print("registry ready", flush=True)
server.serve_forever()
