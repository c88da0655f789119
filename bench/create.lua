-- create.lua - POST /v2/{project}/fgs/functions with a new function per
-- request. fgsd allows 400 functions per project, so every request also uses
-- its own 32-hex project id: <8-hex run tag><8-hex thread><16-hex counter>.
-- The function name carries the counter too, so names never repeat.
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
local report = require("report")

local run_tag = os.getenv("BENCH_RUN_TAG") or "b0b0b0b0"
local code = os.getenv("BENCH_CODE_B64") or
    "ZGVmIGhhbmRsZXIoZXZlbnQsIGNvbnRleHQpOgogICAgcmV0dXJuIHsnb2snOiBUcnVlfQo="

local threads = {}
local thread_no = 0

function setup(thread)
    thread_no = thread_no + 1
    thread:set("tid", thread_no)
    table.insert(threads, thread)
end

local counter = 0
local headers = { ["Content-Type"] = "application/json" }

function request()
    counter = counter + 1
    local project = string.format("%s%08x%016x", run_tag, tid or 0, counter)
    local body = '{"func_name":"bench_' .. counter .. '","package":"default",' ..
        '"runtime":"Python3.9","handler":"index.handler","memory_size":128,"timeout":30,' ..
        '"code_type":"inline","func_code":{"file":"' .. code .. '"}}'
    return wrk.format("POST", "/v2/" .. project .. "/fgs/functions", headers, body)
end

done = report.done
