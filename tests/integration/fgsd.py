"""Test harness: start a real fgsd on 127.0.0.1 with a temporary data dir and
talk to it over HTTP. Standard library only.

    with Fgsd() as s:
        st, body, hdrs = s.call("GET", "/functions")
        s.check(st == 200, "list works")

Tests print TAP-ish lines; `done()` exits non-zero if any check failed.
"""
import base64
import http.client
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile

BUILD = os.environ.get("FGS_BUILD_DIR") or os.path.join(os.path.dirname(__file__), "..", "..", "build")
FGSD = os.path.join(BUILD, "fgsd")
PROJECT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"

_failures = 0
_checks = 0


def check(cond, what):
    """Records one assertion; prints ok/not ok like TAP."""
    global _failures, _checks
    _checks += 1
    if cond:
        print("ok %d - %s" % (_checks, what))
    else:
        _failures += 1
        print("not ok %d - %s" % (_checks, what))
    sys.stdout.flush()
    return cond


def done():
    print("# %d checks, %d failed" % (_checks, _failures))
    sys.exit(1 if _failures else 0)


def b64(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.b64encode(data).decode()


def make_zip(files):
    """files: {name: bytes|str} -> zip bytes."""
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return bio.getvalue()


def inline_function(name, **over):
    body = {
        "func_name": name,
        "package": "default",
        "runtime": "Python3.9",
        "handler": "index.handler",
        "memory_size": 128,
        "timeout": 30,
        "code_type": "inline",
        "func_code": {"file": b64("def handler(event, context):\n    return {'ok': True}\n")},
    }
    body.update(over)
    return body


class Fgsd:
    """A running fgsd. Keeps its data dir across restart() until close()."""

    def __init__(self, args=None, data_dir=None, auth_none=True):
        self.args = list(args or [])
        self.auth_none = auth_none
        self.own_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="fgsd-it-")
        self.proc = None
        self.port = None
        self.project = PROJECT
        self.start()

    def start(self):
        cmd = [FGSD, "--listen", "127.0.0.1:0", "--data-dir", self.data_dir] + self.args
        if self.auth_none:
            cmd += ["--auth", "none"]
        self.stderr = open(os.path.join(self.data_dir, "fgsd.log"), "ab")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.stderr)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("listening on http://"):
            raise RuntimeError("fgsd did not start: %r (see %s/fgsd.log)" % (line, self.data_dir))
        self.base = line.split()[-1]
        self.port = int(self.base.rsplit(":", 1)[1])
        self.conn = None

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        rc = self.proc.returncode if self.proc else None
        self.proc = None
        if self.conn:
            self.conn.close()
            self.conn = None
        self.stderr.close()
        return rc

    def restart(self, sig=signal.SIGTERM):
        self.stop(sig)
        self.start()

    def close(self):
        rc = self.stop()
        check(rc == 0, "fgsd exits 0 on SIGTERM (got %s)" % rc)
        with open(os.path.join(self.data_dir, "fgsd.log"), "rb") as f:
            log = f.read().decode(errors="replace")
        bad = [l for l in log.splitlines()
               if "AddressSanitizer" in l or "LeakSanitizer" in l or "runtime error:" in l]
        if not check(not bad, "no sanitizer reports in fgsd's log"):
            sys.stdout.write(log[-6000:])
        if self.own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def raw(self, method, target, body=None, headers=None):
        """Sends one request with an exact target; returns (status, bytes, headers)."""
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        hdrs = {"Content-Type": "application/json"}
        hdrs.update(headers or {})
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, target, body=body, headers=hdrs)
                r = self.conn.getresponse()
                data = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return r.status, data, {k.lower(): v for k, v in r.getheaders()}
            except (http.client.HTTPException, ConnectionError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise

    def call(self, method, path, body=None, headers=None, project=None, prefix="/v2/%s/fgs"):
        """Calls an API path (relative to /v2/{project}/fgs); returns (status, json|None, headers)."""
        st, data, hdrs = self.raw(method, (prefix % (project or self.project)) + path, body, headers)
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = data
        return st, parsed, hdrs

    def urn(self, name, qualifier=None, package="default", region="local"):
        u = "urn:fss:%s:%s:function:%s:%s" % (region, self.project, package, name)
        return u + (":" + qualifier if qualifier else "")
