"""Synchronous invocation of Python functions end to end through a real fgsd:
results (v0, v1), headers, log tail, context methods, user data, the
initializer once per instance, errors (exception, import error, missing
handler, unserialisable result), timeout, memory and fork bombs contained,
the sandbox's file system, network and privilege limits, body limits, 404s,
disabled functions and parallel invocations."""
import json
import sys
import threading
import time

from fgsd import Fgsd, check, done
from invoke_common import SKIP_REASON, create, invoke, invoke_json, tail_log, v1

if SKIP_REASON:
    print("1..0 # SKIP " + SKIP_REASON)
    sys.exit(0)

HELLO = """
import os
def handler(event, context):
    print("hello", event.get("who"))
    sys_err = __import__("sys").stderr
    sys_err.write("to stderr\\n")
    return {"hello": event.get("who"), "uid": os.getuid()}
"""

CONTEXT = """
import os
def handler(event, context):
    log = context.getLogger()
    log.info("info line %s", 1)
    log.warn("warn line")
    log.error("error line")
    return {
        "rid": context.getRequestID(),
        "remaining": context.getRemainingTimeInMilliSeconds(),
        "ak": context.getAccessKey(), "sk": context.getSecretKey(), "token": context.getToken(),
        "ud": context.getUserData("color"), "ud_missing": context.getUserData("nope"),
        "enc": context.getUserData("secret"),
        "name": context.getFunctionName(), "running": context.getRunningTimeInSeconds(),
        "version": context.getVersion(), "memory": context.getMemorySize(),
        "cpu": context.getCPUNumber(), "package": context.getPackage(),
        "project": context.getProjectID(),
        "env_color": os.environ.get("color"), "env_secret": os.environ.get("secret"),
        "env": {k: v for k, v in os.environ.items() if k.startswith("RUNTIME_")},
        "env_prefixed": [k for k in os.environ if k.startswith("FGS_")],
        "cwd": os.getcwd(),
    }
"""

INIT = """
import os, random
COUNT = {"init": 0, "calls": 0}
TOKEN = random.random()
def init(context):
    COUNT["init"] += 1
def handler(event, context):
    COUNT["calls"] += 1
    return {"init": COUNT["init"], "calls": COUNT["calls"], "token": TOKEN}
"""

RAISES = """
def handler(event, context):
    print("about to fail")
    raise ValueError("bad input: %s" % event.get("x"))
"""

SLOW = """
import time
def handler(event, context):
    time.sleep(event.get("sleep", 0))
    return {"slept": event.get("sleep", 0), "token": id(time)}
"""

MEMBOMB = """
def handler(event, context):
    blocks = []
    for i in range(4096):
        blocks.append(bytearray(1024 * 1024))
    return len(blocks)
"""

FORKBOMB = """
import os, time
def handler(event, context):
    n = 0
    try:
        for i in range(5000):
            pid = os.fork()
            if pid == 0:
                time.sleep(60)
                os._exit(0)
            n += 1
    except OSError as e:
        return {"forked": n, "error": e.errno}
    return {"forked": n, "error": 0}
"""

PROBE = """
import ctypes, errno, os, socket
def attempt(fn):
    try:
        fn()
        return "ok"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))
def write(path):
    with open(path, "w") as f:
        f.write("x")
def handler(event, context):
    status = {}
    with open("/proc/self/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            status[k] = v.strip()
    libc = ctypes.CDLL(None, use_errno=True)
    unshare = libc.unshare(0x10000000)  # CLONE_NEWUSER
    unshare_errno = ctypes.get_errno()
    mnt = libc.mount(b"none", b"/tmp", b"tmpfs", 0, None)
    mnt_errno = ctypes.get_errno()
    def connect(port):
        s = socket.socket()
        s.settimeout(2)
        try:
            s.connect(("127.0.0.1", port))
        finally:
            s.close()
    def sysc(nr, *args):
        libc.syscall.restype = ctypes.c_long
        r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) for a in args])
        return [r, ctypes.get_errno() if r == -1 else 0]
    # x86_64 numbers: ptrace 101, keyctl 250, bpf 321, perf_event_open 298, personality 135,
    # clone3 435, setns 308, kexec_load 246, init_module 175, userfaultfd 323, io_uring_setup 425
    denied = {name: sysc(nr, *args) for name, nr, args in [
        ("ptrace", 101, (0, 0, 0, 0)), ("keyctl", 250, (0, 0, 0, 0)), ("bpf", 321, (0, 0, 0)),
        ("perf_event_open", 298, (0, 0, -1, -1, 0)), ("personality_no_aslr", 135, (0x0040000,)),
        ("clone3", 435, (0, 0)), ("setns", 308, (0, 0)), ("kexec_load", 246, (0, 0, 0, 0)),
        ("init_module", 175, (0, 0, 0)), ("userfaultfd", 323, (0,)), ("io_uring_setup", 425, (1, 0)),
        ("clone_newuser", 56, (0x10000000 | 17, 0, 0, 0, 0))]}
    return {
        "denied": denied,
        "uid": os.getuid(), "gid": os.getgid(), "groups": os.getgroups(),
        "capeff": status.get("CapEff"), "capbnd": status.get("CapBnd"),
        "nnp": status.get("NoNewPrivs"), "seccomp": status.get("Seccomp"),
        "pid": os.getpid(), "ppid": os.getppid(),
        "root": sorted(os.listdir("/")), "code": sorted(os.listdir("/opt/function/code")),
        "data_dir_visible": os.path.exists(event["data_dir"]),
        "write_code": attempt(lambda: write("/opt/function/code/x")),
        "write_etc": attempt(lambda: write("/etc/x")),
        "write_root": attempt(lambda: write("/x")),
        "write_usr": attempt(lambda: write("/usr/x")),
        "write_dev": attempt(lambda: write("/dev/x")),
        "write_tmp": attempt(lambda: write("/tmp/x")),
        "read_init_environ": attempt(lambda: open("/proc/1/environ").read()),
        "read_init_fd": attempt(lambda: os.listdir("/proc/1/fd")),
        "devices": sorted(os.listdir("/dev")),
        "interfaces": sorted(n for _, n in socket.if_nameindex()),
        "connect_fgsd": attempt(lambda: connect(event["port"])),
        "unshare": [unshare, unshare_errno], "mount": [mnt, mnt_errno],
        "hostname": socket.gethostname(),
        "passwd_1003": "snuser:x:1003" in open("/etc/passwd").read(),
        "shadow": os.path.exists("/etc/shadow"),
    }
"""


def timed(fn):
    t = time.time()
    r = fn()
    return r, time.time() - t


with Fgsd() as s:
    # --- basic result, v0
    create(s, "hello", HELLO)
    st, body, h = invoke_json(s, "hello", {"who": "fgs"})
    check(st == 200 and body == {"hello": "fgs", "uid": 1003}, "v0 result is the handler's JSON (got %s %r)" % (st, body))
    check(h.get("content-type", "").startswith("application/json"), "v0 content type is JSON")
    check(h.get("x-cff-request-id") == h.get("x-request-id") and len(h.get("x-cff-request-id", "")) == 36,
          "X-Cff-Request-Id is the request id")
    check(h.get("x-func-err-code") == "0" and h.get("x-is-func-err") == "false", "no function error flagged")
    check(h.get("x-cff-response-version") == "v0", "X-Cff-Response-Version v0 by default")
    summary = json.loads(h.get("x-cff-invoke-summary", "{}"))
    check(summary.get("memorySize") == 128 and summary.get("duration", -1) >= 0 and
          summary.get("billingDuration", -1) >= 0 and summary.get("memoryUsed", 0) > 0,
          "X-Cff-Invoke-Summary has duration, billing, memory size and use (%s)" % summary)
    check(h.get("x-cff-billing-duration", "").isdigit(), "X-Cff-Billing-Duration")
    check("x-cff-function-log" not in h, "no log header without X-Cff-Log-Type: tail")

    # --- v1 envelope and log tail
    st, env, h = v1(s, "hello", {"who": "v1"}, {"X-Cff-Log-Type": "tail"})
    check(st == 200 and set(env) == {"request_id", "result", "log", "status"}, "v1 envelope fields")
    check(env["status"] == 200 and json.loads(env["result"]) == {"hello": "v1", "uid": 1003},
          "v1 result is the JSON text of the return value, status 200")
    check(env["request_id"] == h.get("x-cff-request-id"), "v1 request_id matches the header")
    check("hello v1" in env["log"] and "to stderr" in env["log"], "v1 log has stdout and stderr")
    check("Start invoke request '%s'" % env["request_id"] in env["log"] and "Finish invoke request" in env["log"],
          "v1 log has the start and finish lines")
    tl = tail_log(h)
    check("hello v1" in tl and len(tl.encode()) <= 2000, "X-Cff-Function-Log is the base64 log tail (<= 2000 bytes)")
    check(h.get("x-cff-response-version") == "v1", "X-Cff-Response-Version v1")
    st, env, h = v1(s, "hello", {"who": "again"})
    check("hello v1" not in env["log"] and "hello again" in env["log"], "the log holds only this invocation's output")

    # --- a 5 MB event passes through
    create(s, "evlen", "def handler(e, c):\n    return len(e['blob'])\n", memory_size=512)
    st, body, h = invoke_json(s, "evlen", {"blob": "z" * (5 * 1024 * 1024)})
    check(st == 200 and body == 5 * 1024 * 1024, "a 5 MB event reaches the function (%s %r)" % (st, body if not isinstance(body, bytes) else body[:100]))

    # --- string result and None
    create(s, "strres", "def handler(e, c):\n    return e.get('s')\n")
    st, body, h = invoke(s, "strres", {"s": "plain text"})
    check(st == 200 and body == b"plain text", "a str result is the body verbatim")
    st, body, h = invoke(s, "strres", {})
    check(st == 200 and body == b"", "None gives an empty body")
    st, env, h = v1(s, "strres", {"s": "x"})
    check(env["result"] == "x", "v1 result of a str is the str")

    # --- context methods, user data, env
    create(s, "ctx", CONTEXT, user_data='{"color":"blue","LD_PRELOAD":"/opt/function/code/nope.so"}', encrypted_user_data='{"secret":"s3"}',
           timeout=7)
    st, env, h = v1(s, "ctx", {}, {"X-Cff-Log-Type": "tail"})
    c = json.loads(env["result"]) if st == 200 else {}
    check(c.get("rid") == env.get("request_id"), "getRequestID is the invocation's request id")
    check(0 < c.get("remaining", 0) <= 7000, "getRemainingTimeInMilliSeconds within the timeout (%s)" % c.get("remaining"))
    check(c.get("ak") == "" and c.get("sk") == "" and c.get("token") == "", "no agency: empty keys and token")
    check(c.get("ud") == "blue" and c.get("ud_missing") is None, "getUserData(key), None when missing")
    check(c.get("enc") == "s3", "encrypted_user_data is decrypted into getUserData")
    check(c.get("env_color") == "blue" and c.get("env_secret") is None,
          "user_data is also an environment variable; encrypted data is not")
    check(c.get("env_prefixed") == [], "no FGS_* variables leak into the function's environment")
    with open(s.data_dir + "/fgsd.log", "rb") as lf:
        check(b"nope.so" not in lf.read(), "a user LD_PRELOAD never reaches fgs-init (nothing in fgsd's log)")
    check(c.get("name") == "ctx" and c.get("version") == "latest" and c.get("package") == "default",
          "getFunctionName, getVersion, getPackage")
    check(c.get("running") == 7 and c.get("memory") == 128 and c.get("cpu") == 300,
          "getRunningTimeInSeconds, getMemorySize, getCPUNumber (millicores)")
    check(c.get("project") == s.project, "getProjectID")
    e = c.get("env", {})
    check(e.get("RUNTIME_CODE_ROOT") == "/opt/function/code" and e.get("RUNTIME_HANDLER") == "index.handler" and
          e.get("RUNTIME_MEMORY") == "128" and e.get("RUNTIME_TIMEOUT") == "7" and
          e.get("RUNTIME_MAX_RESP_BODY_SIZE") == "6291456" and json.loads(e.get("RUNTIME_USERDATA", "{}")).get("color") == "blue",
          "RUNTIME_* variables")
    check(c.get("cwd") == "/opt/function/code", "working directory is the code root")
    check(" INFO info line 1" in env["log"] and " WARN warn line" in env["log"] and " ERROR error line" in env["log"]
          and env["request_id"] in env["log"], "getLogger lines carry level and request id")
    st, body, h = invoke_json(s, "ctx", {}, {"X-Cff-Instance-Memory": "256"})
    check(st == 200 and body["memory"] == 256 and body["cpu"] == 400, "X-Cff-Instance-Memory sets the memory")
    st, body, h = invoke_json(s, "ctx", {}, {"X-Cff-Instance-Memory": "100"})
    check(st == 400, "an invalid X-Cff-Instance-Memory is 400")

    # --- initializer once per instance, warm reuse
    create(s, "init", INIT, initializer_handler="index.init", initializer_timeout=10)
    results = [invoke_json(s, "init")[1] for _ in range(3)]
    check(all(r and r["init"] == 1 for r in results), "initializer ran exactly once (%s)" % results)
    check([r["calls"] for r in results] == [1, 2, 3] and len({r["token"] for r in results}) == 1,
          "sequential invocations reuse the warm instance")

    # --- function errors
    create(s, "raises", RAISES)
    st, body, h = invoke_json(s, "raises", {"x": 42})
    check(st == 200 and h.get("x-is-func-err") == "true" and h.get("x-func-err-code") == "4002",
          "an exception is a function error (X-Is-Func-Err, code 4002)")
    check(isinstance(body, dict) and body.get("errorType") == "ValueError" and body.get("errorMessage") == "bad input: 42"
          and isinstance(body.get("stackTrace"), list) and any("raise ValueError" in l for l in body["stackTrace"]),
          "error body has errorMessage, errorType, stackTrace (%r)" % body)
    st, env, h = v1(s, "raises", {"x": 1})
    check(env["status"] == 500 and json.loads(env["result"])["errorType"] == "ValueError" and "about to fail" in env["log"],
          "v1 function error: status 500, error JSON in result, output in log")
    st, body, h = invoke_json(s, "raises", {"x": 2})
    check(st == 200 and body.get("errorMessage") == "bad input: 2", "the instance survives an exception")

    create(s, "importerr", "import no_such_module_here\ndef handler(e, c):\n    return 1\n")
    st, body, h = invoke_json(s, "importerr")
    check(st == 200 and h.get("x-func-err-code") == "4001" and body.get("errorType") == "ModuleNotFoundError",
          "an import error is function error 4001 (%s %r)" % (st, body))
    create(s, "nohandler", "def other(e, c):\n    return 1\n", handler="index.handler")
    st, body, h = invoke_json(s, "nohandler")
    check(st == 200 and h.get("x-func-err-code") == "4001" and "handler" in body.get("errorMessage", ""),
          "a missing handler function is 4001")
    create(s, "nofile", "def handler(e, c):\n    return 1\n", handler="main.handler")
    st, body, h = invoke_json(s, "nofile")
    check(st == 200 and h.get("x-func-err-code") == "4001", "a missing handler file is 4001")
    create(s, "badinit", "def init(c):\n    raise RuntimeError('init broke')\ndef handler(e, c):\n    return 1\n",
           initializer_handler="index.init", initializer_timeout=5)
    st, body, h = invoke_json(s, "badinit")
    check(st == 200 and h.get("x-func-err-code") == "4009" and body.get("errorMessage") == "init broke",
          "a failing initializer is 4009")
    create(s, "notjson", "def handler(e, c):\n    return {'s': {1, 2}}\n")
    st, body, h = invoke_json(s, "notjson")
    check(st == 200 and h.get("x-func-err-code") == "4007", "an unserialisable result is 4007")
    create(s, "bigresp", "def handler(e, c):\n    return 'x' * (7 * 1024 * 1024)\n", memory_size=256)
    st, body, h = invoke_json(s, "bigresp")
    check(st == 200 and h.get("x-func-err-code") == "4004", "a result over 6 MB is 4004")
    st, body, h = invoke_json(s, "bigresp")
    check(st == 200 and h.get("x-func-err-code") == "4004", "the instance survives an oversized result")
    create(s, "hugeresp", "def handler(e, c):\n    return 'x' * (20 * 1024 * 1024)\n", memory_size=512)
    st, body, h = invoke_json(s, "hugeresp")
    check(st == 200 and h.get("x-func-err-code") == "4004", "a 20 MB result is 4004 too")

    # --- timeout: the instance is killed and replaced
    create(s, "slow", SLOW, timeout=3)
    (st, body, h), took = timed(lambda: invoke_json(s, "slow", {"sleep": 30}))
    check(st == 200 and h.get("x-func-err-code") == "4010" and "timed out" in body.get("errorMessage", ""),
          "a timeout is function error 4010 (%s %r)" % (st, body))
    check(took < 12, "the timeout answers near the 3 s limit (%.1f s)" % took)
    st, body, h = invoke_json(s, "slow", {"sleep": 0})
    check(st == 200 and body.get("slept") == 0, "the next invocation gets a fresh instance")

    # --- memory bomb: OOM error, fgsd and other functions unharmed
    create(s, "membomb", MEMBOMB, memory_size=128, timeout=30)
    (st, body, h), took = timed(lambda: invoke_json(s, "membomb"))
    check(st == 200 and h.get("x-func-err-code") == "4205" and body.get("errorMessage") == "runtime memory limit exceeded",
          "a memory bomb ends in 'runtime memory limit exceeded' (%s %r)" % (st, body))
    st, body, h = invoke_json(s, "hello", {"who": "after-oom"})
    check(st == 200 and body.get("hello") == "after-oom", "other functions still answer after an OOM")

    # --- fork bomb: pids limit
    create(s, "forkbomb", FORKBOMB, memory_size=1024, timeout=60)
    st, body, h = invoke_json(s, "forkbomb")
    check(st == 200 and isinstance(body, dict) and body.get("error") == 11 and 100 < body.get("forked", 0) < 1024,
          "a fork bomb stops at the pids limit with EAGAIN (%r)" % (body,))
    st, body, h = invoke_json(s, "hello", {"who": "after-forkbomb"})
    check(st == 200 and body.get("hello") == "after-forkbomb", "fgsd still answers after a fork bomb")

    # --- the sandbox from inside
    create(s, "probe", PROBE, memory_size=256)
    st, p, h = invoke_json(s, "probe", {"data_dir": s.data_dir, "port": s.port})
    if not check(st == 200 and isinstance(p, dict) and "uid" in p, "probe runs (%s %r)" % (st, p)):
        p = {}
    check(p.get("uid") == 1003 and p.get("gid") == 1003 and p.get("groups") == [], "runs as uid/gid 1003, no groups")
    check(p.get("capeff") == "0000000000000000" and p.get("capbnd") == "0000000000000000",
          "no effective or bounding capabilities")
    check(p.get("nnp") == "1" and p.get("seccomp") == "2", "no_new_privs and a seccomp filter")
    check(p.get("ppid") == 1, "the runtime's parent is fgs-init, pid 1 of its own pid namespace")
    check(set(p.get("root", [])) <= {"bin", "dev", "etc", "lib", "lib64", "opt", "proc", "sbin", "tmp", "usr"},
          "only the minimal root is visible (%s)" % p.get("root"))
    check(p.get("code") == ["index.py"], "the code directory holds only this function's code")
    check(p.get("data_dir_visible") is False, "fgsd's data directory is not visible")
    check(all(p.get(k) in ("EROFS", "EACCES") for k in ("write_code", "write_etc", "write_root", "write_usr", "write_dev")),
          "writes outside /tmp fail (%s)" % {k: p.get(k) for k in p if k.startswith("write")})
    check(p.get("write_tmp") == "ok", "/tmp is writable")
    check(p.get("read_init_environ") != "ok" and p.get("read_init_fd") != "ok",
          "fgs-init's environment and descriptors are out of reach")
    check(p.get("devices") == ["fd", "null", "random", "stderr", "stdin", "stdout", "urandom", "zero"],
          "/dev holds null, zero, random, urandom only (%s)" % p.get("devices"))
    check(p.get("interfaces") == ["lo"], "only a loopback interface")
    check(p.get("connect_fgsd") in ("ECONNREFUSED", "ENETUNREACH"), "fgsd's port on the host's 127.0.0.1 is unreachable (%s)" % p.get("connect_fgsd"))
    check(p.get("unshare") == [-1, 1] and p.get("mount") == [-1, 1], "unshare and mount are denied (EPERM)")
    den = p.get("denied", {})
    check(den and all(v == [-1, 1] for k, v in den.items() if k != "clone3") and den.get("clone3") == [-1, 38],
          "seccomp: ptrace, keyctl, bpf, perf, no-ASLR personality, setns, kexec, modules, userfaultfd, "
          "io_uring, clone(CLONE_NEWUSER) get EPERM; clone3 ENOSYS (%s)" % den)
    check(p.get("passwd_1003") is True and p.get("shadow") is False, "minimal /etc with uid 1003, no shadow")

    # --- request limits and routing errors
    st, body, h = s.raw("POST", "/v2/%s/fgs/functions/hello/invocations" % s.project,
                        b'{"k":"' + b"a" * (6 * 1024 * 1024) + b'"}')
    check(st == 413, "a body over 6 MB is 413 (got %s)" % st)
    st, body, h = invoke_json(s, "hello", raw=b"not json {")
    check(st == 406 and body.get("error_code") == "FSS.0406", "a non-JSON event is 406 FSS.0406")
    st, body, h = invoke_json(s, s.urn("hello", "v42"))
    check(st == 404 and body.get("error_code") == "FSS.1052", "an unknown version is 404 FSS.1052")
    st, body, h = invoke_json(s, s.urn("hello", "!nope"))
    check(st == 404 and body.get("error_code") == "FSS.1053", "an unknown alias is 404 FSS.1053")
    st, body, h = invoke_json(s, "nosuchfn")
    check(st == 404 and body.get("error_code") == "FSS.1051", "an unknown function is 404 FSS.1051")
    create(s, "java", "x", runtime="Java8", handler="a.b.c")
    st, body, h = invoke_json(s, "java")
    check(st == 501 and "not available" in body.get("error_msg", ""), "an unavailable runtime is a clear 501")
    create(s, "py27", "def handler(e, c):\n    return {'ok': 27}\n", runtime="Python2.7")
    st, body, h = invoke_json(s, "py27")
    check(st == 200 and body == {"ok": 27}, "Python2.7 maps to the host python3")

    # --- disabled
    create(s, "off", "def handler(e, c):\n    return 1\n")
    st, f, _ = s.call("PUT", "/functions/off/config",
                      {"func_name": "off", "runtime": "Python3.9", "handler": "index.handler", "memory_size": 128,
                       "timeout": 10, "strategy_config": {"concurrency": 0, "concurrent_num": 1}})
    check(st == 200, "config update with concurrency 0")
    st, body, h = invoke_json(s, "off")
    check(st == 429 and body.get("error_code") == "FSS.0429" and body.get("error_msg") == "Function Disabled",
          "a disabled function is 429 FSS.0429 Function Disabled")

    # --- versions and aliases (when the versions/aliases API is available)
    st, ver, _ = s.call("POST", "/functions/%s/versions" % s.urn("hello"), {"version": "v1", "description": "first"})
    if st == 200:
        st, body, h = invoke_json(s, s.urn("hello", "v1"), {"who": "ver"})
        check(st == 200 and body.get("hello") == "ver", "invoke a published version")
        st, al, _ = s.call("POST", "/functions/%s/aliases" % s.urn("hello"), {"name": "prod", "version": "v1"})
        if check(st == 200, "create an alias (%s %s)" % (st, al)):
            st, env, h = v1(s, s.urn("hello", "!prod"), {"who": "alias"})
            check(st == 200 and json.loads(env["result"]).get("hello") == "alias" and "version: v1" in env["log"],
                  "invoke through an alias runs its version")
    else:
        print("# SKIP versions/aliases: publish answered %s" % st)

    # --- parallel invocations
    create(s, "par", SLOW, timeout=20)
    out = [None] * 6
    import http.client
    def one(i):
        c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=120)
        c.request("POST", "/v2/%s/fgs/functions/par/invocations" % s.project, body=json.dumps({"sleep": 1}),
                  headers={"Content-Type": "application/json"})
        r = c.getresponse()
        out[i] = (r.status, json.loads(r.read()))
        c.close()
    t0 = time.time()
    threads = [threading.Thread(target=one, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    took = time.time() - t0
    check(all(o and o[0] == 200 and o[1].get("slept") == 1 for o in out), "6 parallel invocations all succeed")
    check(took < 5.5, "parallel invocations run concurrently (%.1f s for 6 x 1 s)" % took)

    check(s.alive(), "fgsd is still running")
done()
