"""Synchronous invocation of Node.js functions end to end through a real fgsd:
async and callback handlers, context methods, user data, the initializer
once per instance, errors (throw, rejection, callback error, require error,
missing handler), timeout, memory bomb, the sandbox seen from node, and
parallel invocations."""
import json
import sys
import threading
import time
import http.client

from fgsd import Fgsd, check, done
from invoke_common import SKIP_REASON, create, invoke, invoke_json, tail_log, v1

if SKIP_REASON:
    print("1..0 # SKIP " + SKIP_REASON)
    sys.exit(0)

ASYNC = """
exports.handler = async (event, context) => {
    console.log('hello', event.who);
    console.error('to stderr');
    return { hello: event.who, uid: process.getuid() };
};
"""

CALLBACK = """
exports.handler = function (event, context, callback) {
    setTimeout(() => callback(null, { cb: event.n * 2 }), 10);
};
"""

CONTEXT = """
exports.handler = async (event, context) => {
    const log = context.getLogger();
    log.info('info line');
    log.error('error line');
    return {
        rid: context.getRequestID(), remaining: context.getRemainingTimeInMilliSeconds(),
        ak: context.getAccessKey(), token: context.getToken(),
        ud: context.getUserData('color'), missing: context.getUserData('nope') === undefined,
        name: context.getFunctionName(), running: context.getRunningTimeInSeconds(),
        version: context.getVersion(), memory: context.getMemorySize(), cpu: context.getCPUNumber(),
        package: context.getPackage(), env_color: process.env.color, cwd: process.cwd(),
    };
};
"""

INIT = """
let inits = 0, calls = 0;
const token = Math.random();
exports.init = (context, callback) => { inits++; callback(null); };
exports.handler = async () => { calls++; return { inits, calls, token }; };
"""

ERRORS = """
exports.handler = async (event) => {
    if (event.kind === 'throw') throw new TypeError('thrown ' + event.x);
    if (event.kind === 'reject') return Promise.reject(new RangeError('rejected'));
    if (event.kind === 'async-throw') { setTimeout(() => { throw new Error('late'); }, 5); return new Promise(() => {}); }
    return 'fine';
};
"""

CBERR = """
exports.handler = (event, context, callback) => callback(new Error('callback error'));
"""

PROBE = """
const fs = require('fs'), net = require('net'), os = require('os');
const attempt = (f) => { try { f(); return 'ok'; } catch (e) { return e.code; } };
exports.handler = async (event) => {
    const connect = await new Promise((resolve) => {
        const s = net.connect(event.port, '127.0.0.1');
        s.on('connect', () => { s.destroy(); resolve('ok'); });
        s.on('error', (e) => resolve(e.code));
        setTimeout(() => { s.destroy(); resolve('timeout'); }, 2000);
    });
    return {
        uid: process.getuid(), root: fs.readdirSync('/').sort(),
        write_code: attempt(() => fs.writeFileSync('/opt/function/code/x', 'x')),
        write_tmp: attempt(() => fs.writeFileSync('/tmp/x', 'x')),
        data_dir: fs.existsSync(event.data_dir), connect,
        interfaces: Object.keys(os.networkInterfaces()).sort(),
    };
};
"""

SLOW = """
exports.handler = async (event) => {
    await new Promise((r) => setTimeout(r, event.sleep * 1000));
    return { slept: event.sleep };
};
"""

MEMBOMB = """
exports.handler = async () => {
    const keep = [];
    for (let i = 0; i < 4096; i++) keep.push(Buffer.alloc(1024 * 1024, 1));
    return keep.length;
};
"""

with Fgsd() as s:
    create(s, "hello", ASYNC, runtime="Node.js18.15")
    st, body, h = invoke_json(s, "hello", {"who": "node"})
    check(st == 200 and body == {"hello": "node", "uid": 1003}, "async handler result (got %s %r)" % (st, body))
    check(h.get("x-is-func-err") == "false" and h.get("x-func-err-code") == "0", "no function error")
    st, env, h = v1(s, "hello", {"who": "v1"}, {"X-Cff-Log-Type": "tail"})
    check(st == 200 and env["status"] == 200 and json.loads(env["result"])["hello"] == "v1", "v1 envelope")
    check("hello v1" in env["log"] and "to stderr" in env["log"], "console.log and console.error are captured")
    check("hello v1" in tail_log(h), "log tail header")

    create(s, "cb", CALLBACK, runtime="Node.js6.10")
    st, body, h = invoke_json(s, "cb", {"n": 21})
    check(st == 200 and body == {"cb": 42}, "callback-style handler")

    create(s, "ctx", CONTEXT, runtime="Node.js20.15", user_data='{"color":"red"}', timeout=9, memory_size=512)
    st, env, h = v1(s, "ctx", {})
    c = json.loads(env["result"]) if st == 200 else {}
    check(c.get("rid") == env.get("request_id") and 0 < c.get("remaining", 0) <= 9000, "getRequestID, remaining time")
    check(c.get("ak") == "" and c.get("token") == "", "empty credentials")
    check(c.get("ud") == "red" and c.get("missing") is True and c.get("env_color") == "red",
          "getUserData and user data in the environment")
    check(c.get("name") == "ctx" and c.get("version") == "latest" and c.get("package") == "default" and
          c.get("running") == 9 and c.get("memory") == 512 and c.get("cpu") == 600,
          "function name, version, package, timeout, memory, cpu")
    check(c.get("cwd") == "/opt/function/code", "working directory")
    check(" INFO info line" in env["log"] and " ERROR error line" in env["log"], "logger lines")

    create(s, "init", INIT, runtime="Node.js16.17", initializer_handler="index.init", initializer_timeout=10)
    rs = [invoke_json(s, "init")[1] for _ in range(3)]
    check(all(r and r["inits"] == 1 for r in rs) and [r["calls"] for r in rs] == [1, 2, 3] and
          len({r["token"] for r in rs}) == 1, "initializer once, warm reuse (%s)" % rs)

    create(s, "errs", ERRORS, runtime="Node.js18.15", timeout=5)
    st, body, h = invoke_json(s, "errs", {"kind": "throw", "x": 7})
    check(st == 200 and h.get("x-func-err-code") == "4002" and body.get("errorType") == "TypeError" and
          body.get("errorMessage") == "thrown 7" and isinstance(body.get("stackTrace"), list),
          "a thrown error is function error 4002 with errorType/errorMessage/stackTrace (%r)" % body)
    st, body, h = invoke_json(s, "errs", {"kind": "reject"})
    check(body.get("errorType") == "RangeError" and body.get("errorMessage") == "rejected", "a rejected promise")
    st, body, h = invoke_json(s, "errs", {"kind": "async-throw"})
    check(h.get("x-func-err-code") == "4002" and body.get("errorMessage") == "late", "an uncaught async exception")
    st, body, h = invoke(s, "errs", {"kind": "none"})
    check(st == 200 and body == b"fine", "the instance survives errors")
    create(s, "cberr", CBERR, runtime="Node.js12.13")
    st, body, h = invoke_json(s, "cberr")
    check(h.get("x-func-err-code") == "4002" and body.get("errorMessage") == "callback error", "callback(err)")
    create(s, "reqerr", "require('no-such-module');\nexports.handler = async () => 1;\n", runtime="Node.js18.15")
    st, body, h = invoke_json(s, "reqerr")
    check(st == 200 and h.get("x-func-err-code") == "4001" and "no-such-module" in body.get("errorMessage", ""),
          "a require error is 4001")
    create(s, "nohandler", "exports.other = async () => 1;\n", runtime="Node.js18.15")
    st, body, h = invoke_json(s, "nohandler")
    check(h.get("x-func-err-code") == "4001" and body.get("errorType") == "HandlerNotFound", "missing handler is 4001")

    create(s, "slow", SLOW, runtime="Node.js18.15", timeout=3)
    t0 = time.time()
    st, body, h = invoke_json(s, "slow", {"sleep": 30})
    check(h.get("x-func-err-code") == "4010" and time.time() - t0 < 12, "timeout is 4010 near the limit")
    st, body, h = invoke_json(s, "slow", {"sleep": 0})
    check(st == 200 and body == {"slept": 0}, "a fresh instance after the timeout")

    create(s, "membomb", MEMBOMB, runtime="Node.js18.15", memory_size=128, timeout=30)
    st, body, h = invoke_json(s, "membomb")
    check(h.get("x-func-err-code") == "4205" and body.get("errorMessage") == "runtime memory limit exceeded",
          "memory bomb: runtime memory limit exceeded (%s %r)" % (h.get("x-func-err-code"), body))
    st, body, h = invoke_json(s, "hello", {"who": "after"})
    check(st == 200 and body.get("hello") == "after", "other functions unharmed")

    create(s, "probe", PROBE, runtime="Node.js18.15")
    st, p, h = invoke_json(s, "probe", {"port": s.port, "data_dir": s.data_dir})
    p = p if isinstance(p, dict) else {}
    check(p.get("uid") == 1003, "node runs as uid 1003")
    check(set(p.get("root", [])) <= {"bin", "dev", "etc", "lib", "lib64", "opt", "proc", "sbin", "tmp", "usr"},
          "minimal root")
    check(p.get("write_code") == "EROFS" and p.get("write_tmp") == "ok", "code read-only, /tmp writable")
    check(p.get("data_dir") is False and p.get("connect") in ("ECONNREFUSED", "ENETUNREACH"),
          "no data dir, no host ports (%s)" % p.get("connect"))
    check(p.get("interfaces") == ["lo"], "loopback only")

    create(s, "par", SLOW, runtime="Node.js18.15", timeout=20)
    out = [None] * 5

    def one(i):
        c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=120)
        c.request("POST", "/v2/%s/fgs/functions/par/invocations" % s.project, body=json.dumps({"sleep": 1}),
                  headers={"Content-Type": "application/json"})
        r = c.getresponse()
        out[i] = (r.status, json.loads(r.read()))
        c.close()
    t0 = time.time()
    ts = [threading.Thread(target=one, args=(i,)) for i in range(5)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(180)
    check(all(o and o[0] == 200 and o[1] == {"slept": 1} for o in out), "5 parallel invocations succeed")
    took = time.time() - t0
    check(took < 4.5, "and run concurrently (%.1f s for 5 x 1 s)" % took)
    check(s.alive(), "fgsd still running")
done()
