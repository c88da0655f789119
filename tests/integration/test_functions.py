"""Functions, config and code over HTTP against a real fgsd: create, get,
list with pagination and filters, update config and code, URN forms, the
legacy prefix, delete, and a restart (clean and kill -9) keeping everything."""
import hashlib
import signal

from fgsd import Fgsd, b64, check, done, inline_function, make_zip

PY = "def handler(event, context):\n    return {'ok': True}\n"

with Fgsd() as s:
    # --- create
    st, f, h = s.call("POST", "/functions", inline_function("hello", description="first",
                                                            user_data='{"k":"v"}'))
    check(st == 200, "create answers 200 (got %s %s)" % (st, f))
    check("x-request-id" in h and len(h["x-request-id"]) == 36, "X-Request-Id on success")
    check(f["func_urn"] == s.urn("hello", "latest"), "func_urn is qualified with :latest")
    check(f["func_name"] == "hello" and f["package"] == "default", "name and package echoed")
    check(f["version"] == "latest" and f["runtime"] == "Python3.9", "version and runtime")
    check(f["memory_size"] == 128 and f["timeout"] == 30 and f["cpu"] == 300, "memory, timeout, cpu")
    check(f["digest"] == hashlib.sha512(PY.encode()).hexdigest(), "digest is SHA-512 of the code")
    check(f["code_size"] == len(PY) and f["code_filename"] == "index.py", "code size and filename")
    check(f["namespace"] == s.project and len(f["domain_id"]) == 32, "namespace and domain_id")
    check(f["user_data"] == '{"k":"v"}' and f["description"] == "first", "user_data, description")
    check(f["last_modified"][4] == "-" and f["last_modified"][10] == "T", "RFC 3339 last_modified")
    func_id = f["func_id"]

    st, e, h = s.call("POST", "/functions", inline_function("hello"))
    check(st == 409 and e["error_code"] == "FSS.1061", "duplicate name is 409 FSS.1061")
    check("x-request-id" in h, "X-Request-Id on errors")

    # --- get config through every URN form
    forms = [s.urn("hello"), s.urn("hello", "latest"), "hello", "default:hello",
             s.project + ":default:hello", s.project + ":default:hello:latest",
             s.urn("hello").replace(":", "%3A"), s.urn("hello", "latest").replace(":", "%3a"),
             "urn:fss:other-region:%s:function:default:hello" % s.project]
    for u in forms:
        st, g, _ = s.call("GET", "/functions/%s/config" % u)
        check(st == 200 and g["func_id"] == func_id, "get config via %s" % u)
    st, g, _ = s.call("GET", "/functions/%s/config" % s.urn("hello"), prefix="/v1.0/%s/fss")
    check(st == 200 and g["func_id"] == func_id, "legacy /v1.0/{project}/fss prefix")
    st, e, _ = s.call("GET", "/functions/%s/config" % s.urn("nope"))
    check(st == 404 and e["error_code"] == "FSS.1051", "missing function is 404 FSS.1051")
    st, e, _ = s.call("GET", "/functions/%s/config" % s.urn("hello", "v9"))
    check(st == 404 and e["error_code"] == "FSS.1052", "missing version is 404 FSS.1052")
    st, e, _ = s.call("GET", "/functions/%s/config" % s.urn("hello", "!dev"))
    check(st == 404 and e["error_code"] == "FSS.1053", "missing alias is 404 FSS.1053")
    other = "urn:fss:local:ffffffffffffffffffffffffffffffff:function:default:hello"
    st, e, _ = s.call("GET", "/functions/%s/config" % other)
    check(st == 403 and e["error_code"] == "FSS.0403", "URN of another project is 403")
    st, e, _ = s.call("GET", "/functions/hello/config", project="another")
    check(st == 404 and e["error_code"] == "FSS.1051", "projects do not see each other's functions")
    for bad in ["urn:fss:x:y:z", "a:b:c:d:e", "urn:xyz:local:p:function:default:hello", "1abc"]:
        st, e, _ = s.call("GET", "/functions/%s/config" % bad)
        check(st == 400 and e["error_code"] == "FSS.0400", "bad URN %r is 400" % bad)

    # --- code
    st, c, _ = s.call("GET", "/functions/%s/code" % s.urn("hello", "latest"))
    check(st == 200 and c["code_type"] == "inline" and c["func_code"]["file"] == b64(PY),
          "get code returns the inline source in base64")
    check(c["digest"] == f["digest"] and c["func_urn"] == s.urn("hello", "latest"), "code digest and urn")

    z = make_zip({"index.py": "def handler(e, c):\n    return 2\n", "lib/util.py": "X = 1\n",
                  "bootstrap": "#!/bin/sh\n"})
    st, c, _ = s.call("PUT", "/functions/%s/code" % s.urn("hello"),
                      {"code_type": "zip", "code_filename": "index.zip", "func_code": {"file": b64(z)}})
    check(st == 200 and c["code_type"] == "zip" and c["code_size"] == len(z), "update code to a zip")
    check(c["digest"] == hashlib.sha512(z).hexdigest(), "zip digest is SHA-512 of the zip")
    import os
    unpacked = os.path.join(s.data_dir, "code", c["digest"])
    check(os.path.isfile(os.path.join(unpacked, "lib", "util.py")), "zip unpacked per digest")
    st, g, _ = s.call("GET", "/functions/hello/config")
    check(g["digest"] == c["digest"] and g["code_filename"] == "index.zip", "config shows the new code")
    check(g["user_data"] == '{"k":"v"}', "update code keeps the configuration")

    # --- update config
    upd = {"func_name": "hello", "runtime": "Python3.10", "handler": "index.handler",
           "memory_size": 256, "timeout": 60, "description": "second",
           "user_data": '{"a":"1","b":"2"}', "strategy_config": {"concurrency": 0, "concurrent_num": 1}}
    st, g, _ = s.call("PUT", "/functions/%s/config" % s.urn("hello", "latest"), upd)
    check(st == 200 and g["memory_size"] == 256 and g["cpu"] == 400 and g["runtime"] == "Python3.10",
          "update config changes memory, cpu and runtime")
    check(g["code_type"] == "zip" and g["digest"] == c["digest"], "update config keeps the code")
    check(g["strategy_config"]["concurrency"] == 0, "strategy_config stored")
    st, e, _ = s.call("PUT", "/functions/%s/config" % s.urn("hello"), dict(upd, memory_size=100))
    check(st == 400 and e["error_code"] == "FSS.1007", "bad memory on update is FSS.1007")
    st, g2, _ = s.call("GET", "/functions/hello/config")
    check(g2["memory_size"] == 256, "a rejected update changes nothing")
    st, e, _ = s.call("PUT", "/functions/%s/config" % s.urn("hello"), dict(upd, func_name="other"))
    check(st == 400 and e["error_code"] == "FSS.1002", "func_name must match the URN")

    # --- list, pagination, filters
    for i in range(7):
        st, _, _ = s.call("POST", "/functions", inline_function("fn%d" % i, package="pk" if i % 2 else "default"))
        check(st == 200, "create fn%d" % i)
    st, l, _ = s.call("GET", "/functions")
    check(st == 200 and l["count"] == 8 and len(l["functions"]) == 8, "list all 8")
    check(l["functions"][0]["func_name"] == "hello", "list keeps creation order")
    check(l["functions"][0]["func_urn"] == s.urn("hello"), "list items carry the unqualified URN")
    check(l["next_marker"] == 8, "next_marker = count on the last page")
    seen, marker = [], 0
    while True:
        st, l, _ = s.call("GET", "/functions?marker=%d&maxitems=3" % marker)
        check(st == 200 and len(l["functions"]) <= 3 and l["count"] == 8, "page at %d" % marker)
        if not l["functions"]:
            break
        seen += [x["func_name"] for x in l["functions"]]
        check(l["next_marker"] == marker + len(l["functions"]), "next_marker advances")
        marker = l["next_marker"]
        if marker >= l["count"]:
            break
    check(len(seen) == 8 and len(set(seen)) == 8, "paging visits every function once")
    st, l, _ = s.call("GET", "/functions?marker=100")
    check(st == 200 and l["functions"] == [] and l["count"] == 8, "marker past the end: empty page")
    st, l, _ = s.call("GET", "/functions?package_name=pk")
    check(l["count"] == 3 and all(x["package"] == "pk" for x in l["functions"]), "package_name filter")
    st, l, _ = s.call("GET", "/functions?func_name=fn")
    check(l["count"] == 7, "func_name is a fuzzy filter")
    st, l, _ = s.call("GET", "/functions?maxitems=0")
    check(st == 200 and len(l["functions"]) == 8, "maxitems=0 means the default page")
    for q in ["maxitems=-1", "marker=-5", "marker=abc", "maxitems=1x"]:
        st, e, _ = s.call("GET", "/functions?" + q)
        check(st == 400 and e["error_code"] == "FSS.1001", "%s is 400 FSS.1001" % q)

    # --- zip and jar create, package in another package
    st, f2, _ = s.call("POST", "/functions", inline_function(
        "zipped", code_type="zip", code_filename="code.zip", func_code={"file": b64(z)}, package="pk2"))
    check(st == 200 and f2["code_type"] == "zip", "create with a zip")
    st, g, _ = s.call("GET", "/functions/pk2:zipped/config")
    check(st == 200 and g["package"] == "pk2", "package:name short form")
    st, f3, _ = s.call("POST", "/functions", inline_function(
        "jarred", runtime="Java11", handler="com.x.H.handle", code_type="jar",
        code_filename="app.jar", func_code={"file": b64(z)}))
    check(st == 200 and f3["code_type"] == "jar", "create with a jar")
    st, f4, _ = s.call("POST", "/functions", inline_function(
        "custom", runtime="Custom", handler="bootstrap",
        func_code={"file": b64("#!/bin/sh\necho hi\n")}))
    check(st == 200 and f4["code_filename"] == "bootstrap", "Custom runtime inline code is bootstrap")

    # --- encrypted_user_data is sealed at rest and never returned
    st, fe, _ = s.call("POST", "/functions", inline_function(
        "secretive", encrypted_user_data='{"db_password":"s3cr3t-Pa55"}'))
    check(st == 200 and "encrypted_user_data" not in fe, "encrypted_user_data is not echoed")
    st, g, _ = s.call("GET", "/functions/secretive/config")
    check("encrypted_user_data" not in g, "encrypted_user_data is never returned")
    db = b""
    for name in ("fgs.db", "fgs.db-wal"):
        p = os.path.join(s.data_dir, name)
        if os.path.exists(p):
            db += open(p, "rb").read()
    check(b"secretive" in db and b"s3cr3t-Pa55" not in db, "the database holds no plaintext secret")

    # --- obs: fgsd fetches the package from an http URL (a server of our own on 127.0.0.1)
    import http.server
    import threading

    class Serve(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/bucket/code.zip":
                self.send_response(200)
                self.send_header("Content-Length", str(len(z)))
                self.end_headers()
                self.wfile.write(z)
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

        def log_message(self, *args):
            pass

    web = http.server.HTTPServer(("127.0.0.1", 0), Serve)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d/bucket/code.zip" % web.server_port
    st, e, _ = s.call("POST", "/functions", inline_function("fromobs", code_type="obs", code_url=url,
                                                           func_code=None))
    check(st == 400 and e["error_code"] == "FSS.1011" and "private" in e["error_msg"],
          "by default fgsd does not fetch code from loopback addresses")
    s.args += ["--allow-private-fetch", "yes"]
    s.restart()
    st, fo, _ = s.call("POST", "/functions", inline_function("fromobs", code_type="obs", code_url=url,
                                                            func_code=None))
    check(st == 200 and fo["code_type"] == "obs" and fo["code_url"] == url, "create from an obs URL")
    check(fo["digest"] == hashlib.sha512(z).hexdigest() and fo["code_filename"] == "code.zip",
          "the fetched package is stored with its digest and file name")
    st, e, _ = s.call("POST", "/functions", inline_function(
        "missingobs", code_type="obs", code_url=url.replace("code.zip", "nope.zip"), func_code=None))
    check(st == 400 and e["error_code"] == "FSS.1011", "an obs URL that answers 404 is FSS.1011")
    web.shutdown()

    # --- restart keeps everything
    s.restart()
    st, g, _ = s.call("GET", "/functions/hello/config")
    check(st == 200 and g["memory_size"] == 256 and g["func_id"] == func_id, "config survives restart")
    st, l, _ = s.call("GET", "/functions")
    check(l["count"] == 13, "all functions survive restart")
    st, _, _ = s.call("POST", "/functions", inline_function("afterkill"))
    check(st == 200, "create acknowledged before kill -9")
    s.restart(signal.SIGKILL)
    st, g, _ = s.call("GET", "/functions/afterkill/config")
    check(st == 200, "an acknowledged create survives kill -9")

    # --- delete
    st, e, _ = s.call("DELETE", "/functions/%s" % s.urn("fn1", "latest", package="pk"))
    check(st == 400, "deleting :latest is refused")
    st, _, _ = s.call("DELETE", "/functions/%s" % s.urn("fn1", package="pk"))
    check(st == 204, "delete answers 204")
    st, e, _ = s.call("GET", "/functions/pk:fn1/config")
    check(st == 404 and e["error_code"] == "FSS.1051", "deleted function is gone")
    st, e, _ = s.call("DELETE", "/functions/%s" % s.urn("fn1", package="pk"))
    check(st == 404 and e["error_code"] == "FSS.1051", "deleting twice is 404")
    st, e, _ = s.call("DELETE", "/functions/%s" % s.urn("fn2", "v1"))
    check(st == 404 and e["error_code"] == "FSS.1052", "deleting a missing version is 404 FSS.1052")

done()
