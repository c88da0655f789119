"""fgs Python runtime: runs FunctionGraph Python handlers inside an instance.

Imported by shim.py, which fgs-init starts once per instance as
`python3 -I -S shim.py` (isolated
mode: no PYTHON* variables, no user site, no site-packages, no script
directory on sys.path) with the working directory /opt/function/code.
It imports the handler module once, runs the initializer once, then loops
over invocations, so the warm path costs one frame round trip.

Frames on fd 3 follow src/util/frame.h: a 32-byte little-endian header
(magic "FGSF", version 1, kind, flags, id, deadline ms, meta length,
payload length), JSON metadata, payload bytes. Everything the function
prints goes to stdout/stderr, which fgs-init captures as the invocation log.
This module is precompiled at build time (__pycache__), so a cold start
does not pay for compiling it; the entry script shim.py stays tiny.
"""
import importlib
import json
import os
import struct
import sys
import time
import traceback

HDR = struct.Struct("<4sBBHQQII")
READY, INVOKE, RESULT = 1, 2, 3
FD = 3
CODE_ROOT = os.environ.get("RUNTIME_CODE_ROOT", "/opt/function/code")

# error codes (the yr/FunctionGraph inner codes, see docs/runtimes.md)
MAX_RESP = 6291456 + 100  # RUNTIME_MAX_RESP_BODY_SIZE with its tolerance
E_ENTRY = 4001       # handler module or function not found / import error
E_RUN = 4002         # the function raised
E_RESP_SIZE = 4004   # the result exceeds MAX_RESP
E_NOT_JSON = 4007    # the result cannot be serialised
E_INIT = 4009        # the initializer raised


def _read_exact(n):
    chunks = []
    while n > 0:
        b = os.read(FD, min(n, 1 << 20))
        if not b:
            sys.exit(0)  # fgs-init closed the socket: the instance is ending
        chunks.append(b)
        n -= len(b)
    return b"".join(chunks)


def _recv():
    magic, ver, kind, _flags, rid, deadline, mlen, plen = HDR.unpack(_read_exact(HDR.size))
    if magic != b"FGSF" or ver != 1:
        sys.exit(3)
    meta = _read_exact(mlen) if mlen else b"{}"
    payload = _read_exact(plen) if plen else b""
    return kind, rid, deadline, json.loads(meta or b"{}"), payload


def _send(kind, rid, meta, payload=b""):
    m = json.dumps(meta).encode()
    view = memoryview(HDR.pack(b"FGSF", 1, kind, 0, rid, 0, len(m), len(payload)) + m + payload)
    while view:
        n = os.write(FD, view)
        view = view[n:]


def _env_int(name, default=0):
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


try:
    _USER_DATA = json.loads(os.environ.get("RUNTIME_USERDATA") or "{}")
    if not isinstance(_USER_DATA, dict):
        _USER_DATA = {}
except ValueError:
    _USER_DATA = {}


class _Logger:
    """context.getLogger(): lines `<time> <request id> <LEVEL> <message>` on stdout."""

    _LEVELS = {"DEBUG": 10, "INFO": 20, "WARN": 30, "ERROR": 40}

    def __init__(self, request_id):
        self._rid = request_id
        self._level = 20

    def setLevel(self, level):
        self._level = self._LEVELS.get(str(level).upper(), self._level)

    def _log(self, level, msg, args):
        if self._LEVELS[level] < self._level:
            return
        if args:
            try:
                msg = msg % args
            except (TypeError, ValueError):
                msg = " ".join([str(msg)] + [str(a) for a in args])
        now = time.time()
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".%03dZ" % (int(now * 1000) % 1000)
        sys.stdout.write("%s %s %s %s\n" % (stamp, self._rid, level, msg))

    def debug(self, msg, *args):
        self._log("DEBUG", msg, args)

    def info(self, msg, *args):
        self._log("INFO", msg, args)

    def warn(self, msg, *args):
        self._log("WARN", msg, args)

    warning = warn

    def error(self, msg, *args):
        self._log("ERROR", msg, args)


class Context:
    """The FunctionGraph context object (FGS-RUNTIME.md 1)."""

    def __init__(self, request_id="", deadline_ms=0, alias=""):
        self._rid = request_id
        self._deadline = deadline_ms
        self._alias = alias
        self._logger = _Logger(request_id)

    def getRequestID(self):
        return self._rid

    def getRemainingTimeInMilliSeconds(self):
        if not self._deadline:
            return _env_int("RUNTIME_TIMEOUT") * 1000
        return max(0, int(self._deadline - time.time() * 1000))

    def getAccessKey(self):
        return ""

    def getSecretKey(self):
        return ""

    def getSecurityAccessKey(self):
        return ""

    def getSecuritySecretKey(self):
        return ""

    def getSecurityToken(self):
        return ""

    def getToken(self):
        return ""

    def getUserData(self, key, default=None):
        return _USER_DATA.get(key, default)

    def getFunctionName(self):
        return os.environ.get("RUNTIME_FUNC_NAME", "")

    def getRunningTimeInSeconds(self):
        return _env_int("RUNTIME_TIMEOUT")

    def getVersion(self):
        return os.environ.get("RUNTIME_FUNC_VERSION", "latest")

    def getMemorySize(self):
        return _env_int("RUNTIME_MEMORY")

    def getCPUNumber(self):
        return _env_int("RUNTIME_CPU")

    def getPackage(self):
        return os.environ.get("RUNTIME_PACKAGE", "default")

    def getProjectID(self):
        return os.environ.get("RUNTIME_PROJECT_ID", "")

    def getAlias(self):
        return self._alias

    def getLogger(self):
        return self._logger


def _error(exc, skip=0):
    tb = traceback.extract_tb(exc.__traceback__)[skip:]
    return {
        "errorMessage": str(exc),
        "errorType": type(exc).__name__,
        "stackTrace": [line.rstrip("\n") for line in traceback.format_list(tb)],
    }


def _load(spec):
    """'dir/file.function' -> the function object. Raises on any failure."""
    if "." not in spec:
        raise ValueError("handler %r must look like file.function" % spec)
    module_path, func_name = spec.rsplit(".", 1)
    module = importlib.import_module(module_path.replace("/", "."))
    fn = getattr(module, func_name, None)
    if fn is None or not callable(fn):
        raise AttributeError("module '%s' has no function '%s'" % (module_path, func_name))
    return fn


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def _serialise(result):
    if result is None:
        return b""
    if isinstance(result, (bytes, bytearray)):
        return bytes(result)
    if isinstance(result, str):
        return result.encode("utf-8", "surrogateescape")
    return json.dumps(result).encode()


def main():
    sys.path.insert(0, CODE_ROOT)
    sys.dont_write_bytecode = True  # the code directory is read-only
    try:
        handler = _load(os.environ.get("RUNTIME_HANDLER", ""))
    except BaseException as exc:  # SyntaxError, ImportError, SystemExit in module code...
        traceback.print_exc()
        _flush()
        _send(READY, 0, {"ok": False, "code": E_ENTRY}, json.dumps(_error(exc)).encode())
        return
    init_spec = os.environ.get("RUNTIME_INITIALIZER_HANDLER", "")
    if init_spec:
        try:
            _load(init_spec)(Context())
        except BaseException as exc:
            traceback.print_exc()
            _flush()
            _send(READY, 0, {"ok": False, "code": E_INIT}, json.dumps(_error(exc, 1)).encode())
            return
    _flush()
    _send(READY, 0, {"ok": True})
    while True:
        kind, rid, deadline, meta, payload = _recv()
        if kind != INVOKE:
            continue
        ctx = Context(meta.get("request_id", ""), deadline, meta.get("alias", ""))
        try:
            event = json.loads(payload) if payload else {}
            result = handler(event, ctx)
        except Exception as exc:
            _flush()
            _send(RESULT, rid, {"ok": False, "code": E_RUN}, json.dumps(_error(exc, 1)).encode())
            continue
        try:
            body = _serialise(result)
        except (TypeError, ValueError) as exc:
            _flush()
            err = {"errorMessage": "the function result is not JSON serializable: %s" % exc,
                   "errorType": type(exc).__name__, "stackTrace": []}
            _send(RESULT, rid, {"ok": False, "code": E_NOT_JSON}, json.dumps(err).encode())
            continue
        _flush()
        if len(body) > MAX_RESP:
            err = {"errorMessage": "the function result exceeds 6291456 bytes",
                   "errorType": "FunctionResponseTooLarge", "stackTrace": []}
            _send(RESULT, rid, {"ok": False, "code": E_RESP_SIZE}, json.dumps(err).encode())
            continue
        _send(RESULT, rid, {"ok": True, "json": not isinstance(result, (str, bytes, bytearray))}, body)


