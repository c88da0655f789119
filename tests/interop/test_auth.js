'use strict';
/*
 * The official Node SDK against fgsd in its default, signed mode: the SDK's
 * own SDK-HMAC-SHA256 signatures pass fgsd's verifier on every kind of call
 * (query strings, raw ':' and '!' in URN paths, JSON bodies, DELETE without a
 * body), while a wrong secret key and a key used on another project are
 * refused with the errors the SDK surfaces.
 *
 *   FGS_BUILD_DIR=build node tests/interop/test_auth.js
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const t = require('./fgsd');
const { fg, check, attempt, describeErr, ClientRequestException } = t;

const AK = 'INTEROPAK00000000001';
const SK = 'interopSecretKey000000000000000000000SK1';

async function ok(what, promise, status) {
    const { res, err } = await attempt(promise);
    check(!err && res && res.httpStatusCode === status, `${what}: HTTP ${status}`,
        err ? describeErr(err) : JSON.stringify(res));
    return err ? null : res;
}

async function refused(what, promise, status, code) {
    const { err } = await attempt(promise);
    check(err instanceof ClientRequestException && err.httpStatusCode === status &&
        err.errorCode === code && typeof err.requestId === 'string',
    `${what}: ${status} ${code}`, describeErr(err));
}

async function main() {
    const project = t.randomProject();
    const credDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fgs-interop-cred-'));
    const credFile = path.join(credDir, 'credentials');
    fs.writeFileSync(credFile, `# interop keys\n${AK} ${SK} ${project}\n`, { mode: 0o600 });
    const srv = await t.startFgsd(['--credentials', credFile], { auth: true });
    try {
        const client = t.sdkClient(srv.endpoint, project, AK, SK);
        const urn = `urn:fss:local:${project}:function:default:signed`;
        const code = Buffer.from("def handler(event, context):\n    return {'ok': True}\n").toString('base64');

        await ok('CreateFunction signed by the SDK', client.createFunction(
            new fg.CreateFunctionRequest().withBody(new fg.CreateFunctionRequestBody()
                .withFuncName('signed').withPackage('default').withRuntime('Python3.9')
                .withHandler('index.handler').withMemorySize(128).withTimeout(30)
                .withCodeType('inline').withFuncCode(new fg.FuncCode().withFile(code)))), 200);
        const list = await ok('ListFunctions with marker/maxitems query',
            client.listFunctions(new fg.ListFunctionsRequest().withMarker('0').withMaxitems('5')), 200);
        check(list && list.count === 1, 'the signed list sees the function');
        await ok('ShowFunctionConfig with a raw-colon URN',
            client.showFunctionConfig(new fg.ShowFunctionConfigRequest().withFunctionUrn(urn + ':latest')), 200);
        await ok('CreateFunctionVersion', client.createFunctionVersion(
            new fg.CreateFunctionVersionRequest().withFunctionUrn(urn).withBody(
                new fg.CreateFunctionVersionRequestBody().withVersion('v1'))), 200);
        await ok('CreateVersionAlias', client.createVersionAlias(
            new fg.CreateVersionAliasRequest().withFunctionUrn(urn).withBody(
                new fg.CreateVersionAliasRequestBody().withName('dev').withVersion('v1'))), 200);
        await ok('ShowFunctionConfig through an alias URN (raw !)',
            client.showFunctionConfig(new fg.ShowFunctionConfigRequest().withFunctionUrn(urn + ':!dev')), 200);
        await ok('DeleteVersionAlias (DELETE, no body)', client.deleteVersionAlias(
            new fg.DeleteVersionAliasRequest().withFunctionUrn(urn).withAliasName('dev')), 204);

        const wrong = t.sdkClient(srv.endpoint, project, AK, SK.replace('SK1', 'SK2'));
        await refused('a wrong secret key', wrong.listFunctions(new fg.ListFunctionsRequest()),
            401, 'APIGW.0301');
        const unknown = t.sdkClient(srv.endpoint, project, 'NOSUCHKEY00000000000', SK);
        await refused('an unknown access key', unknown.listFunctions(new fg.ListFunctionsRequest()),
            401, 'APIGW.0301');
        const other = t.sdkClient(srv.endpoint, t.randomProject(), AK, SK);
        await refused('a key on another project', other.listFunctions(new fg.ListFunctionsRequest()),
            403, 'FSS.0403');

        await ok('DeleteFunction', client.deleteFunction(
            new fg.DeleteFunctionRequest().withFunctionUrn(urn)), 204);
    } finally {
        await srv.stop();
        fs.rmSync(credDir, { recursive: true, force: true });
    }
}

main().then(() => process.exit(t.done()), (e) => {
    console.log(`not ok - unexpected exception: ${e && e.stack}`);
    process.exit(1);
});
