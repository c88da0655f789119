'use strict';
/*
 * fgs Node.js runtime shim: runs FunctionGraph Node.js handlers inside an
 * instance. Started once per instance by fgs-init as `node shim.js` with a
 * clean environment and the working directory /opt/function/code. It
 * requires the handler module once, runs the initializer once, then serves
 * invocations one at a time over the frame socket on fd 3.
 *
 * Handlers: `exports.handler = async (event, context) => result`, or the
 * callback style `function (event, context, callback)`. Frames follow
 * src/util/frame.h (32-byte little-endian header, JSON meta, payload).
 * console output goes to stdout/stderr, which fgs-init captures as the
 * invocation log (pipes are written synchronously by Node on Linux).
 */
const net = require('net');
const path = require('path');

const READY = 1, INVOKE = 2, RESULT = 3;
const CODE_ROOT = process.env.RUNTIME_CODE_ROOT || '/opt/function/code';
const E_ENTRY = 4001, E_RUN = 4002, E_RESP_SIZE = 4004, E_NOT_JSON = 4007, E_INIT = 4009;
const MAX_RESP = 6291456 + 100; /* RUNTIME_MAX_RESP_BODY_SIZE with its tolerance */

const sock = new net.Socket({ fd: 3, readable: true, writable: true });
sock.on('error', () => process.exit(0));
sock.on('close', () => process.exit(0));

function send(kind, id, meta, payload) {
    const m = Buffer.from(JSON.stringify(meta));
    const p = payload ? Buffer.from(payload) : Buffer.alloc(0);
    const h = Buffer.alloc(32);
    h.write('FGSF', 0, 'latin1');
    h.writeUInt8(1, 4);
    h.writeUInt8(kind, 5);
    h.writeUInt16LE(0, 6);
    h.writeBigUInt64LE(BigInt(id), 8);
    h.writeBigUInt64LE(0n, 16);
    h.writeUInt32LE(m.length, 24);
    h.writeUInt32LE(p.length, 28);
    sock.write(Buffer.concat([h, m, p]));
}

function envInt(name) {
    const n = parseInt(process.env[name] || '0', 10);
    return Number.isFinite(n) ? n : 0;
}

let userData = {};
try {
    userData = JSON.parse(process.env.RUNTIME_USERDATA || '{}') || {};
} catch (e) {
    userData = {};
}

function makeLogger(rid) {
    const levels = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };
    let min = 20;
    const log = (level) => (...args) => {
        if (levels[level] < min) return;
        const msg = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
        process.stdout.write(`${new Date().toISOString()} ${rid} ${level} ${msg}\n`);
    };
    return {
        debug: log('DEBUG'), info: log('INFO'), warn: log('WARN'), error: log('ERROR'),
        setLevel: (l) => { if (levels[String(l).toUpperCase()]) min = levels[String(l).toUpperCase()]; },
    };
}

function makeContext(rid, deadline, alias) {
    const logger = makeLogger(rid);
    return {
        getRequestID: () => rid,
        getRemainingTimeInMilliSeconds: () =>
            deadline ? Math.max(0, deadline - Date.now()) : envInt('RUNTIME_TIMEOUT') * 1000,
        getAccessKey: () => '', getSecretKey: () => '',
        getSecurityAccessKey: () => '', getSecuritySecretKey: () => '', getSecurityToken: () => '',
        getToken: () => '',
        getUserData: (key, dflt) => (key in userData ? userData[key] : dflt),
        getFunctionName: () => process.env.RUNTIME_FUNC_NAME || '',
        getRunningTimeInSeconds: () => envInt('RUNTIME_TIMEOUT'),
        getVersion: () => process.env.RUNTIME_FUNC_VERSION || 'latest',
        getMemorySize: () => envInt('RUNTIME_MEMORY'),
        getCPUNumber: () => envInt('RUNTIME_CPU'),
        getPackage: () => process.env.RUNTIME_PACKAGE || 'default',
        getProjectID: () => process.env.RUNTIME_PROJECT_ID || '',
        getAlias: () => alias || '',
        getLogger: () => logger,
    };
}

function errorJson(err) {
    if (err instanceof Error) {
        const lines = String(err.stack || '').split('\n').slice(1).map((l) => l.trim());
        return { errorMessage: err.message, errorType: err.name || 'Error', stackTrace: lines };
    }
    return { errorMessage: typeof err === 'string' ? err : JSON.stringify(err),
             errorType: 'Error', stackTrace: [] };
}

function load(spec) {
    const dot = spec.lastIndexOf('.');
    if (dot <= 0) throw new Error(`handler '${spec}' must look like file.function`);
    const mod = require(path.join(CODE_ROOT, spec.slice(0, dot)));
    const fn = mod[spec.slice(dot + 1)];
    if (typeof fn !== 'function') {
        const e = new Error(`module '${spec.slice(0, dot)}' has no function '${spec.slice(dot + 1)}'`);
        e.name = 'HandlerNotFound';
        throw e;
    }
    return fn;
}

/* Calls fn(...args, callback) and settles on the first of: callback, promise, plain return. */
function call(fn, args) {
    return new Promise((resolve, reject) => {
        let done = false;
        const settle = (f, v) => { if (!done) { done = true; f(v); } };
        const cb = (err, data) => (err !== null && err !== undefined ? settle(reject, err) : settle(resolve, data));
        let r;
        try {
            r = fn(...args, cb);
        } catch (e) {
            settle(reject, e);
            return;
        }
        if (r && typeof r.then === 'function') r.then((v) => settle(resolve, v), (e) => settle(reject, e));
        else if (fn.length <= args.length) settle(resolve, r);
    });
}

let current = null; /* {id, reject} of the running invocation */
process.on('uncaughtException', (err) => {
    if (current) current.reject(err);
    else process.stderr.write(`uncaught exception outside an invocation: ${err && err.stack}\n`);
});
process.on('unhandledRejection', (err) => {
    if (current) current.reject(err);
});

async function invoke(handler, id, deadline, meta, payload) {
    const ctx = makeContext(meta.request_id || '', deadline, meta.alias || '');
    let result;
    try {
        const event = payload.length ? JSON.parse(payload.toString('utf8')) : {};
        result = await new Promise((resolve, reject) => {
            current = { id, reject };
            call(handler, [event, ctx]).then(resolve, reject);
        });
    } catch (err) {
        current = null;
        send(RESULT, id, { ok: false, code: E_RUN }, JSON.stringify(errorJson(err)));
        return;
    }
    current = null;
    let body;
    try {
        if (result === undefined || result === null) body = '';
        else if (Buffer.isBuffer(result)) body = result;
        else if (typeof result === 'string') body = result;
        else body = JSON.stringify(result);
    } catch (err) {
        send(RESULT, id, { ok: false, code: E_NOT_JSON },
             JSON.stringify({ errorMessage: `the function result is not JSON serializable: ${err.message}`,
                              errorType: err.name, stackTrace: [] }));
        return;
    }
    if (Buffer.byteLength(body) > MAX_RESP) {
        send(RESULT, id, { ok: false, code: E_RESP_SIZE },
             JSON.stringify({ errorMessage: 'the function result exceeds 6291456 bytes',
                              errorType: 'FunctionResponseTooLarge', stackTrace: [] }));
        return;
    }
    send(RESULT, id, { ok: true, json: typeof result !== 'string' && !Buffer.isBuffer(result) }, body);
}

async function main() {
    let handler;
    try {
        handler = load(process.env.RUNTIME_HANDLER || '');
    } catch (err) {
        console.error(err && err.stack);
        send(READY, 0, { ok: false, code: E_ENTRY }, JSON.stringify(errorJson(err)));
        return;
    }
    const initSpec = process.env.RUNTIME_INITIALIZER_HANDLER || '';
    if (initSpec) {
        try {
            await call(load(initSpec), [makeContext('', 0, '')]);
        } catch (err) {
            console.error(err && err.stack);
            send(READY, 0, { ok: false, code: E_INIT }, JSON.stringify(errorJson(err)));
            return;
        }
    }
    send(READY, 0, { ok: true });

    let buf = Buffer.alloc(0);
    let busy = false;
    const queue = [];
    const pump = async () => {
        if (busy) return;
        busy = true;
        while (queue.length) {
            const f = queue.shift();
            await invoke(handler, f.id, f.deadline, f.meta, f.payload);
        }
        busy = false;
    };
    sock.on('data', (chunk) => {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        while (buf.length >= 32) {
            if (buf.toString('latin1', 0, 4) !== 'FGSF') process.exit(3);
            const mlen = buf.readUInt32LE(24), plen = buf.readUInt32LE(28);
            if (buf.length < 32 + mlen + plen) break;
            const kind = buf.readUInt8(5);
            const id = buf.readBigUInt64LE(8);
            const deadline = Number(buf.readBigUInt64LE(16));
            const meta = mlen ? JSON.parse(buf.toString('utf8', 32, 32 + mlen)) : {};
            const payload = buf.subarray(32 + mlen, 32 + mlen + plen);
            buf = buf.subarray(32 + mlen + plen);
            if (kind === INVOKE) queue.push({ id, deadline, meta, payload: Buffer.from(payload) });
        }
        pump();
    });
}

main();
