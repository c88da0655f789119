"""Instance life cycle against a real fgsd: idle instances are stopped after
--instance-idle-seconds (the next call is a cold start and runs the
initializer again), the per-function instance cap (max_instance_num),
weighted alias routing, and a shutdown during a running invocation that
ends promptly and leaves no cgroups behind."""
import glob
import json
import os
import sys
import threading
import time

from fgsd import Fgsd, check, done
from invoke_common import SKIP_REASON, create, invoke_json

if SKIP_REASON:
    print("1..0 # SKIP " + SKIP_REASON)
    sys.exit(0)

INIT = """
import random
STATE = {"inits": 0}
TOKEN = random.random()
def init(context):
    STATE["inits"] += 1
def handler(event, context):
    import time
    time.sleep(event.get("sleep", 0))
    return {"inits": STATE["inits"], "token": TOKEN}
"""


def cgroup_dirs(pid):
    return glob.glob("/sys/fs/cgroup/*/fgs.%d" % pid)


def instance_dir(base):
    """The instance cgroup under base that runs a python3 process (spares run none yet)."""
    for d in glob.glob(base + "/*/"):
        try:
            with open(d + "cgroup.procs") as f:
                pids = f.read().split()
        except OSError:
            continue
        for p in pids:
            try:
                with open("/proc/%s/comm" % p) as f:
                    if f.read().strip().startswith("python3"):
                        return d.rstrip("/")
            except OSError:
                pass
    return None


with Fgsd(["--instance-idle-seconds", "1"]) as s:
    create(s, "idle", INIT, initializer_handler="index.init", initializer_timeout=10)
    st, a, _ = invoke_json(s, "idle")
    st, b, _ = invoke_json(s, "idle")
    check(a and b and a["token"] == b["token"], "back-to-back calls reuse the instance")
    fgsd_pid = s.proc.pid
    base = [d for d in cgroup_dirs(fgsd_pid) if "/memory/" in d]
    inst = instance_dir(base[0]) if base else None
    check(inst is not None, "the instance runs in its own memory cgroup under fgs.<pid> (%s)" % inst)
    gone = False
    for _ in range(40):  # bounded: 40 x 0.25 s
        time.sleep(0.25)
        if inst and not os.path.isdir(inst):
            gone = True
            break
    check(gone, "the idle instance is stopped and its cgroup removed after the keep-alive")
    st, c, _ = invoke_json(s, "idle")
    check(c and c["token"] != a["token"] and c["inits"] == 1, "the next call starts a new instance (initializer again)")

    # max_instance_num caps the pool: with 1 instance, parallel calls are served one after another
    create(s, "capped", INIT, initializer_handler="index.init", initializer_timeout=10)
    st, r, _ = s.call("PUT", "/functions/%s/config-max-instance" % s.urn("capped"), {"max_instance_num": 1})
    if st == 200:
        out = []
        import http.client

        def call():
            c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60)
            c.request("POST", "/v2/%s/fgs/functions/capped/invocations" % s.project, body='{"sleep": 0.5}',
                      headers={"Content-Type": "application/json"})
            resp = c.getresponse()
            out.append((resp.status, json.loads(resp.read())))
            c.close()
        t0 = time.time()
        ts = [threading.Thread(target=call) for _ in range(3)]
        for t in ts:
            t.start()
        for t in ts:
            t.join(60)
        took = time.time() - t0
        check(len(out) == 3 and all(o[0] == 200 for o in out) and len({o[1]["token"] for o in out}) == 1,
              "max_instance_num 1: all calls served by one instance (%s)" % out)
        check(took >= 1.4, "and one after another (%.2f s for 3 x 0.5 s)" % took)
        st, _, _ = s.call("POST", "/functions/%s/versions" % s.urn("capped"), {"version": "v1"})
        if st == 200:
            st, r1, h1 = invoke_json(s, s.urn("capped", "v1"))
            check(st == 200 and h1.get("x-is-func-err") == "false" and r1["token"] != out[0][1]["token"],
                  "at the cap, another version still runs: the idle instance of latest makes room")
            res = []

            def call_ver(q):
                c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60)
                c.request("POST", "/v2/%s/fgs/functions/%s/invocations" % (s.project, q), body='{"sleep": 1}',
                          headers={"Content-Type": "application/json"})
                resp = c.getresponse()
                res.append((resp.status, resp.read()))
                c.close()
            t0 = time.time()
            ts = [threading.Thread(target=call_ver, args=(q,)) for q in ("capped", s.urn("capped", "v1"))]
            for t in ts:
                t.start()
            for t in ts:
                t.join(60)
            took = time.time() - t0
            check(len(res) == 2 and all(r[0] == 200 for r in res) and took >= 1.9,
                  "max_instance_num spans versions: two versions at cap 1 run one after another (%.2f s)" % took)
        else:
            print("# SKIP cap across versions: publish answered %s" % st)
    else:
        print("# SKIP max_instance_num: config-max-instance answered %s" % st)

    # weighted alias routing (when versions and aliases are available)
    create(s, "w", "def handler(e, c):\n    return c.getVersion()\n")
    st, _, _ = s.call("POST", "/functions/%s/versions" % s.urn("w"), {"version": "one"})
    if st == 200:
        st, _, _ = s.call("PUT", "/functions/%s/code" % s.urn("w"),
                          {"code_type": "inline", "func_code": {"file": __import__("base64").b64encode(
                              b"def handler(e, c):\n    return c.getVersion() + ''\n").decode()}})
        st2, _, _ = s.call("POST", "/functions/%s/versions" % s.urn("w"), {"version": "two"})
        st3, al, _ = s.call("POST", "/functions/%s/aliases" % s.urn("w"),
                            {"name": "canary", "version": "one", "additional_version_weights": {"two": 50}})
        if check(st2 == 200 and st3 == 200, "two versions and a weighted alias (%s %s %s)" % (st2, st3, al)):
            seen = {}
            for _ in range(40):
                st, body, _ = s.raw("POST", "/v2/%s/fgs/functions/%s/invocations" % (s.project, s.urn("w", "!canary")),
                                    b"{}")
                seen[body] = seen.get(body, 0) + 1
            check(set(seen) == {b"one", b"two"}, "a 50%% weight sends traffic to both versions (%s)" % seen)
        st4, al, _ = s.call("POST", "/functions/%s/aliases" % s.urn("w"),
                            {"name": "rules", "version": "two", "additional_version_strategy": {
                                "one": {"combine_type": "or", "rules": [
                                    {"rule_type": "header", "param": "x-beta", "op": "=", "value": "yes"},
                                    {"rule_type": "cookie", "param": "group", "op": "in", "value": "a,b"}]}}})
        if check(st4 == 200, "an alias with header/cookie rules (%s %s)" % (st4, al)):
            path = "/v2/%s/fgs/functions/%s/invocations" % (s.project, s.urn("w", "!rules"))
            r = [s.raw("POST", path, b"{}", h)[1] for h in
                 ({}, {"X-Beta": "yes"}, {"X-Beta": "no"}, {"Cookie": "x=1; group=b"}, {"Cookie": "group=c"})]
            check(r == [b"two", b"one", b"two", b"one", b"two"],
                  "header and cookie rules route to the additional version, others to the main (%s)" % r)
    else:
        print("# SKIP weighted aliases: publish answered %s" % st)

# a new code version supersedes the old instances at once (not after the 300 s keep-alive)
with Fgsd() as s:
    create(s, "upd", INIT, initializer_handler="index.init", initializer_timeout=10)
    st, a, _ = invoke_json(s, "upd")
    base = [d for d in cgroup_dirs(s.proc.pid) if "/memory/" in d]
    old_dir = instance_dir(base[0]) if base else None
    check(old_dir is not None, "the first code runs in an instance")
    st, _, _ = s.call("PUT", "/functions/%s/code" % s.urn("upd"),
                      {"code_type": "inline", "func_code": {"file": __import__("base64").b64encode(
                          (INIT + "\n# v2\n").encode()).decode()}})
    check(st == 200, "update the code")
    st, b, _ = invoke_json(s, "upd")
    check(b and a and b["token"] != a["token"], "the new code runs in a new instance")
    gone = False
    for _ in range(40):
        if old_dir and not os.path.isdir(old_dir):
            gone = True
            break
        time.sleep(0.25)
    check(gone, "the superseded instance is stopped right away")

# shutdown during a running invocation
s = Fgsd()
create(s, "long", INIT, timeout=60)
res = []


def long_call():
    try:
        res.append(invoke_json(s, "long", {"sleep": 50}))
    except Exception as e:  # the connection may be closed by the shutdown
        res.append(e)


t = threading.Thread(target=long_call)
t.start()
time.sleep(2)
pid = s.proc.pid
check(len(cgroup_dirs(pid)) >= 2, "fgsd has cgroup directories while running")
t0 = time.time()
s.close()
took = time.time() - t0
t.join(30)
check(took < 8, "SIGTERM during a 50 s invocation stops fgsd promptly (%.1f s)" % took)
check(cgroup_dirs(pid) == [], "no cgroup directories are left behind")
check(res and not (isinstance(res[0], tuple) and res[0][0] == 200 and res[0][2].get("x-is-func-err") == "false"),
      "the interrupted invocation did not report success")
# SIGKILL: instances die with fgsd (parent-death signal); the next fgsd removes the leftovers
s = Fgsd()
create(s, "k", INIT)
st, _, _ = invoke_json(s, "k")
check(st == 200, "an instance runs before the kill")
pid = s.proc.pid
s.proc.kill()
s.proc.wait()
left = cgroup_dirs(pid)
check(left != [], "a killed fgsd leaves its cgroup directories behind")
gone = False
for _ in range(40):
    alive = []
    for p in glob.glob("/proc/[0-9]*"):
        try:
            with open(p + "/cgroup") as f:
                if ("fgs.%d/" % pid) in f.read():
                    alive.append(p)
        except OSError:
            pass  # exited meanwhile
    if not alive:
        gone = True
        break
    time.sleep(0.25)
check(gone, "its instances and spares died with it")
s.stderr.close()
s.proc = None
s.start()
check(cgroup_dirs(pid) == [], "the next fgsd removes the directories of the dead one")
s.close()
done()
