"""Table-driven hostile and malformed requests: each gets its documented FSS
code and status, nothing is half-written, and fgsd stays healthy."""
import io
import json
import socket
import zipfile

from fgsd import PROJECT, Fgsd, b64, check, done, inline_function, make_zip


def zip_with(name, data=b"x"):
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w") as z:
        z.writestr(zipfile.ZipInfo(name), data)
    return bio.getvalue()


def fn(**over):
    return inline_function("bad", **over)


def without(key):
    body = inline_function("bad")
    del body[key]
    return body


# (what, method, path, body, expected status, expected error_code)
CASES = [
    ("truncated JSON", "POST", "/functions", "{", 400, "FSS.0400"),
    ("JSON array body", "POST", "/functions", "[]", 400, "FSS.0400"),
    ("empty body", "POST", "/functions", "", 400, "FSS.0400"),
    ("null body", "POST", "/functions", "null", 400, "FSS.0400"),
    ("duplicate keys", "POST", "/functions", '{"func_name":"a","func_name":"b"}', 400, "FSS.0400"),
    ("invalid UTF-8", "POST", "/functions", b'{"func_name":"\xff\xfe"}', 400, "FSS.0400"),
    ("trailing garbage", "POST", "/functions", '{"a":1} x', 400, "FSS.0400"),
    ("func_name missing", "POST", "/functions", without("func_name"), 400, "FSS.1002"),
    ("func_name a number", "POST", "/functions", fn(func_name=123), 400, "FSS.1002"),
    ("func_name starts with a digit", "POST", "/functions", fn(func_name="1abc"), 400, "FSS.1002"),
    ("func_name too long", "POST", "/functions", fn(func_name="a" * 61), 400, "FSS.1002"),
    ("func_name ends with -", "POST", "/functions", fn(func_name="abc-"), 400, "FSS.1002"),
    ("func_name with a space", "POST", "/functions", fn(func_name="a b"), 400, "FSS.1002"),
    ("package missing", "POST", "/functions", without("package"), 400, "FSS.1004"),
    ("package invalid", "POST", "/functions", fn(package="../x"), 400, "FSS.1004"),
    ("unknown runtime", "POST", "/functions", fn(runtime="Python9"), 400, "FSS.1005"),
    ("runtime wrong case", "POST", "/functions", fn(runtime="python3.9"), 400, "FSS.1005"),
    ("runtime a number", "POST", "/functions", fn(runtime=3), 400, "FSS.1005"),
    ("handler without dot", "POST", "/functions", fn(handler="nodot"), 400, "FSS.1003"),
    ("handler empty", "POST", "/functions", fn(handler=""), 400, "FSS.1003"),
    ("handler too long", "POST", "/functions", fn(handler="a." + "b" * 130), 400, "FSS.1003"),
    ("memory not in the list", "POST", "/functions", fn(memory_size=100), 400, "FSS.1007"),
    ("memory a string", "POST", "/functions", fn(memory_size="128"), 400, "FSS.1007"),
    ("memory 8192 (invoke-only size)", "POST", "/functions", fn(memory_size=8192), 400, "FSS.1007"),
    ("timeout too small", "POST", "/functions", fn(timeout=2), 400, "FSS.1008"),
    ("timeout too large", "POST", "/functions", fn(timeout=259201), 400, "FSS.1008"),
    ("timeout fractional", "POST", "/functions", fn(timeout=3.5), 400, "FSS.1008"),
    ("timeout huge", "POST", "/functions", fn(timeout=10 ** 30), 400, "FSS.0400"),
    ("unknown code_type", "POST", "/functions", fn(code_type="tar"), 400, "FSS.1006"),
    ("code_type missing", "POST", "/functions", without("code_type"), 400, "FSS.1006"),
    ("inline without func_code", "POST", "/functions", without("func_code"), 400, "FSS.1012"),
    ("func_code.file not base64", "POST", "/functions", fn(func_code={"file": "@@@@"}), 400, "FSS.1011"),
    ("func_code.file bad length", "POST", "/functions", fn(func_code={"file": "abc"}), 400, "FSS.1011"),
    ("func_code.file with newline", "POST", "/functions", fn(func_code={"file": "YWJj\nZA=="}), 400, "FSS.1011"),
    ("func_code a string", "POST", "/functions", fn(func_code="abc"), 400, "FSS.1011"),
    ("zip without code_filename", "POST", "/functions",
     fn(code_type="zip", func_code={"file": b64(make_zip({"index.py": "x"}))}), 400, "FSS.0400"),
    ("zip that is not a zip", "POST", "/functions",
     fn(code_type="zip", code_filename="a.zip", func_code={"file": b64("not a zip at all")}), 400, "FSS.1011"),
    ("zip-slip entry", "POST", "/functions",
     fn(code_type="zip", code_filename="a.zip", func_code={"file": b64(zip_with("../evil.py"))}), 400, "FSS.1011"),
    ("zip absolute path", "POST", "/functions",
     fn(code_type="zip", code_filename="a.zip", func_code={"file": b64(zip_with("/etc/evil"))}), 400, "FSS.1011"),
    ("zip nested traversal", "POST", "/functions",
     fn(code_type="zip", code_filename="a.zip", func_code={"file": b64(zip_with("a/../../evil"))}), 400, "FSS.1011"),
    ("code_filename with a slash", "POST", "/functions",
     fn(code_type="zip", code_filename="../a.zip", func_code={"file": b64(make_zip({"a": "b"}))}), 400, "FSS.0400"),
    ("user_data not JSON", "POST", "/functions", fn(user_data="not json"), 400, "FSS.1009"),
    ("user_data non-string value", "POST", "/functions", fn(user_data='{"a":1}'), 400, "FSS.1009"),
    ("user_data an object", "POST", "/functions", fn(user_data={"a": "1"}), 400, "FSS.1009"),
    ("user_data 21 keys", "POST", "/functions",
     fn(user_data=json.dumps({"k%d" % i: "v" for i in range(21)})), 400, "FSS.1017"),
    ("user_data too large", "POST", "/functions", fn(user_data=json.dumps({"k": "v" * 4100})), 400, "FSS.1018"),
    ("description too long", "POST", "/functions", fn(description="d" * 513), 400, "FSS.1019"),
    ("description a number", "POST", "/functions", fn(description=5), 400, "FSS.1019"),
    ("obs with ftp URL", "POST", "/functions", fn(code_type="obs", code_url="ftp://x/y.zip"), 400, "FSS.0400"),
    ("obs without URL", "POST", "/functions", fn(code_type="obs"), 400, "FSS.0400"),
    ("initializer without timeout", "POST", "/functions", fn(initializer_handler="index.init"), 400, "FSS.0400"),
    ("initializer timeout 301", "POST", "/functions",
     fn(initializer_handler="index.init", initializer_timeout=301), 400, "FSS.0400"),
    ("strategy concurrency -2", "POST", "/functions",
     fn(strategy_config={"concurrency": -2}), 400, "FSS.0400"),
    ("type v3", "POST", "/functions", fn(type="v3"), 400, "FSS.0400"),
    ("func_vpc a string", "POST", "/functions", fn(func_vpc="vpc"), 400, "FSS.0400"),
    ("gpu_memory not a step", "POST", "/functions", fn(gpu_memory=1000), 400, "FSS.0400"),
    ("maxitems negative", "GET", "/functions?maxitems=-1", None, 400, "FSS.1001"),
    ("marker not a number", "GET", "/functions?marker=abc", None, 400, "FSS.1001"),
    ("malformed escape in query", "GET", "/functions?marker=%zz", None, 400, "FSS.1001"),
    ("escaped NUL in path", "GET", "/functions/bad%00name/config", None, 400, "FSS.1001"),
    ("unknown method", "PATCH", "/functions", None, 405, "FSS.0405"),
    ("unknown route", "GET", "/nothing-here", None, 404, "FSS.0404"),
    ("unknown sub-resource", "GET", "/functions/hello/unknown", None, 404, "FSS.0404"),
    ("URN with five fields", "GET", "/functions/urn:fss:a:b:c/config", None, 400, "FSS.0400"),
    ("URN with bad characters", "GET", "/functions/a$b/config", None, 400, "FSS.0400"),
    ("URN of another project", "GET",
     "/functions/urn:fss:local:ffffffffffffffffffffffffffffffff:function:default:keep/config", None, 403, "FSS.0403"),
    ("URN with ! inside a name", "GET", "/functions/default:ke!ep/config", None, 400, "FSS.0400"),
    ("delete latest", "DELETE", "/functions/%s:default:keep:latest" % PROJECT, None, 400, "FSS.0400"),
    ("update config bad JSON", "PUT", "/functions/keep/config", "{oops", 400, "FSS.0400"),
    ("update config wrong memory", "PUT", "/functions/keep/config",
     dict(fn(memory_size=7), func_name="keep"), 400, "FSS.1007"),
    ("update code bad base64", "PUT", "/functions/keep/code",
     {"code_type": "inline", "func_code": {"file": "!!"}}, 400, "FSS.1011"),
    ("update code through an alias", "PUT", "/functions/default:keep:!dev/code",
     {"code_type": "inline", "func_code": {"file": b64("x")}}, 400, "FSS.0400"),
    ("update code missing function", "PUT", "/functions/ghost/code",
     {"code_type": "inline", "func_code": {"file": b64("x")}}, 404, "FSS.1051"),
    ("config body too large", "PUT", "/functions/keep/config", "{" + " " * (1024 * 1024 + 10) + "}", 413, "FSS.0413"),
]


def raw_exchange(port, data):
    """Sends raw bytes, returns the status code of the reply (or 0 when closed)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        reply = b""
        while b"\r\n" not in reply:
            chunk = sock.recv(4096)
            if not chunk:
                break
            reply += chunk
    try:
        return int(reply.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


with Fgsd() as s:
    st, _, _ = s.call("POST", "/functions", inline_function("keep"))
    check(st == 200, "create a function to aim at")
    st, before, _ = s.call("GET", "/functions")

    for what, method, path, body, want_st, want_code in CASES:
        st, e, h = s.call(method, path, body)
        ok = st == want_st and isinstance(e, dict) and e.get("error_code") == want_code \
            and isinstance(e.get("error_msg"), str) and e["error_msg"] and "x-request-id" in h
        check(ok, "%s -> %s %s (got %s %s)" % (what, want_st, want_code, st, e))

    # Framing attacks need raw bytes.
    p = "/v2/%s/fgs/functions" % s.project
    st = raw_exchange(s.port, ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                               "Content-Length: 5\r\n\r\n{}" % p).encode())
    check(st == 400, "duplicate Content-Length is refused (%s)" % st)
    st = raw_exchange(s.port, ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" % p).encode())
    check(st == 400, "Content-Length with Transfer-Encoding is refused (%s)" % st)
    st = raw_exchange(s.port, ("PUT %s HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n{}"
                               % (p + "/keep/config")).encode())
    check(st == 413, "a declared oversize body is refused before it is sent (%s)" % st)
    st = raw_exchange(s.port, ("POST %s/keep/unknown HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n"
                               % p).encode())
    check(st == 404, "an unknown route with a huge body is answered at once (%s)" % st)
    st = raw_exchange(s.port, b"GARBAGE\r\n\r\n")
    check(st in (0, 400), "a garbage request line does not get a 2xx (%s)" % st)

    st, after, _ = s.call("GET", "/functions")
    check(st == 200 and after["count"] == before["count"] == 1, "nothing was half-written")
    st, g, _ = s.call("GET", "/functions/keep/config")
    check(st == 200 and g["memory_size"] == 128, "the target function is unchanged")
    check(s.alive(), "fgsd is still running")
    check(len(CASES) >= 50, "at least 50 table cases (%d)" % len(CASES))

done()
