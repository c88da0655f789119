-- report.lua - shared by the bench scripts: prints one machine-readable line
-- that bench/mgmt.sh parses ("BENCH key=value ..."), with the request rate,
-- latency percentiles (microseconds) and every kind of error wrk counts
-- (status = non-2xx/3xx answers).
local M = {}

function M.done(summary, latency, requests)
    local secs = summary.duration / 1e6
    local e = summary.errors
    io.write(string.format(
        "BENCH requests=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
        "err_connect=%d err_read=%d err_write=%d err_timeout=%d err_status=%d\n",
        summary.requests, summary.requests / secs,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
        e.connect, e.read, e.write, e.timeout, e.status))
end

return M
