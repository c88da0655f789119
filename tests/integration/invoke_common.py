"""Helpers shared by the invocation tests (test_invoke_*.py)."""
import base64
import json
import os

from fgsd import b64

SKIP_REASON = None
if os.geteuid() != 0:
    SKIP_REASON = "sandboxed instances need root (namespaces, cgroups)"


def create(s, name, code, runtime="Python3.9", handler="index.handler", **over):
    """Creates an inline function; returns its config (or raises with the error)."""
    body = {
        "func_name": name, "package": "default", "runtime": runtime, "handler": handler,
        "memory_size": 128, "timeout": 10, "code_type": "inline",
        "func_code": {"file": b64(code)},
    }
    body.update(over)
    st, f, _ = s.call("POST", "/functions", body)
    if st != 200:
        raise RuntimeError("create %s: %s %s" % (name, st, f))
    return f


def invoke(s, name, event=None, headers=None, raw=None):
    """Invokes synchronously; returns (status, body bytes, headers)."""
    data = raw if raw is not None else json.dumps({} if event is None else event).encode()
    return s.raw("POST", "/v2/%s/fgs/functions/%s/invocations" % (s.project, name), data,
                 headers or {})


def invoke_json(s, name, event=None, headers=None, raw=None):
    st, body, h = invoke(s, name, event, headers, raw)
    try:
        return st, json.loads(body) if body else None, h
    except ValueError:
        return st, body, h


def v1(s, name, event=None, headers=None):
    hdrs = {"X-CFF-Request-Version": "v1"}
    hdrs.update(headers or {})
    return invoke_json(s, name, event, hdrs)


def tail_log(h):
    return base64.b64decode(h.get("x-cff-function-log", "")).decode(errors="replace")
