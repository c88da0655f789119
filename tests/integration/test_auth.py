"""AK/SK (SDK-HMAC-SHA256) verification in fgsd's default mode: signed
requests from an independent Python signer pass; any change to method, path,
query, a signed header or the body, an unknown key, a stale date or a key of
another project is refused; credentials are generated once, 0600."""
import datetime
import hashlib
import hmac
import json
import os
import stat
import subprocess
import tempfile
import urllib.parse

from fgsd import FGSD, Fgsd, b64, check, done, inline_function


def enc(s):
    return urllib.parse.quote(s, safe="-_.~")


def sign(method, path, query, headers, body, ak, sk, signed=None):
    """Signs like the official SDKs; returns the Authorization value."""
    segs = [enc(urllib.parse.unquote(x)) for x in path.split("/")]
    curi = "/".join(segs)
    if not curi.endswith("/"):
        curi += "/"
    cq = "&".join("%s=%s" % (enc(k), enc(v)) for k, v in sorted(query))
    lower = {k.lower(): v for k, v in headers.items()}
    names = sorted(signed or lower.keys())
    ch = "".join("%s:%s\n" % (n, lower[n].strip()) for n in names)
    payload = lower.get("x-sdk-content-sha256") or hashlib.sha256(body).hexdigest()
    creq = "\n".join([method, curi, cq, ch, ";".join(names), payload])
    sts = "SDK-HMAC-SHA256\n%s\n%s" % (lower["x-sdk-date"], hashlib.sha256(creq.encode()).hexdigest())
    sig = hmac.new(sk.encode(), sts.encode(), hashlib.sha256).hexdigest()
    return "SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s" % (ak, ";".join(names), sig)


def now(offset=0):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset)
    return t.strftime("%Y%m%dT%H%M%SZ")


class Client:
    def __init__(self, s, ak, sk, project):
        self.s, self.ak, self.sk, self.project = s, ak, sk, project

    def request(self, method, path, body=None, query=(), tamper=None, date=None, signed=None,
                extra=None, project=None, ak=None):
        full = "/v2/%s/fgs%s" % (project or self.project, path)
        data = json.dumps(body).encode() if body is not None else b""
        hdrs = {"content-type": "application/json", "host": "127.0.0.1:%d" % self.s.port,
                "x-project-id": project or self.project, "x-sdk-date": date or now()}
        hdrs.update(extra or {})
        hdrs["Authorization"] = sign(method, full, query, hdrs, data, ak or self.ak, self.sk, signed)
        target = full + ("?" + "&".join("%s=%s" % (enc(k), enc(v)) for k, v in query) if query else "")
        if tamper:
            method, target, hdrs, data = tamper(method, target, hdrs, data)
        del hdrs["host"]  # http.client sends its own Host, identical
        st, raw, _ = self.s.raw(method, target, data or None, hdrs)
        return st, json.loads(raw) if raw else None


with Fgsd(auth_none=False) as s:
    path = os.path.join(s.data_dir, "credentials")
    check(os.path.exists(path), "first start generates a credentials file")
    check(stat.S_IMODE(os.stat(path).st_mode) == 0o600, "credentials file is mode 0600")
    line = [l for l in open(path) if l.strip() and not l.startswith("#")][0].split()
    ak, sk, project = line[0], line[1], line[2]
    check(len(ak) == 20 and len(sk) == 40 and len(project) == 32, "generated AK/SK/project shape")
    c = Client(s, ak, sk, project)

    st, e, _ = s.call("GET", "/functions", project=project)
    check(st == 401 and e["error_code"] == "APIGW.0301" and "request_id" in e, "unsigned request is 401")
    st, f = c.request("POST", "/functions", inline_function("signed"))
    check(st == 200 and f["func_name"] == "signed", "signed create accepted")
    st, l = c.request("GET", "/functions", query=[("maxitems", "10"), ("marker", "0")])
    check(st == 200 and l["count"] == 1, "signed GET with query accepted")
    st, l = c.request("GET", "/functions", query=[("func_name", "sig ned+x!*'()")])
    check(st == 200, "special characters in the query verify")
    urn = "urn:fss:local:%s:function:default:signed:latest" % project
    st, g = c.request("GET", "/functions/%s/config" % urn)
    check(st == 200, "raw ':' URN path verifies")
    st, g = c.request("GET", "/functions/%s/config" % urn.replace(":", "%3A"))
    check(st == 200, "percent-encoded URN path verifies")
    st, g = c.request("GET", "/functions/signed/config", signed=["x-project-id", "x-sdk-date"])
    check(st == 200, "Go-style signing (no host, no content-type) verifies")
    st, g = c.request("PUT", "/functions/signed/code", {"code_type": "inline", "func_code": {"file": b64("x=1")}},
                      extra={"x-sdk-content-sha256": "UNSIGNED-PAYLOAD"})
    check(st == 200, "X-Sdk-Content-Sha256 UNSIGNED-PAYLOAD is honoured")

    def t_method(m, t, h, d):
        return "POST", t, h, d

    def t_path(m, t, h, d):
        return m, t.replace("signed", "signee"), h, d

    def t_query(m, t, h, d):
        return m, t.replace("maxitems=10", "maxitems=11"), h, d

    def t_header(m, t, h, d):
        h = dict(h)
        h["x-project-id"] = project[:-1] + ("1" if project[-1] == "0" else "0")
        return m, t, h, d

    def t_body(m, t, h, d):
        return m, t, h, d.replace(b"128", b"256")

    def t_sig(m, t, h, d):
        h = dict(h)
        h["Authorization"] = h["Authorization"][:-1] + ("0" if h["Authorization"][-1] != "0" else "1")
        return m, t, h, d

    st, _ = c.request("GET", "/functions", tamper=t_method)
    check(st == 401, "changed method is refused")
    st, _ = c.request("GET", "/functions/signed/config", tamper=t_path)
    check(st == 401, "changed path is refused")
    st, _ = c.request("GET", "/functions", query=[("maxitems", "10")], tamper=t_query)
    check(st == 401, "changed query is refused")
    st, _ = c.request("GET", "/functions", tamper=t_header)
    check(st == 401, "changed signed header is refused")
    st, _ = c.request("PUT", "/functions/signed/config",
                      dict(inline_function("signed"), memory_size=128), tamper=t_body)
    check(st == 401, "changed body is refused")
    st, _ = c.request("GET", "/functions", tamper=t_sig)
    check(st == 401, "changed signature is refused")
    st, e = c.request("GET", "/functions", ak="AKNOTKNOWN0000000000")
    check(st == 401 and e["error_code"] == "APIGW.0301", "unknown key is 401 with the same body")
    st, _ = c.request("GET", "/functions", date=now(-16 * 60))
    check(st == 401, "X-Sdk-Date 16 minutes old is refused")
    st, _ = c.request("GET", "/functions", date=now(16 * 60))
    check(st == 401, "X-Sdk-Date 16 minutes ahead is refused")
    st, _ = c.request("GET", "/functions", date=now(-10 * 60))
    check(st == 200, "X-Sdk-Date 10 minutes old is accepted")
    st, _ = c.request("GET", "/functions", signed=["host", "x-project-id"])
    check(st == 401, "a signature that does not cover x-sdk-date is refused")
    other = "ffffffffffffffffffffffffffffffff"
    st, e = c.request("GET", "/functions", project=other)
    check(st == 403 and e["error_code"] == "FSS.0403", "a key used on another project's path is 403")
    st, g = c.request("GET", "/functions/signed/config")
    check(st == 200 and g["memory_size"] == 128, "refused requests changed nothing")

    # Restart keeps the same credentials (generated only once).
    s.restart()
    st, _ = c.request("GET", "/functions/signed/config")
    check(st == 200, "credentials survive a restart")

    # Guessing is rate-limited per client address (the restart reset the counters).
    codes = [c.request("GET", "/functions", ak="AKGUESS%013d" % i)[0] for i in range(25)]
    check(codes[:20] == [401] * 20, "the first 20 failures get 401")
    check(codes[20:] == [429] * 5, "further attempts from that address get 429 (%s)" % codes[20:])
    st, e = c.request("GET", "/functions")
    check(st == 429 and e["error_code"] == "FSS.0429", "even a valid key waits out the lockout")

# A credentials file given with --credentials; a readable-by-others file is refused.
d = tempfile.mkdtemp(prefix="fgsd-cred-")
cred = os.path.join(d, "creds")
with open(cred, "w") as f:
    f.write("# test keys\nAKFILE000000000000001 secretfile1 p1111111111111111111111111111111,p2222222222222222222222222222222\n")
os.chmod(cred, 0o644)
r = subprocess.run([FGSD, "--listen", "127.0.0.1:0", "--data-dir", d, "--credentials", cred],
                   capture_output=True, timeout=20)
check(r.returncode != 0 and b"chmod 600" in r.stderr, "a world-readable credentials file is refused")
os.chmod(cred, 0o600)
with Fgsd(args=["--credentials", cred], auth_none=False) as s:
    for p in ("p1111111111111111111111111111111", "p2222222222222222222222222222222"):
        c = Client(s, "AKFILE000000000000001", "secretfile1", p)
        st, _ = c.request("GET", "/functions")
        check(st == 200, "file credential works for project %s" % p[:2])
    c = Client(s, "AKFILE000000000000001", "secretfile1", "p3333333333333333333333333333333")
    st, _ = c.request("GET", "/functions")
    check(st == 403, "file credential is refused on a project it does not list")
    check(not os.path.exists(os.path.join(s.data_dir, "credentials")), "no key generated when a file is given")

done()
