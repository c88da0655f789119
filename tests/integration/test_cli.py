"""The fgs CLI against a real fgsd: exit codes (0 ok, 1 server error,
2 usage, 3 local OS error), table and JSON output, code directories zipped,
single files inline, configuration from flags, environment and a profile
file, --help everywhere, and the FSS error line on stderr.

Not covered yet (server answers 503/501 today): fgs invoke (sync, --async).
"""
import json
import os
import subprocess
import tempfile

from fgsd import BUILD, Fgsd, check, done

FGS = os.path.join(BUILD, "fgs")


def fgs(s, *args, env=None, use_env=True):
    e = {"PATH": os.environ.get("PATH", ""), "HOME": s.data_dir}
    if use_env:
        e["FGS_ENDPOINT"] = s.base
        e["FGS_PROJECT_ID"] = s.project
    e.update(env or {})
    p = subprocess.run([FGS] + list(args), env=e, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


with Fgsd() as s:
    src = tempfile.mkdtemp(dir=s.data_dir)
    os.makedirs(os.path.join(src, "lib"))
    with open(os.path.join(src, "index.py"), "w") as f:
        f.write("def handler(event, context):\n    return {'ok': True}\n")
    with open(os.path.join(src, "lib", "util.py"), "w") as f:
        f.write("X = 1\n")

    rc, out, err = fgs(s, "function", "create", "--name", "hello", "--runtime", "Python3.9",
                       "--handler", "index.handler", "--code", src)
    check(rc == 0 and "hello" in out and "zip" in out, "create from a directory (zipped) (%s)" % err)
    rc, out, err = fgs(s, "function", "create", "--name", "single", "--runtime", "Python3.9",
                       "--handler", "index.handler", "--code", os.path.join(src, "index.py"),
                       "--output", "json")
    j = json.loads(out) if rc == 0 else {}
    check(rc == 0 and j.get("code_type") == "inline" and j.get("func_name") == "single",
          "create from one file is inline, --output json")
    rc, out, err = fgs(s, "function", "create", "--name", "hello", "--runtime", "Python3.9",
                       "--handler", "index.handler", "--code", src)
    check(rc == 1 and err.startswith("fgs: FSS.1061: "), "duplicate: exit 1, 'fgs: FSS.1061: ...'")
    rc, out, err = fgs(s, "function", "create", "--name", "nocode", "--runtime", "Python3.9",
                       "--handler", "index.handler", "--code", "/nonexistent/dir")
    check(rc == 3, "missing code path: exit 3")
    rc, out, err = fgs(s, "function", "create", "--runtime", "Python3.9")
    check(rc == 2 and "required" in err, "missing --name: exit 2")

    rc, out, err = fgs(s, "function", "list")
    check(rc == 0 and "hello" in out and "single" in out and "NAME" in out, "list as a table")
    rc, out, err = fgs(s, "function", "list", "--all", "--maxitems", "1", "--output", "json")
    names = sorted(f["func_name"] for f in json.loads(out)) if rc == 0 else []
    check(names == ["hello", "single"], "list --all follows the pages (%s)" % names)
    rc, out, err = fgs(s, "function", "list", "--maxitems", "-1")
    check(rc == 2, "bad --maxitems: exit 2")

    rc, out, err = fgs(s, "function", "get", "hello", "--output", "json")
    check(rc == 0 and json.loads(out)["handler"] == "index.handler", "get --output json")
    rc, out, err = fgs(s, "function", "get", "nope")
    check(rc == 1 and err.strip().startswith("fgs: FSS.1051: "), "get missing: FSS.1051, exit 1")
    rc, out, err = fgs(s, "function", "update-config", "hello", "--memory", "256", "--timeout", "9")
    check(rc == 0 and "256" in out, "update-config keeps the rest, changes memory")
    st, cfg, _ = s.call("GET", "/functions/hello/config")
    check(cfg["memory_size"] == 256 and cfg["timeout"] == 9 and cfg["runtime"] == "Python3.9",
          "server has the new memory and timeout")
    rc, out, err = fgs(s, "function", "update-code", "hello", "--code",
                       os.path.join(src, "index.py"))
    check(rc == 0 and "digest" in out, "update-code with a file")
    out_file = os.path.join(s.data_dir, "code.out")
    rc, out, err = fgs(s, "function", "code", "hello", "--out", out_file)
    check(rc == 0 and os.path.exists(out_file), "code --out writes a file")

    rc, out, err = fgs(s, "version", "publish", "hello", "--version", "v1", "--description", "one")
    check(rc == 0 and "v1" in out, "version publish")
    rc, out, err = fgs(s, "version", "list", "hello")
    check(rc == 0 and "latest" in out and "v1" in out, "version list")
    rc, out, err = fgs(s, "alias", "create", "hello", "dev", "--version", "v1")
    check(rc == 0 and "!dev" in out, "alias create")
    rc, out, err = fgs(s, "alias", "get", "hello", "dev", "--output", "json")
    check(rc == 0 and json.loads(out)["version"] == "v1", "alias get")
    rc, out, err = fgs(s, "alias", "update", "hello", "dev", "--version", "latest")
    check(rc == 0 and "latest" in out, "alias update")
    rc, out, err = fgs(s, "alias", "list", "hello")
    check(rc == 0 and "dev" in out, "alias list")
    rc, out, err = fgs(s, "alias", "create", "hello", "bad", "--version", "v1", "--weight", "x")
    check(rc == 2, "bad --weight: exit 2")
    rc, out, err = fgs(s, "alias", "delete", "hello", "dev")
    check(rc == 0, "alias delete")
    rc, out, err = fgs(s, "alias", "get", "hello", "dev")
    check(rc == 1 and "FSS.1053" in err, "deleted alias: FSS.1053")

    rc, out, err = fgs(s, "trigger", "create", "hello", "--type", "TIMER", "--schedule", "1m",
                       "--output", "json")
    t = json.loads(out) if rc == 0 else {}
    check(rc == 0 and t.get("trigger_type_code") == "TIMER" and
          t.get("event_data", {}).get("schedule_type") == "Rate", "trigger create TIMER 1m (%s)" % err)
    tid = t.get("trigger_id", "x")
    rc, out, err = fgs(s, "trigger", "list", "hello")
    check(rc == 0 and tid in out, "trigger list")
    rc, out, err = fgs(s, "trigger", "get", "hello", "TIMER", tid)
    check(rc == 0 and "ACTIVE" in out, "trigger get")
    rc, out, err = fgs(s, "trigger", "update", "hello", "TIMER", tid, "--status", "DISABLED")
    check(rc == 0 and "DISABLED" in out, "trigger update --status DISABLED (%s)" % err)
    rc, out, err = fgs(s, "trigger", "delete", "hello", "TIMER", tid)
    check(rc == 0, "trigger delete")
    rc, out, err = fgs(s, "trigger", "get", "hello", "TIMER", tid)
    check(rc == 1 and "FSS." in err, "deleted trigger is gone")
    fgs(s, "trigger", "create", "hello", "--type", "TIMER", "--schedule", "0 0 * * * *")
    rc, out, err = fgs(s, "trigger", "delete-all", "hello")
    rc2, out2, _ = fgs(s, "trigger", "list", "hello", "--output", "json")
    check(rc == 0 and rc2 == 0 and json.loads(out2) == [], "trigger delete-all")
    rc, out, err = fgs(s, "trigger", "create", "hello", "--type", "OBS")
    check(rc == 2, "non-TIMER trigger without --event-data: exit 2")

    rc, out, err = fgs(s, "async-config", "put", "hello", "--max-age", "60", "--retries", "0")
    check(rc == 0 and "60" in out, "async-config put")
    rc, out, err = fgs(s, "async-config", "get", "hello", "--output", "json")
    check(rc == 0 and json.loads(out)["max_async_retry_attempts"] == 0, "async-config get")
    rc, out, err = fgs(s, "async-config", "delete", "hello")
    check(rc == 0, "async-config delete")

    rc, out, err = fgs(s, "quotas")
    check(rc == 0 and "fgs_func_num" in out, "quotas")

    # configuration sources
    rc, out, err = fgs(s, "function", "list", use_env=False)
    check(rc == 2 and "project id" in err, "no configuration: exit 2")
    rc, out, err = fgs(s, "function", "list", "--endpoint", s.base, "--project-id", s.project,
                       use_env=False)
    check(rc == 0 and "hello" in out, "configuration from flags")
    cfgdir = os.path.join(s.data_dir, ".config", "fgs")
    os.makedirs(cfgdir)
    with open(os.path.join(cfgdir, "config"), "w") as f:
        f.write("# fgs profiles\n[default]\nendpoint = http://127.0.0.1:1\nproject_id = %s\n\n"
                "[local]\nendpoint = %s\nproject_id = %s\n" % (s.project, s.base, s.project))
    rc, out, err = fgs(s, "function", "list", "--profile", "local", use_env=False)
    check(rc == 0 and "hello" in out, "configuration from a profile")
    rc, out, err = fgs(s, "function", "list", use_env=False, env={"FGS_PROFILE": "local"})
    check(rc == 0, "FGS_PROFILE selects the profile")
    rc, out, err = fgs(s, "function", "list", use_env=False)
    check(rc == 1 and err.startswith("fgs: "), "default profile with a dead endpoint: exit 1")
    rc, out, err = fgs(s, "function", "list", env={"FGS_ENDPOINT": s.base})
    check(rc == 0, "environment beats the profile")
    rc, out, err = fgs(s, "function", "list", "--profile", "nope", use_env=False)
    check(rc == 2, "unknown profile: exit 2")

    # help and usage
    for args in (["--help"], ["function", "--help"], ["function", "create", "--help"],
                 ["version", "list", "--help"], ["alias", "update", "--help"],
                 ["invoke", "--help"], ["trigger", "create", "--help"],
                 ["async-config", "put", "--help"], ["quotas", "--help"]):
        rc, out, err = fgs(s, *args)
        check(rc == 0 and "usage:" in out, "fgs %s" % " ".join(args))
    rc, out, err = fgs(s, "nosuch")
    check(rc == 2, "unknown command: exit 2")
    rc, out, err = fgs(s, "function", "get")
    check(rc == 2, "missing argument: exit 2")
    rc, out, err = fgs(s, "function", "get", "a", "--bogus")
    check(rc == 2, "unknown option: exit 2")

    rc, out, err = fgs(s, "function", "delete", "single")
    check(rc == 0, "function delete")
    rc, out, err = fgs(s, "function", "delete", "single")
    check(rc == 1 and "FSS.1051" in err, "delete again: FSS.1051")

done()
