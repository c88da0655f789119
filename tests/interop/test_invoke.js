'use strict';
/*
 * InvokeFunction through the official Node SDK
 * (@huaweicloud/huaweicloud-sdk-functiongraph, unchanged) against a real
 * fgsd running real sandboxed functions: the v1 envelope the SDK asks for,
 * the result, log, status, request id, X-Cff-Instance-Memory, log tail,
 * function errors, and the SDK's exception for a missing function.
 * Self-contained (starts its own fgsd) so it does not depend on the
 * management test's helpers.
 *
 *   FGS_BUILD_DIR=build node tests/interop/test_invoke.js
 */
const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

if (process.geteuid && process.geteuid() !== 0) {
    console.log('1..0 # SKIP sandboxed instances need root');
    process.exit(0);
}

const BUILD = process.env.FGS_BUILD_DIR || path.join(__dirname, '..', '..', 'build');
try {
    require('@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger').Logger4jInstance.level = 'off';
} catch (e) {
    /* only noisier */
}
const fg = require('@huaweicloud/huaweicloud-sdk-functiongraph');
const core = require('@huaweicloud/huaweicloud-sdk-core');

let checks = 0, failures = 0;
function check(cond, what, detail) {
    checks++;
    console.log(`${cond ? 'ok' : 'not ok'} ${checks} - ${what}`);
    if (!cond) {
        failures++;
        if (detail !== undefined)
            console.log('#   ' + String(typeof detail === 'string' ? detail : JSON.stringify(detail)).slice(0, 600));
    }
    return !!cond;
}

function startFgsd() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fgsd-interop-invoke-'));
    const logFd = fs.openSync(path.join(dataDir, 'fgsd.log'), 'a');
    const proc = spawn(path.join(BUILD, 'fgsd'),
        ['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--auth', 'none'],
        { stdio: ['ignore', 'pipe', logFd] });
    return new Promise((resolve, reject) => {
        let buf = '';
        const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error('fgsd did not start')); }, 20000);
        proc.stdout.on('data', (d) => {
            buf += d;
            const m = buf.match(/listening on (http:\/\/[^\s]+)/);
            if (!m) return;
            clearTimeout(timer);
            resolve({
                endpoint: m[1], dataDir,
                stop: () => new Promise((res) => {
                    const kill = setTimeout(() => proc.kill('SIGKILL'), 15000);
                    proc.on('exit', (code, sig) => {
                        clearTimeout(kill);
                        const log = fs.readFileSync(path.join(dataDir, 'fgsd.log'), 'utf8');
                        fs.rmSync(dataDir, { recursive: true, force: true });
                        res({ code, sig, log });
                    });
                    proc.kill('SIGTERM');
                }),
            });
        });
    });
}

async function attempt(p) {
    try {
        return { res: await p };
    } catch (err) {
        return { err };
    }
}

const b64 = (s) => Buffer.from(s).toString('base64');

async function main() {
    const srv = await startFgsd();
    const project = crypto.randomBytes(16).toString('hex');
    const client = fg.FunctionGraphClient.newBuilder()
        .withCredential(new core.BasicCredentials().withAk('HPUAFGSTESTAK0000001')
            .withSk('fgsTestSecretKey0000000000000000000000SK').withProjectId(project))
        .withEndpoint(srv.endpoint)
        .withOptions({ customUserAgent: 'fgs-interop', axiosRequestConfig: { timeout: 60000 } })
        .build();
    const urn = (name) => `urn:fss:local:${project}:function:default:${name}:latest`;
    const create = (name, runtime, code) => client.createFunction(new fg.CreateFunctionRequest().withBody(
        new fg.CreateFunctionRequestBody().withFuncName(name).withPackage('default').withRuntime(runtime)
            .withHandler('index.handler').withMemorySize(128).withTimeout(10).withCodeType('inline')
            .withUserData('{"greeting":"hi"}')
            .withFuncCode(new fg.FuncCode().withFile(b64(code)))));
    try {
        let r = await attempt(create('py', 'Python3.9',
            "def handler(event, context):\n    print('log line', event['n'])\n" +
            "    return {'n': event['n'] + 1, 'g': context.getUserData('greeting'), 'mem': context.getMemorySize()}\n"));
        check(!r.err, 'CreateFunction (Python)', r.err && r.err.errorMsg);
        r = await attempt(create('node', 'Node.js18.15',
            "exports.handler = async (event, context) => ({ n: event.n * 10, rid: context.getRequestID() });\n"));
        check(!r.err, 'CreateFunction (Node.js)', r.err && r.err.errorMsg);
        r = await attempt(create('boom', 'Python3.9', "def handler(e, c):\n    raise KeyError('k')\n"));
        check(!r.err, 'CreateFunction (raising)');

        r = await attempt(client.invokeFunction(new fg.InvokeFunctionRequest().withFunctionUrn(urn('py'))
            .withXCFFRequestVersion('v1').withXCffLogType('tail').withBody({ n: 41 })));
        const res = r.res || {};
        check(!r.err && res.httpStatusCode === 200, 'InvokeFunction resolves with HTTP 200', r.err && r.err.message);
        check(res.status === 200, 'status is 200', res);
        let result = {};
        try { result = JSON.parse(res.result); } catch (e) { /* checked below */ }
        check(result.n === 42 && result.g === 'hi' && result.mem === 128, 'result is the function output as a JSON string', res.result);
        check(typeof res.log === 'string' && res.log.includes('log line 41'), 'log holds the function output', res.log);
        const rid = res.requestId || res.request_id; /* the SDK keeps the wire name on the object */
        check(typeof rid === 'string' && rid.length === 36, 'request_id', res);
        check((res.xCffRequestId || res['X-Cff-Request-Id']) === rid, 'X-Cff-Request-Id header in the response', res);

        r = await attempt(client.invokeFunction(new fg.InvokeFunctionRequest().withFunctionUrn(urn('py'))
            .withXCFFRequestVersion('v1').withXCffInstanceMemory('256').withBody({ n: 1 })));
        try { result = JSON.parse((r.res || {}).result); } catch (e) { result = {}; }
        check(result.mem === 256, 'X-Cff-Instance-Memory reaches the function', r.res);

        r = await attempt(client.invokeFunction(new fg.InvokeFunctionRequest().withFunctionUrn(urn('node'))
            .withXCFFRequestVersion('v1').withBody({ n: 5 })));
        try { result = JSON.parse((r.res || {}).result); } catch (e) { result = {}; }
        check(result.n === 50 && result.rid === ((r.res || {}).requestId || (r.res || {}).request_id), 'Node.js function through the SDK', r.res);

        r = await attempt(client.invokeFunction(new fg.InvokeFunctionRequest().withFunctionUrn(urn('boom'))
            .withXCFFRequestVersion('v1').withBody({})));
        const er = r.res || {};
        let ej = {};
        try { ej = JSON.parse(er.result); } catch (e) { /* checked */ }
        check(er.httpStatusCode === 200 && er.status === 500 && ej.errorType === 'KeyError',
            'a function error: status 500 and the error object as result', er);

        r = await attempt(client.invokeFunction(new fg.InvokeFunctionRequest().withFunctionUrn(urn('missing'))
            .withXCFFRequestVersion('v1').withBody({})));
        check(r.err && r.err.httpStatusCode === 404 && r.err.errorCode === 'FSS.1051',
            'a missing function rejects with 404 FSS.1051', r.err && `${r.err.httpStatusCode} ${r.err.errorCode}`);
    } finally {
        const { code, log } = await srv.stop();
        check(code === 0, 'fgsd exits 0 on SIGTERM', code);
        check(!/AddressSanitizer|LeakSanitizer|runtime error:/.test(log), 'no sanitizer reports', log.slice(-3000));
    }
}

main().then(() => {
    console.log(`# ${checks} checks, ${failures} failed`);
    process.exit(failures ? 1 : 0);
}, (e) => {
    console.log('not ok - ' + (e && e.stack));
    process.exit(1);
});
