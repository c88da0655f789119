'use strict';
/*
 * Helpers for the interop tests: start a real fgsd (127.0.0.1, port 0, --auth
 * none, temporary data dir), build the official FunctionGraph SDK client for
 * it, TAP-style checks, and a tiny zip writer (Node's zlib only).
 *
 *   const t = require('./fgsd');
 *   const srv = await t.startFgsd();
 *   const client = t.sdkClient(srv.endpoint, t.randomProject());
 *   t.check(cond, 'what');
 *   await srv.stop();
 *   t.done();
 */
const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');

const BUILD = process.env.FGS_BUILD_DIR || path.join(__dirname, '..', '..', 'build');
const FGSD = path.join(BUILD, 'fgsd');

// Silence the SDK's log4js console appender (it prints every failed call).
try {
    require('@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger').Logger4jInstance.level = 'off';
} catch (e) {
    /* logger layout changed: output is only noisier */
}

const fg = require('@huaweicloud/huaweicloud-sdk-functiongraph');
const core = require('@huaweicloud/huaweicloud-sdk-core');
const { ClientRequestException } = require('@huaweicloud/huaweicloud-sdk-core/exception/ClientRequestException');

let checks = 0;
let failures = 0;

/* Never leave an fgsd behind, however this process ends (a closed stdout
 * pipe, Ctrl-C, an exception): kill what is still running on exit. */
const running = new Set();
const tempDirs = new Set();
process.on('exit', () => {
    for (const p of running) {
        try {
            p.kill('SIGKILL');
        } catch (_) { /* gone */ }
    }
    if (!process.env.FGS_KEEP_DATA) {
        for (const d of tempDirs)
            fs.rmSync(d, { recursive: true, force: true });
    }
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'])
    process.on(sig, () => process.exit(1));
process.stdout.on('error', (e) => {
    if (e.code === 'EPIPE')
        process.exit(1);
});

function check(cond, what, detail) {
    checks++;
    if (cond) {
        console.log(`ok ${checks} - ${what}`);
    } else {
        failures++;
        console.log(`not ok ${checks} - ${what}`);
        if (detail !== undefined) {
            const text = typeof detail === 'string' ? detail : safeJson(detail);
            console.log('#   ' + text.slice(0, 600).replace(/\n/g, '\n#   '));
        }
    }
    return !!cond;
}

function safeJson(v) {
    try {
        return JSON.stringify(v);
    } catch (e) {
        return String(v);
    }
}

function done() {
    console.log(`# ${checks} checks, ${failures} failed`);
    return failures ? 1 : 0;
}

function randomProject() {
    return crypto.randomBytes(16).toString('hex');
}

/*
 * Starts fgsd; resolves {endpoint, port, dataDir, stop()}. Development mode
 * (--auth none) unless opts.auth is true, when extraArgs should name the
 * credentials.
 */
function startFgsd(extraArgs = [], opts = {}) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fgsd-interop-'));
    tempDirs.add(dataDir);
    const logFd = fs.openSync(path.join(dataDir, 'fgsd.log'), 'a');
    const auth = opts.auth ? [] : ['--auth', 'none'];
    const args = ['--listen', '127.0.0.1:0', '--data-dir', dataDir, ...auth, ...extraArgs];
    const proc = spawn(FGSD, args, { stdio: ['ignore', 'pipe', logFd] });
    running.add(proc);
    proc.once('exit', () => running.delete(proc));
    return new Promise((resolve, rejectRaw) => {
        const reject = (e) => {
            try {
                fs.closeSync(logFd);
            } catch (_) { /* already closed */ }
            if (!process.env.FGS_KEEP_DATA)
                fs.rmSync(dataDir, { recursive: true, force: true });
            rejectRaw(e);
        };
        let buf = '';
        const timer = setTimeout(() => {
            proc.kill('SIGKILL');
            reject(new Error('fgsd did not print its address within 20 s'));
        }, 20000);
        proc.on('error', (e) => {
            clearTimeout(timer);
            reject(e);
        });
        proc.on('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`fgsd exited early (${code}); see ${dataDir}/fgsd.log`));
        });
        proc.stdout.on('data', (chunk) => {
            buf += chunk.toString();
            const nl = buf.indexOf('\n');
            if (nl < 0)
                return;
            clearTimeout(timer);
            proc.removeAllListeners('exit');
            proc.stdout.removeAllListeners('data');
            proc.stdout.resume();
            const line = buf.slice(0, nl).trim();
            const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
            if (!m) {
                proc.kill('SIGKILL');
                reject(new Error(`unexpected first line from fgsd: ${JSON.stringify(line)}`));
                return;
            }
            const srv = {
                endpoint: m[1],
                port: Number(m[2]),
                dataDir,
                proc,
                stop() {
                    return new Promise((res) => {
                        const cleanup = (code, sig) => {
                            fs.closeSync(logFd);
                            if (!process.env.FGS_KEEP_DATA)
                                fs.rmSync(dataDir, { recursive: true, force: true });
                            res({ code, sig });
                        };
                        if (proc.exitCode !== null || proc.signalCode !== null) {
                            cleanup(proc.exitCode, proc.signalCode);
                            return;
                        }
                        const killer = setTimeout(() => proc.kill('SIGKILL'), 10000);
                        proc.once('exit', (code, sig) => {
                            clearTimeout(killer);
                            cleanup(code, sig);
                        });
                        proc.kill('SIGTERM');
                    });
                },
            };
            resolve(srv);
        });
    });
}

/* The official client, built exactly as an application would. */
function sdkClient(endpoint, projectId, ak = 'HPUAFGSTESTAK0000001',
                   sk = 'fgsTestSecretKey0000000000000000000000SK') {
    const cred = new core.BasicCredentials().withAk(ak).withSk(sk).withProjectId(projectId);
    return fg.FunctionGraphClient.newBuilder()
        .withCredential(cred)
        .withEndpoint(endpoint)
        .withOptions({ customUserAgent: 'fgs-interop', axiosRequestConfig: { timeout: 30000 } })
        .build();
}

/* Awaits an SDK promise; returns {res} or {err}. */
async function attempt(promise) {
    try {
        return { res: await promise };
    } catch (err) {
        return { err };
    }
}

function describeErr(err) {
    if (!err)
        return 'no error';
    return `${err.constructor && err.constructor.name} status=${err.httpStatusCode} code=${err.errorCode} msg=${err.errorMsg || err.message} requestId=${err.requestId}`;
}

/* ---- zip writer (stored/deflated entries, no extra fields) ---- */
const CRC_TABLE = (() => {
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        t[n] = c >>> 0;
    }
    return t;
})();

function crc32(buf) {
    let c = 0xffffffff;
    for (let i = 0; i < buf.length; i++)
        c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
}

/* files: {name: string|Buffer} -> Buffer holding a zip archive. */
function makeZip(files) {
    const locals = [];
    const centrals = [];
    let offset = 0;
    for (const [name, content] of Object.entries(files)) {
        const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
        const nameBuf = Buffer.from(name);
        const deflated = zlib.deflateRawSync(data);
        const crc = crc32(data);
        const lh = Buffer.alloc(30);
        lh.writeUInt32LE(0x04034b50, 0);
        lh.writeUInt16LE(20, 4);        // version needed
        lh.writeUInt16LE(0, 6);         // flags
        lh.writeUInt16LE(8, 8);         // deflate
        lh.writeUInt16LE(0, 10);        // time
        lh.writeUInt16LE(0x5821, 12);   // date 2024-01-01
        lh.writeUInt32LE(crc, 14);
        lh.writeUInt32LE(deflated.length, 18);
        lh.writeUInt32LE(data.length, 22);
        lh.writeUInt16LE(nameBuf.length, 26);
        lh.writeUInt16LE(0, 28);
        locals.push(lh, nameBuf, deflated);
        const ch = Buffer.alloc(46);
        ch.writeUInt32LE(0x02014b50, 0);
        ch.writeUInt16LE(0x031e, 4);    // made by: unix, 3.0
        ch.writeUInt16LE(20, 6);
        ch.writeUInt16LE(0, 8);
        ch.writeUInt16LE(8, 10);
        ch.writeUInt16LE(0, 12);
        ch.writeUInt16LE(0x5821, 14);
        ch.writeUInt32LE(crc, 16);
        ch.writeUInt32LE(deflated.length, 20);
        ch.writeUInt32LE(data.length, 24);
        ch.writeUInt16LE(nameBuf.length, 28);
        ch.writeUInt16LE(0, 30);        // extra
        ch.writeUInt16LE(0, 32);        // comment
        ch.writeUInt16LE(0, 34);        // disk
        ch.writeUInt16LE(0, 36);        // internal attrs
        ch.writeUInt32LE((0o100644 << 16) >>> 0, 38);
        ch.writeUInt32LE(offset, 42);
        centrals.push(ch, nameBuf);
        offset += lh.length + nameBuf.length + deflated.length;
    }
    const central = Buffer.concat(centrals);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(0, 4);
    end.writeUInt16LE(0, 6);
    end.writeUInt16LE(Object.keys(files).length, 8);
    end.writeUInt16LE(Object.keys(files).length, 10);
    end.writeUInt32LE(central.length, 12);
    end.writeUInt32LE(offset, 16);
    end.writeUInt16LE(0, 20);
    return Buffer.concat([...locals, central, end]);
}

module.exports = {
    fg, core, ClientRequestException, FGSD, BUILD,
    check, done, randomProject, startFgsd, sdkClient, attempt, describeErr, makeZip, crc32,
};
