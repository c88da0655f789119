-- get.lua - plain GETs of the URL given to wrk; only adds the summary line.
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
local report = require("report")

wrk.headers["Content-Type"] = "application/json"

done = report.done
