'use strict';
/*
 * Every management operation of FunctionGraph v2 through the official Node SDK
 * (@huaweicloud/huaweicloud-sdk-functiongraph, unchanged) against a real fgsd:
 * functions, code, config, versions, aliases, triggers, async-invoke config,
 * max instances, reserved instances, quotas, deletes, and the SDK's error
 * objects. Invocation is covered elsewhere.
 *
 *   FGS_BUILD_DIR=build node tests/interop/test_management.js
 */
const t = require('./fgsd');
const { fg, check, attempt, describeErr, ClientRequestException } = t;

const PY1 = "def handler(event, context):\n    return {'v': 1}\n";
const PY2 = "import json\n\ndef handler(event, context):\n    return {'v': 2, 'echo': event}\n";
const PY3 = "def handler(event, context):\n    return {'v': 3}\n";
const PY4 = "def handler(event, context):\n    return {'v': 4}\n";
const b64 = (s) => Buffer.from(s).toString('base64');
const HEX128 = /^[0-9a-f]{128}$/;

/* Runs one SDK call that must succeed with `status`; returns the result or null. */
async function op(what, promise, status) {
    const { res, err } = await attempt(promise);
    if (err) {
        check(false, `${what} resolves (HTTP ${status})`, describeErr(err));
        return null;
    }
    check(res && res.httpStatusCode === status, `${what} resolves with HTTP ${status}`,
        `got httpStatusCode=${res && res.httpStatusCode} body=${JSON.stringify(res)}`);
    return res;
}

/* Runs one SDK call that must reject with a ClientRequestException. */
async function fails(what, promise, status, code) {
    const { res, err } = await attempt(promise);
    if (!err) {
        check(false, `${what} rejects with ${status} ${code}`, `resolved: ${JSON.stringify(res)}`);
        return null;
    }
    const ok = err instanceof ClientRequestException && err.httpStatusCode === status &&
        (code === undefined || err.errorCode === code) &&
        typeof err.requestId === 'string' && err.requestId.length > 0 &&
        typeof err.errorMsg === 'string' && err.errorMsg.length > 0;
    check(ok, `${what} rejects: ClientRequestException ${status}${code ? ' ' + code : ''} with requestId`,
        describeErr(err));
    return err;
}

function inlineBody(name, opts = {}) {
    const body = new fg.CreateFunctionRequestBody()
        .withFuncName(name)
        .withPackage(opts.package || 'default')
        .withRuntime(opts.runtime || 'Python3.9')
        .withHandler('index.handler')
        .withMemorySize(opts.memory || 128)
        .withTimeout(opts.timeout || 30)
        .withCodeType('inline')
        .withFuncCode(new fg.FuncCode().withFile(b64(opts.code || PY1)));
    if (opts.description)
        body.withDescription(opts.description);
    if (opts.userData)
        body.withUserData(opts.userData);
    return body;
}

function sameMembers(a, b) {
    const x = [...a].sort();
    const y = [...b].sort();
    return x.length === y.length && x.every((v, i) => v === y[i]);
}

async function main() {
    const srv = await t.startFgsd();
    const pid = t.randomProject();
    const client = t.sdkClient(srv.endpoint, pid);
    console.log(`# fgsd at ${srv.endpoint}, project ${pid}`);
    try {
        await run(client, pid);
    } finally {
        const { code, sig } = await srv.stop();
        check(code === 0 || sig === 'SIGTERM', 'fgsd exits cleanly on SIGTERM', `code=${code} sig=${sig}`);
    }
}

async function run(client, pid) {
    /* ------------------------------------------------------------ create */
    const created = await op('CreateFunction (inline Python)',
        client.createFunction(new fg.CreateFunctionRequest().withBody(
            inlineBody('hello', { description: 'first', userData: '{"GREETING":"hi"}' }))), 200);
    if (!created) {
        check(false, 'cannot continue without a function');
        return;
    }
    const urnRe = new RegExp(`^urn:fss:[A-Za-z0-9_-]+:${pid}:function:default:hello:latest$`);
    check(urnRe.test(created.func_urn), 'create: func_urn is the full URN with :latest (§2)', created.func_urn);
    const URN = created.func_urn.replace(/:latest$/, '');
    const LATEST = URN + ':latest';
    check(created.func_name === 'hello' && created.package === 'default', 'create: func_name, package');
    check(created.version === 'latest', 'create: version latest', created.version);
    check(created.runtime === 'Python3.9' && created.handler === 'index.handler', 'create: runtime, handler');
    check(created.memory_size === 128 && created.timeout === 30, 'create: memory_size and timeout are numbers');
    check(created.code_type === 'inline', 'create: code_type inline');
    check(HEX128.test(created.digest || ''), 'create: digest is 128 hex chars (SHA-512)', created.digest);
    check(created.namespace === pid, 'create: namespace is the project id', created.namespace);
    check(created.description === 'first' && created.user_data === '{"GREETING":"hi"}',
        'create: description and user_data echoed');
    check(typeof created.last_modified === 'string' && !isNaN(Date.parse(created.last_modified)),
        'create: last_modified is a timestamp', created.last_modified);
    const digest1 = created.digest;

    await fails('CreateFunction duplicate name',
        client.createFunction(new fg.CreateFunctionRequest().withBody(inlineBody('hello'))), 409, 'FSS.1061');
    await fails('CreateFunction invalid runtime',
        client.createFunction(new fg.CreateFunctionRequest().withBody(
            inlineBody('badrt', { runtime: 'Cobol85' }))), 400, 'FSS.1005');
    await fails('CreateFunction invalid memory_size',
        client.createFunction(new fg.CreateFunctionRequest().withBody(
            inlineBody('badmem', { memory: 100 }))), 400, 'FSS.1007');

    /* ------------------------------------------------------- show config */
    const cfg = await op('ShowFunctionConfig (unqualified URN)',
        client.showFunctionConfig(new fg.ShowFunctionConfigRequest().withFunctionUrn(URN)), 200);
    if (cfg) {
        check(cfg.func_urn === LATEST, 'config: func_urn qualified with :latest', cfg.func_urn);
        check(cfg.func_id === created.func_id && cfg.digest === digest1, 'config: same func_id and digest as create');
        check(cfg.user_data === '{"GREETING":"hi"}' && cfg.memory_size === 128, 'config: user_data, memory');
    }
    const cfgL = await op('ShowFunctionConfig (:latest URN)',
        client.showFunctionConfig(new fg.ShowFunctionConfigRequest().withFunctionUrn(LATEST)), 200);
    check(cfgL && cfgL.func_name === 'hello' && cfgL.version === 'latest', 'config via :latest');

    const missingUrn = URN.replace(/:hello$/, ':nosuchfn');
    const e404 = await fails('ShowFunctionConfig on a missing function',
        client.showFunctionConfig(new fg.ShowFunctionConfigRequest().withFunctionUrn(missingUrn)), 404, 'FSS.1051');
    check(e404 && /^[0-9a-f-]{16,}$/i.test(e404.requestId || ''), 'error requestId looks like an id',
        e404 && e404.requestId);

    /* --------------------------------------------------------- show code */
    const code1 = await op('ShowFunctionCode',
        client.showFunctionCode(new fg.ShowFunctionCodeRequest().withFunctionUrn(URN)), 200);
    if (code1) {
        check(code1.func_urn === LATEST && code1.code_type === 'inline', 'code: func_urn :latest, code_type inline');
        check(code1.digest === digest1 && code1.runtime === 'Python3.9', 'code: digest and runtime');
        const file = code1.func_code && code1.func_code.file;
        check(file === '' || file === undefined || Buffer.from(file, 'base64').toString() === PY1,
            'code: func_code.file is empty or the base64 source (§3.3 #3)', file);
    }

    /* ------------------------------------------------------ list + pages */
    const names = ['hello'];
    for (const n of ['fa1', 'fa2', 'fa3', 'fa4', 'fa5', 'fa6']) {
        const r = await attempt(client.createFunction(new fg.CreateFunctionRequest().withBody(inlineBody(n))));
        if (r.res)
            names.push(n);
        else
            check(false, `create ${n}`, describeErr(r.err));
    }
    for (const n of ['pb1', 'pb2']) {
        const r = await attempt(client.createFunction(new fg.CreateFunctionRequest().withBody(
            inlineBody(n, { package: 'pkgb' }))));
        check(r.res && r.res.package === 'pkgb', `create ${n} in package pkgb`, r.err && describeErr(r.err));
        if (r.res)
            names.push(n);
    }
    const all = await op('ListFunctions (no paging parameters)', client.listFunctions(new fg.ListFunctionsRequest()), 200);
    if (all) {
        check(Array.isArray(all.functions), 'list: functions is an array');
        const got = (all.functions || []).map((f) => f.func_name);
        check(sameMembers(got, names), 'list: exactly the created functions', got);
        check(all.count === names.length, 'list: count is the total', all.count);
        const item = (all.functions || []).find((f) => f.func_name === 'hello');
        check(item && item.func_urn === URN, 'list: items carry the unqualified func_urn (§2)', item && item.func_urn);
    }
    // paging: maxitems=3 walking next_marker
    const seen = [];
    let marker = '0';
    let pagesOk = true;
    for (let page = 0; page < 10; page++) {
        const r = await attempt(client.listFunctions(new fg.ListFunctionsRequest().withMarker(marker).withMaxitems('3')));
        if (r.err) {
            check(false, `ListFunctions page marker=${marker}`, describeErr(r.err));
            pagesOk = false;
            break;
        }
        const fns = r.res.functions || [];
        if (fns.length > 3 || r.res.count !== names.length ||
            r.res.next_marker !== Number(marker) + fns.length) {
            pagesOk = false;
            check(false, `ListFunctions page marker=${marker}: <=3 items, count total, next_marker = marker + len (§5)`,
                r.res);
        }
        seen.push(...fns.map((f) => f.func_name));
        if (fns.length === 0 || r.res.next_marker >= r.res.count)
            break;
        marker = String(r.res.next_marker);
    }
    check(pagesOk, 'ListFunctions pages are consistent (maxitems=3)');
    check(sameMembers(seen, names), 'ListFunctions pages cover every function once', seen);
    const past = await op('ListFunctions marker past the end',
        client.listFunctions(new fg.ListFunctionsRequest().withMarker('1000').withMaxitems('3')), 200);
    check(past && Array.isArray(past.functions) && past.functions.length === 0, 'marker past the end: empty page');
    const pkgb = await op('ListFunctions package_name=pkgb',
        client.listFunctions(new fg.ListFunctionsRequest().withPackageName('pkgb')), 200);
    if (pkgb) {
        const got = (pkgb.functions || []).map((f) => f.func_name);
        check(sameMembers(got, ['pb1', 'pb2']) && pkgb.count === 2, 'package_name filter returns only pkgb', pkgb);
    }
    const fz = await op('ListFunctions func_name=fa (fuzzy)',
        client.listFunctions(new fg.ListFunctionsRequest().withFuncName('fa')), 200);
    if (fz) {
        const got = (fz.functions || []).map((f) => f.func_name);
        check(sameMembers(got, names.filter((n) => n.includes('fa'))), 'func_name filter matches by substring', got);
    }
    await fails('ListFunctions maxitems=-1', client.listFunctions(new fg.ListFunctionsRequest().withMaxitems('-1')), 400);

    /* ------------------------------------------------------- update code */
    const upd = await op('UpdateFunctionCode (inline)',
        client.updateFunctionCode(new fg.UpdateFunctionCodeRequest().withFunctionUrn(URN).withBody(
            new fg.UpdateFunctionCodeRequestBody().withCodeType('inline')
                .withFuncCode(new fg.FuncCode().withFile(b64(PY2))))), 200);
    let digest2 = null;
    if (upd) {
        digest2 = upd.digest;
        check(HEX128.test(digest2 || '') && digest2 !== digest1, 'update code (inline): digest changed', upd);
        check(upd.func_urn === LATEST && upd.code_type === 'inline', 'update code: func_urn :latest, inline');
    }
    const code2 = await op('ShowFunctionCode after inline update',
        client.showFunctionCode(new fg.ShowFunctionCodeRequest().withFunctionUrn(LATEST)), 200);
    check(code2 && code2.digest === digest2, 'code shows the new digest');
    if (code2 && code2.func_code && code2.func_code.file)
        check(Buffer.from(code2.func_code.file, 'base64').toString() === PY2, 'code returns the new source');

    const zip = t.makeZip({
        'index.py': "from lib import util\n\ndef handler(event, context):\n    return {'v': util.X}\n",
        'lib/__init__.py': '',
        'lib/util.py': 'X = 42\n',
    });
    const updZ = await op('UpdateFunctionCode (zip)',
        client.updateFunctionCode(new fg.UpdateFunctionCodeRequest().withFunctionUrn(LATEST).withBody(
            new fg.UpdateFunctionCodeRequestBody().withCodeType('zip').withCodeFilename('index.zip')
                .withFuncCode(new fg.FuncCode().withFile(zip.toString('base64'))))), 200);
    let digestZ = null;
    if (updZ) {
        digestZ = updZ.digest;
        check(HEX128.test(digestZ || '') && digestZ !== digest2 && digestZ !== digest1,
            'update code (zip): digest changed again', updZ.digest);
        check(updZ.code_type === 'zip' && updZ.code_filename === 'index.zip', 'update code (zip): type and filename');
        check(updZ.code_size === zip.length, 'update code (zip): code_size is the zip size',
            `${updZ.code_size} vs ${zip.length}`);
    }
    const cfgZ = await op('ShowFunctionConfig after zip update',
        client.showFunctionConfig(new fg.ShowFunctionConfigRequest().withFunctionUrn(URN)), 200);
    check(cfgZ && cfgZ.digest === digestZ && cfgZ.code_type === 'zip', 'config reflects the zip code');
    check(cfgZ && cfgZ.user_data === '{"GREETING":"hi"}', 'code update keeps the configuration');
    const digestV1 = cfgZ ? cfgZ.digest : digestZ;   // the code v1 will snapshot
    await fails('UpdateFunctionCode with bad base64 zip',
        client.updateFunctionCode(new fg.UpdateFunctionCodeRequest().withFunctionUrn(URN).withBody(
            new fg.UpdateFunctionCodeRequestBody().withCodeType('zip').withCodeFilename('index.zip')
                .withFuncCode(new fg.FuncCode().withFile(b64('this is not a zip'))))), 400);
    await fails('UpdateFunctionCode on a missing function',
        client.updateFunctionCode(new fg.UpdateFunctionCodeRequest().withFunctionUrn(missingUrn).withBody(
            new fg.UpdateFunctionCodeRequestBody().withCodeType('inline')
                .withFuncCode(new fg.FuncCode().withFile(b64(PY1))))), 404, 'FSS.1051');

    /* ----------------------------------------------------- update config */
    const newCfg = new fg.UpdateFunctionConfigRequestBody()
        .withFuncName('hello').withRuntime('Python3.9').withHandler('index.handler')
        .withMemorySize(256).withTimeout(60).withDescription('second')
        .withUserData('{"GREETING":"hello","MODE":"test"}')
        .withStrategyConfig(new fg.StrategyConfig().withConcurrency(-1).withConcurrentNum(2));
    const uc = await op('UpdateFunctionConfig',
        client.updateFunctionConfig(new fg.UpdateFunctionConfigRequest().withFunctionUrn(URN).withBody(newCfg)), 200);
    if (uc) {
        check(uc.memory_size === 256 && uc.timeout === 60, 'update config: memory 256, timeout 60', uc);
        check(uc.description === 'second' && uc.user_data === '{"GREETING":"hello","MODE":"test"}',
            'update config: description and user_data');
        check(uc.func_urn === LATEST && uc.digest === digestV1, 'update config: same URN, code untouched');
    }
    const cfg2 = await op('ShowFunctionConfig after config update',
        client.showFunctionConfig(new fg.ShowFunctionConfigRequest().withFunctionUrn(URN)), 200);
    check(cfg2 && cfg2.memory_size === 256 && cfg2.timeout === 60 && cfg2.description === 'second',
        'config update persisted');
    check(cfg2 && cfg2.strategy_config && cfg2.strategy_config.concurrent_num === 2,
        'strategy_config persisted', cfg2 && cfg2.strategy_config);
    await fails('UpdateFunctionConfig with bad memory',
        client.updateFunctionConfig(new fg.UpdateFunctionConfigRequest().withFunctionUrn(URN).withBody(
            new fg.UpdateFunctionConfigRequestBody().withFuncName('hello').withRuntime('Python3.9')
                .withHandler('index.handler').withMemorySize(300).withTimeout(60))), 400, 'FSS.1007');

    /* ---------------------------------------------------------- versions */
    const v1 = await op('CreateFunctionVersion v1',
        client.createFunctionVersion(new fg.CreateFunctionVersionRequest().withFunctionUrn(LATEST).withBody(
            new fg.CreateFunctionVersionRequestBody().withVersion('v1').withDescription('first release'))), 200);
    if (v1) {
        check(v1.version === 'v1', 'publish: version is v1', v1.version);
        check(v1.version_description === 'first release', 'publish: version_description', v1.version_description);
        check(v1.digest === digestV1 && v1.memory_size === 256, 'publish snapshots latest code and config');
        check(v1.func_name === 'hello' && typeof v1.func_urn === 'string' && v1.func_urn.startsWith(URN),
            'publish: func_name and func_urn', v1.func_urn);
    }
    await fails('CreateFunctionVersion with no changes',
        client.createFunctionVersion(new fg.CreateFunctionVersionRequest().withFunctionUrn(LATEST).withBody(
            new fg.CreateFunctionVersionRequestBody().withVersion('v1b'))), 400, 'FSS.1016');
    const upd3 = await op('UpdateFunctionCode (inline, before v2)',
        client.updateFunctionCode(new fg.UpdateFunctionCodeRequest().withFunctionUrn(URN).withBody(
            new fg.UpdateFunctionCodeRequestBody().withCodeType('inline')
                .withFuncCode(new fg.FuncCode().withFile(b64(PY3))))), 200);
    const digest3 = upd3 && upd3.digest;
    await fails('CreateFunctionVersion with an existing name',
        client.createFunctionVersion(new fg.CreateFunctionVersionRequest().withFunctionUrn(LATEST).withBody(
            new fg.CreateFunctionVersionRequestBody().withVersion('v1'))), 409, 'FSS.1062');
    const v2 = await op('CreateFunctionVersion v2 (with matching digest)',
        client.createFunctionVersion(new fg.CreateFunctionVersionRequest().withFunctionUrn(LATEST).withBody(
            new fg.CreateFunctionVersionRequestBody().withVersion('v2').withDigest(digest3 || '')
                .withDescription('second release'))), 200);
    check(v2 && v2.version === 'v2' && v2.digest === digest3, 'publish v2: version and digest', v2);
    await fails('UpdateFunctionCode of a published version',
        client.updateFunctionCode(new fg.UpdateFunctionCodeRequest().withFunctionUrn(URN + ':v1').withBody(
            new fg.UpdateFunctionCodeRequestBody().withCodeType('inline')
                .withFuncCode(new fg.FuncCode().withFile(b64(PY4))))), 400);

    const vl = await op('ListFunctionVersions',
        client.listFunctionVersions(new fg.ListFunctionVersionsRequest().withFunctionUrn(URN)), 200);
    if (vl) {
        const vs = (vl.versions || []).map((v) => v.version);
        check(Array.isArray(vl.versions) && sameMembers(vs, ['latest', 'v1', 'v2']),
            'versions: latest, v1, v2 (§3.3 #9 includes latest)', vs);
        check(vl.count === 3, 'versions: count 3', vl.count);
        const it = (vl.versions || []).find((v) => v.version === 'v1');
        check(it && it.func_urn === URN, 'versions: items carry the unqualified func_urn', it && it.func_urn);
        check(it && it.digest === digestV1, 'versions: v1 keeps its digest');
    }
    const vseen = [];
    let vmarker = '0';
    for (let page = 0; page < 6; page++) {
        const r = await attempt(client.listFunctionVersions(new fg.ListFunctionVersionsRequest()
            .withFunctionUrn(URN).withMarker(vmarker).withMaxitems('1')));
        if (r.err) {
            check(false, 'ListFunctionVersions paging', describeErr(r.err));
            break;
        }
        const items = r.res.versions || [];
        vseen.push(...items.map((v) => v.version));
        if (items.length === 0 || r.res.next_marker >= r.res.count)
            break;
        vmarker = String(r.res.next_marker);
    }
    check(sameMembers(vseen, ['latest', 'v1', 'v2']), 'ListFunctionVersions maxitems=1 pages cover all', vseen);

    const cv1 = await op('ShowFunctionConfig of :v1',
        client.showFunctionConfig(new fg.ShowFunctionConfigRequest().withFunctionUrn(URN + ':v1')), 200);
    check(cv1 && cv1.version === 'v1' && cv1.digest === digestV1, 'v1 config: version v1, v1 digest', cv1);
    await fails('ShowFunctionConfig of a missing version',
        client.showFunctionConfig(new fg.ShowFunctionConfigRequest().withFunctionUrn(URN + ':v9')), 404, 'FSS.1052');

    /* ----------------------------------------------------------- aliases */
    const al = await op('CreateVersionAlias dev -> v1 (+20% v2)',
        client.createVersionAlias(new fg.CreateVersionAliasRequest().withFunctionUrn(URN).withBody(
            new fg.CreateVersionAliasRequestBody().withName('dev').withVersion('v1')
                .withDescription('development').withAdditionalVersionWeights({ v2: 20 }))), 200);
    if (al) {
        check(al.name === 'dev' && al.version === 'v1' && al.description === 'development', 'alias: name, version, description');
        check(al.alias_urn === URN + ':!dev', 'alias: alias_urn is URN:!dev', al.alias_urn);
        check(al.additional_version_weights && al.additional_version_weights.v2 === 20,
            'alias: weights echoed', al.additional_version_weights);
    }
    await fails('CreateVersionAlias duplicate',
        client.createVersionAlias(new fg.CreateVersionAliasRequest().withFunctionUrn(URN).withBody(
            new fg.CreateVersionAliasRequestBody().withName('dev').withVersion('latest'))), 409, 'FSS.1063');
    await fails('CreateVersionAlias to a missing version',
        client.createVersionAlias(new fg.CreateVersionAliasRequest().withFunctionUrn(URN).withBody(
            new fg.CreateVersionAliasRequestBody().withName('ghost').withVersion('v42'))), 400, 'FSS.1015');
    const prod = await op('CreateVersionAlias prod -> latest',
        client.createVersionAlias(new fg.CreateVersionAliasRequest().withFunctionUrn(URN).withBody(
            new fg.CreateVersionAliasRequestBody().withName('prod').withVersion('latest'))), 200);
    check(prod && prod.alias_urn === URN + ':!prod', 'alias prod created');

    const sa = await op('ShowVersionAlias dev',
        client.showVersionAlias(new fg.ShowVersionAliasRequest().withFunctionUrn(URN).withAliasName('dev')), 200);
    check(sa && sa.name === 'dev' && sa.version === 'v1' && sa.alias_urn === URN + ':!dev' &&
        sa.additional_version_weights && sa.additional_version_weights.v2 === 20, 'show alias: fields', sa);
    check(sa && typeof sa.last_modified === 'string' && !isNaN(Date.parse(sa.last_modified)), 'show alias: last_modified');

    const la = await op('ListVersionAliases',
        client.listVersionAliases(new fg.ListVersionAliasesRequest().withFunctionUrn(URN)), 200);
    check(Array.isArray(la), 'ListVersionAliases returns a bare array (§3.3 #14)', la);
    if (Array.isArray(la))
        check(sameMembers(la.map((a) => a.name), ['dev', 'prod']), 'aliases: dev and prod', la.map((a) => a.name));

    const ua = await op('UpdateVersionAlias dev -> v2 (+30% v1)',
        client.updateVersionAlias(new fg.UpdateVersionAliasRequest().withFunctionUrn(URN).withAliasName('dev').withBody(
            new fg.UpdateVersionAliasRequestBody().withVersion('v2').withDescription('moved')
                .withAdditionalVersionWeights({ v1: 30 }))), 200);
    if (ua) {
        check(ua.version === 'v2' && ua.description === 'moved', 'update alias: version v2, description', ua);
        check(ua.additional_version_weights && ua.additional_version_weights.v1 === 30 &&
            ua.additional_version_weights.v2 === undefined, 'update alias: weights replaced', ua.additional_version_weights);
    }
    const cdev = await op('ShowFunctionConfig of :!dev',
        client.showFunctionConfig(new fg.ShowFunctionConfigRequest().withFunctionUrn(URN + ':!dev')), 200);
    check(cdev && cdev.version === 'v2' && cdev.digest === digest3, 'alias URN resolves to its version (v2)', cdev);
    await fails('ShowVersionAlias missing',
        client.showVersionAlias(new fg.ShowVersionAliasRequest().withFunctionUrn(URN).withAliasName('nope')), 404, 'FSS.1053');
    await fails('UpdateVersionAlias missing',
        client.updateVersionAlias(new fg.UpdateVersionAliasRequest().withFunctionUrn(URN).withAliasName('nope').withBody(
            new fg.UpdateVersionAliasRequestBody().withVersion('v1'))), 404, 'FSS.1053');
    await op('DeleteVersionAlias prod',
        client.deleteVersionAlias(new fg.DeleteVersionAliasRequest().withFunctionUrn(URN).withAliasName('prod')), 204);
    await fails('ShowVersionAlias after delete',
        client.showVersionAlias(new fg.ShowVersionAliasRequest().withFunctionUrn(URN).withAliasName('prod')), 404, 'FSS.1053');
    const la2 = await op('ListVersionAliases after delete',
        client.listVersionAliases(new fg.ListVersionAliasesRequest().withFunctionUrn(URN)), 200);
    check(Array.isArray(la2) && la2.length === 1 && la2[0].name === 'dev', 'aliases: only dev left', la2);

    /* ---------------------------------------------------------- triggers */
    const rate = await op('CreateFunctionTrigger TIMER Rate',
        client.createFunctionTrigger(new fg.CreateFunctionTriggerRequest().withFunctionUrn(LATEST).withBody(
            new fg.CreateFunctionTriggerRequestBody().withTriggerTypeCode('TIMER').withTriggerStatus('ACTIVE')
                .withEventTypeCode('MessageCreated')
                .withEventData(new fg.TriggerEventDataRequestBody().withName('every-3m')
                    .withScheduleType('Rate').withSchedule('3m').withUserEvent('tick')))), 201);
    if (rate) {
        check(typeof rate.trigger_id === 'string' && rate.trigger_id.length > 0, 'timer: trigger_id', rate);
        check(rate.trigger_type_code === 'TIMER' && rate.trigger_status === 'ACTIVE', 'timer: type TIMER, ACTIVE');
        const ed = rate.event_data || {};
        check(ed.name === 'every-3m' && ed.schedule_type === 'Rate' && ed.schedule === '3m' && ed.user_event === 'tick',
            'timer: event_data echoed', ed);
    }
    const cron = await op('CreateFunctionTrigger TIMER Cron',
        client.createFunctionTrigger(new fg.CreateFunctionTriggerRequest().withFunctionUrn(LATEST).withBody(
            new fg.CreateFunctionTriggerRequestBody().withTriggerTypeCode('TIMER')
                .withEventData(new fg.TriggerEventDataRequestBody().withName('new-year')
                    .withScheduleType('Cron').withSchedule('0 0 3 1 1 ?')))), 201);
    check(cron && cron.event_data && cron.event_data.schedule === '0 0 3 1 1 ?' && cron.trigger_status === 'ACTIVE',
        'cron: schedule echoed, default status ACTIVE', cron);
    const apig = await op('CreateFunctionTrigger APIG',
        client.createFunctionTrigger(new fg.CreateFunctionTriggerRequest().withFunctionUrn(LATEST).withBody(
            new fg.CreateFunctionTriggerRequestBody().withTriggerTypeCode('APIG').withEventTypeCode('APICreated')
                .withEventData(new fg.TriggerEventDataRequestBody().withName('API_hello')
                    .withGroupId('f0e1d2c3b4a5968778695a4b3c2d1e0f').withEnvId('DEFAULT_ENVIRONMENT_RELEASE_ID')
                    .withEnvName('RELEASE').withAuth('NONE').withProtocol('HTTPS').withPath('/hello')
                    .withMatchMode('SWA').withReqMethod('ANY').withBackendType('FUNCTION').withType(1)
                    .withSlDomain('example.apig.local')
                    .withFuncInfo(new fg.ApigTriggerFuncInfo().withTimeout(5000))))), 201);
    check(apig && apig.trigger_type_code === 'APIG' && apig.event_data && apig.event_data.path === '/hello' &&
        apig.event_data.req_method === 'ANY', 'apig: type and event_data echoed', apig);
    check(apig && apig.event_data && typeof apig.event_data.api_id === 'string' &&
        apig.event_data.triggerid === apig.trigger_id, 'apig: response adds api_id and triggerid (§10)', apig);
    await fails('CreateFunctionTrigger TIMER with a bad rate',
        client.createFunctionTrigger(new fg.CreateFunctionTriggerRequest().withFunctionUrn(LATEST).withBody(
            new fg.CreateFunctionTriggerRequestBody().withTriggerTypeCode('TIMER')
                .withEventData(new fg.TriggerEventDataRequestBody().withName('bad')
                    .withScheduleType('Rate').withSchedule('abc')))), 400, 'FSS.1109');
    await fails('CreateFunctionTrigger with an unknown type',
        client.createFunctionTrigger(new fg.CreateFunctionTriggerRequest().withFunctionUrn(LATEST).withBody(
            new fg.CreateFunctionTriggerRequestBody().withTriggerTypeCode('PIGEON')
                .withEventData(new fg.TriggerEventDataRequestBody().withName('x')))), 400, 'FSS.1101');
    await fails('CreateFunctionTrigger on a missing function',
        client.createFunctionTrigger(new fg.CreateFunctionTriggerRequest().withFunctionUrn(missingUrn).withBody(
            new fg.CreateFunctionTriggerRequestBody().withTriggerTypeCode('TIMER')
                .withEventData(new fg.TriggerEventDataRequestBody().withName('y')
                    .withScheduleType('Rate').withSchedule('5m')))), 404, 'FSS.1051');

    const tl = await op('ListFunctionTriggers',
        client.listFunctionTriggers(new fg.ListFunctionTriggersRequest().withFunctionUrn(LATEST)), 200);
    check(Array.isArray(tl), 'ListFunctionTriggers returns a bare array (§3.3 #17)', tl);
    if (Array.isArray(tl)) {
        const ids = tl.map((x) => x.trigger_id);
        const want = [rate, cron, apig].filter(Boolean).map((x) => x.trigger_id);
        check(want.length === 3 && sameMembers(ids, want), 'triggers: the three created', tl);
        check(tl.every((x) => typeof x.created_time === 'string' && typeof x.last_updated_time === 'string'),
            'triggers: created_time and last_updated_time');
    }

    if (rate) {
        const st = await op('ShowFunctionTrigger TIMER',
            client.showFunctionTrigger(new fg.ShowFunctionTriggerRequest().withFunctionUrn(LATEST)
                .withTriggerTypeCode('TIMER').withTriggerId(rate.trigger_id)), 200);
        check(st && st.trigger_id === rate.trigger_id && st.event_data && st.event_data.schedule === '3m',
            'show trigger: same trigger', st);
        const ut = await op('UpdateTrigger TIMER -> DISABLED',
            client.updateTrigger(new fg.UpdateTriggerRequest().withFunctionUrn(LATEST).withTriggerTypeCode('TIMER')
                .withTriggerId(rate.trigger_id).withBody(new fg.UpdateTriggerRequestBody().withTriggerStatus('DISABLED'))), 200);
        check(ut && ut.trigger_status === 'DISABLED' && ut.trigger_id === rate.trigger_id, 'update trigger: DISABLED', ut);
        const st2 = await op('ShowFunctionTrigger after disable',
            client.showFunctionTrigger(new fg.ShowFunctionTriggerRequest().withFunctionUrn(LATEST)
                .withTriggerTypeCode('TIMER').withTriggerId(rate.trigger_id)), 200);
        check(st2 && st2.trigger_status === 'DISABLED', 'disable persisted');
        const ut2 = await op('UpdateTrigger TIMER -> ACTIVE',
            client.updateTrigger(new fg.UpdateTriggerRequest().withFunctionUrn(LATEST).withTriggerTypeCode('TIMER')
                .withTriggerId(rate.trigger_id).withBody(new fg.UpdateTriggerRequestBody().withTriggerStatus('ACTIVE'))), 200);
        check(ut2 && ut2.trigger_status === 'ACTIVE', 'update trigger: ACTIVE again');
    }
    if (apig) {
        await fails('UpdateTrigger APIG -> DISABLED (APIG cannot be disabled, §10)',
            client.updateTrigger(new fg.UpdateTriggerRequest().withFunctionUrn(LATEST).withTriggerTypeCode('APIG')
                .withTriggerId(apig.trigger_id).withBody(new fg.UpdateTriggerRequestBody().withTriggerStatus('DISABLED'))), 400);
    }
    await fails('ShowFunctionTrigger missing',
        client.showFunctionTrigger(new fg.ShowFunctionTriggerRequest().withFunctionUrn(LATEST)
            .withTriggerTypeCode('TIMER').withTriggerId('00000000-0000-0000-0000-000000000000')), 404);
    if (cron) {
        await op('DeleteFunctionTrigger (cron)',
            client.deleteFunctionTrigger(new fg.DeleteFunctionTriggerRequest().withFunctionUrn(LATEST)
                .withTriggerTypeCode('TIMER').withTriggerId(cron.trigger_id)), 204);
        await fails('ShowFunctionTrigger after delete',
            client.showFunctionTrigger(new fg.ShowFunctionTriggerRequest().withFunctionUrn(LATEST)
                .withTriggerTypeCode('TIMER').withTriggerId(cron.trigger_id)), 404, 'FSS.1131');
        await fails('DeleteFunctionTrigger again',
            client.deleteFunctionTrigger(new fg.DeleteFunctionTriggerRequest().withFunctionUrn(LATEST)
                .withTriggerTypeCode('TIMER').withTriggerId(cron.trigger_id)), 404, 'FSS.1131');
    }
    // A trigger bound to the alias dev: the alias cannot be deleted while it is there.
    const aliasTrig = await op('CreateFunctionTrigger TIMER on alias dev',
        client.createFunctionTrigger(new fg.CreateFunctionTriggerRequest().withFunctionUrn(URN + ':!dev').withBody(
            new fg.CreateFunctionTriggerRequestBody().withTriggerTypeCode('TIMER')
                .withEventData(new fg.TriggerEventDataRequestBody().withName('dev-daily')
                    .withScheduleType('Rate').withSchedule('1d')))), 201);
    if (aliasTrig) {
        await fails('DeleteVersionAlias with a bound trigger',
            client.deleteVersionAlias(new fg.DeleteVersionAliasRequest().withFunctionUrn(URN).withAliasName('dev')),
            403, 'FSS.1154');
        const tla = await op('ListFunctionTriggers on alias dev',
            client.listFunctionTriggers(new fg.ListFunctionTriggersRequest().withFunctionUrn(URN + ':!dev')), 200);
        check(Array.isArray(tla) && tla.length === 1 && tla[0].trigger_id === aliasTrig.trigger_id,
            'alias trigger listed under the alias URN', tla);
    }
    await op('BatchDeleteFunctionTriggers (unqualified: all)',
        client.batchDeleteFunctionTriggers(new fg.BatchDeleteFunctionTriggersRequest().withFunctionUrn(URN)), 204);
    const tl2 = await op('ListFunctionTriggers after batch delete',
        client.listFunctionTriggers(new fg.ListFunctionTriggersRequest().withFunctionUrn(LATEST)), 200);
    check(Array.isArray(tl2) && tl2.length === 0, 'no triggers left on latest', tl2);
    const tl3 = await op('ListFunctionTriggers on alias after batch delete',
        client.listFunctionTriggers(new fg.ListFunctionTriggersRequest().withFunctionUrn(URN + ':!dev')), 200);
    check(Array.isArray(tl3) && tl3.length === 0, 'batch delete with the unqualified URN also removed the alias trigger (§2)', tl3);

    /* ------------------------------------------------- async-invoke config */
    const otherUrn = URN.replace(/:hello$/, ':fa1') + ':latest';
    const ac = await op('UpdateFunctionAsyncInvokeConfig',
        client.updateFunctionAsyncInvokeConfig(new fg.UpdateFunctionAsyncInvokeConfigRequest().withFunctionUrn(URN)
            .withBody(new fg.UpdateFunctionAsyncInvokeConfigRequestBody().withMaxAsyncEventAgeInSeconds(600)
                .withMaxAsyncRetryAttempts(2).withDestinationConfig(new fg.FuncAsyncDestinationConfig()
                    .withOnFailure(new fg.FuncDestinationConfig().withDestination('FunctionGraph')
                        .withParam(JSON.stringify({ func_urn: otherUrn })))))), 200);
    if (ac) {
        check(ac.max_async_event_age_in_seconds === 600 && ac.max_async_retry_attempts === 2,
            'async config: values echoed', ac);
        check(typeof ac.func_urn === 'string' && ac.func_urn.startsWith(URN), 'async config: func_urn', ac.func_urn);
        const of = ac.destination_config && ac.destination_config.on_failure;
        check(of && of.destination === 'FunctionGraph' && JSON.parse(of.param || '{}').func_urn === otherUrn,
            'async config: on_failure destination echoed', ac.destination_config);
    }
    const sc = await op('ShowFunctionAsyncInvokeConfig',
        client.showFunctionAsyncInvokeConfig(new fg.ShowFunctionAsyncInvokeConfigRequest().withFunctionUrn(URN)), 200);
    check(sc && sc.max_async_event_age_in_seconds === 600 && sc.max_async_retry_attempts === 2 &&
        sc.destination_config && sc.destination_config.on_failure, 'show async config: stored values', sc);
    await fails('UpdateFunctionAsyncInvokeConfig retries out of range',
        client.updateFunctionAsyncInvokeConfig(new fg.UpdateFunctionAsyncInvokeConfigRequest().withFunctionUrn(URN)
            .withBody(new fg.UpdateFunctionAsyncInvokeConfigRequestBody().withMaxAsyncEventAgeInSeconds(600)
                .withMaxAsyncRetryAttempts(99))), 400);
    await op('DeleteFunctionAsyncInvokeConfig',
        client.deleteFunctionAsyncInvokeConfig(new fg.DeleteFunctionAsyncInvokeConfigRequest().withFunctionUrn(URN)), 204);
    const sc2 = await attempt(client.showFunctionAsyncInvokeConfig(
        new fg.ShowFunctionAsyncInvokeConfigRequest().withFunctionUrn(URN)));
    check((sc2.err && sc2.err.httpStatusCode === 404) ||
        (sc2.res && sc2.res.max_async_event_age_in_seconds !== 600 && !(sc2.res.destination_config &&
            sc2.res.destination_config.on_failure)),
    'after delete the async config is gone (404) or back to defaults',
    sc2.err ? describeErr(sc2.err) : sc2.res);

    /* ----------------------------------------------------- max instances */
    const mi = await op('UpdateFunctionMaxInstanceConfig 50',
        client.updateFunctionMaxInstanceConfig(new fg.UpdateFunctionMaxInstanceConfigRequest().withFunctionUrn(URN)
            .withBody(new fg.UpdateFunctionMaxInstanceConfigRequestBody().withMaxInstanceNum(50))), 200);
    check(mi && mi.func_name === 'hello' && typeof mi.func_urn === 'string' && mi.func_urn.startsWith(URN),
        'max instances: answers the Function object (§4)', mi);
    await fails('UpdateFunctionMaxInstanceConfig -5',
        client.updateFunctionMaxInstanceConfig(new fg.UpdateFunctionMaxInstanceConfigRequest().withFunctionUrn(URN)
            .withBody(new fg.UpdateFunctionMaxInstanceConfigRequestBody().withMaxInstanceNum(-5))), 400);
    await fails('UpdateFunctionMaxInstanceConfig on a missing function',
        client.updateFunctionMaxInstanceConfig(new fg.UpdateFunctionMaxInstanceConfigRequest().withFunctionUrn(missingUrn)
            .withBody(new fg.UpdateFunctionMaxInstanceConfigRequestBody().withMaxInstanceNum(5))), 404, 'FSS.1051');

    /* ------------------------------------------------ reserved instances */
    const ri = await op('UpdateFunctionReservedInstancesCount :!dev count 0',
        client.updateFunctionReservedInstancesCount(new fg.UpdateFunctionReservedInstancesCountRequest()
            .withFunctionUrn(URN + ':!dev').withBody(
                new fg.UpdateFunctionReservedInstancesCountRequestBody().withCount(0).withIdleMode(false))), 200);
    check(ri && ri.count === 0, 'reserved: count echoed', ri);
    const ri2 = await op('UpdateFunctionReservedInstancesCount :v1 count 1',
        client.updateFunctionReservedInstancesCount(new fg.UpdateFunctionReservedInstancesCountRequest()
            .withFunctionUrn(URN + ':v1').withBody(
                new fg.UpdateFunctionReservedInstancesCountRequestBody().withCount(1).withIdleMode(true))), 200);
    check(ri2 && ri2.count === 1 && ri2.idle_mode === true, 'reserved: count 1, idle_mode echoed', ri2);
    await op('UpdateFunctionReservedInstancesCount :v1 back to 0',
        client.updateFunctionReservedInstancesCount(new fg.UpdateFunctionReservedInstancesCountRequest()
            .withFunctionUrn(URN + ':v1').withBody(
                new fg.UpdateFunctionReservedInstancesCountRequestBody().withCount(0))), 200);
    await fails('UpdateFunctionReservedInstancesCount negative',
        client.updateFunctionReservedInstancesCount(new fg.UpdateFunctionReservedInstancesCountRequest()
            .withFunctionUrn(URN + ':v1').withBody(
                new fg.UpdateFunctionReservedInstancesCountRequestBody().withCount(-1))), 400);

    /* ------------------------------------------------------------ quotas */
    const q = await op('ListQuotas', client.listQuotas(new fg.ListQuotasRequest()), 200);
    const res = q && q.quotas && q.quotas.resources;
    check(Array.isArray(res), 'quotas: quotas.resources is an array', q);
    if (Array.isArray(res)) {
        const fn = res.find((r) => r.type === 'fgs_func_num');
        check(fn && fn.quota === 400 && fn.used === names.length, 'quotas: fgs_func_num quota 400, used = functions',
            fn);
        const cs = res.find((r) => r.type === 'fgs_func_code_size');
        check(cs && typeof cs.quota === 'number' && typeof cs.used === 'number', 'quotas: fgs_func_code_size', cs);
    }

    /* ----------------------------------------------------------- deletes */
    // v1 is dev's additional version (30%): not deletable (§3.3 #5, FSS.1094).
    await fails('DeleteFunction :v1 while alias dev weights it',
        client.deleteFunction(new fg.DeleteFunctionRequest().withFunctionUrn(URN + ':v1')), 403, 'FSS.1094');
    await fails('DeleteFunction :latest',
        client.deleteFunction(new fg.DeleteFunctionRequest().withFunctionUrn(LATEST)), 400);
    const upd4 = await op('UpdateFunctionCode (inline, before v3)',
        client.updateFunctionCode(new fg.UpdateFunctionCodeRequest().withFunctionUrn(URN).withBody(
            new fg.UpdateFunctionCodeRequestBody().withCodeType('inline')
                .withFuncCode(new fg.FuncCode().withFile(b64(PY4))))), 200);
    check(upd4 && HEX128.test(upd4.digest || '') && upd4.digest !== digest3, 'code changed before v3', upd4);
    const v3 = await op('CreateFunctionVersion v3',
        client.createFunctionVersion(new fg.CreateFunctionVersionRequest().withFunctionUrn(LATEST).withBody(
            new fg.CreateFunctionVersionRequestBody().withVersion('v3'))), 200);
    if (v3) {
        await op('DeleteFunction :v3 (version URN)',
            client.deleteFunction(new fg.DeleteFunctionRequest().withFunctionUrn(URN + ':v3')), 204);
        await fails('ShowFunctionConfig of deleted :v3',
            client.showFunctionConfig(new fg.ShowFunctionConfigRequest().withFunctionUrn(URN + ':v3')), 404, 'FSS.1052');
        const vl2 = await op('ListFunctionVersions after version delete',
            client.listFunctionVersions(new fg.ListFunctionVersionsRequest().withFunctionUrn(URN)), 200);
        check(vl2 && sameMembers((vl2.versions || []).map((v) => v.version), ['latest', 'v1', 'v2']),
            'v3 gone, the others remain', vl2 && vl2.versions && vl2.versions.map((v) => v.version));
    }
    const cl = await op('ShowFunctionConfig latest still there',
        client.showFunctionConfig(new fg.ShowFunctionConfigRequest().withFunctionUrn(URN)), 200);
    check(cl && cl.version === 'latest', 'deleting a version keeps the function');

    await op('DeleteFunction (unqualified: whole function)',
        client.deleteFunction(new fg.DeleteFunctionRequest().withFunctionUrn(URN)), 204);
    await fails('ShowFunctionConfig after delete',
        client.showFunctionConfig(new fg.ShowFunctionConfigRequest().withFunctionUrn(URN)), 404, 'FSS.1051');
    await fails('ListVersionAliases after delete',
        client.listVersionAliases(new fg.ListVersionAliasesRequest().withFunctionUrn(URN)), 404, 'FSS.1051');
    await fails('ListFunctionVersions after delete',
        client.listFunctionVersions(new fg.ListFunctionVersionsRequest().withFunctionUrn(URN)), 404, 'FSS.1051');
    await fails('DeleteFunction again',
        client.deleteFunction(new fg.DeleteFunctionRequest().withFunctionUrn(URN)), 404, 'FSS.1051');
    const after = await op('ListFunctions after delete', client.listFunctions(new fg.ListFunctionsRequest()), 200);
    check(after && after.count === names.length - 1 &&
        !(after.functions || []).some((f) => f.func_name === 'hello'), 'hello is gone from the list', after && after.count);
    const q2 = await op('ListQuotas after delete', client.listQuotas(new fg.ListQuotasRequest()), 200);
    const fn2 = q2 && q2.quotas && (q2.quotas.resources || []).find((r) => r.type === 'fgs_func_num');
    check(fn2 && fn2.used === names.length - 1, 'quotas: used went down by one', fn2);

    /* Re-creating the name after a delete works and starts clean. */
    const again = await op('CreateFunction hello again',
        client.createFunction(new fg.CreateFunctionRequest().withBody(inlineBody('hello'))), 200);
    if (again) {
        const vl3 = await op('ListFunctionVersions of the new hello',
            client.listFunctionVersions(new fg.ListFunctionVersionsRequest().withFunctionUrn(URN)), 200);
        check(vl3 && sameMembers((vl3.versions || []).map((v) => v.version), ['latest']), 'new hello has only latest');
        const la3 = await op('ListVersionAliases of the new hello',
            client.listVersionAliases(new fg.ListVersionAliasesRequest().withFunctionUrn(URN)), 200);
        check(Array.isArray(la3) && la3.length === 0, 'new hello has no aliases', la3);
        await op('UpdateFunctionCode of the new hello',
            client.updateFunctionCode(new fg.UpdateFunctionCodeRequest().withFunctionUrn(URN).withBody(
                new fg.UpdateFunctionCodeRequestBody().withCodeType('inline')
                    .withFuncCode(new fg.FuncCode().withFile(b64(PY2))))), 200);
        const auto = await op('CreateFunctionVersion without a name',
            client.createFunctionVersion(new fg.CreateFunctionVersionRequest().withFunctionUrn(LATEST).withBody(
                new fg.CreateFunctionVersionRequestBody())), 200);
        check(auto && /^v\d{8}-\d{6}$/.test(auto.version || ''), 'default version name is vYYYYMMDD-HHMMSS (§7)',
            auto && auto.version);
    }
}

main().then(() => process.exit(t.done()), (e) => {
    console.log(`not ok - unexpected exception: ${e && e.stack}`);
    t.done();
    process.exit(1);
});
