"""Per-function extras over HTTP against a real fgsd: async-invoke-config
(get/put/delete per qualifier, every validation failure), max instances,
reserved instances per qualifier, tenant quotas, URN forms, the legacy
prefix, the placeholders of the async-invocation work, and that everything
survives a restart."""
import json
import math
import os
import re
import sqlite3

from fgsd import Fgsd, b64, check, done, inline_function

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z)$")
AC = "/functions/%s/async-invoke-config"
MI = "/functions/%s/config-max-instance"
RI = "/functions/%s/reservedinstances"


def err(st, e, status, code):
    return st == status and isinstance(e, dict) and e.get("error_code") == code


def extras(s, kind):
    """{qualifier: doc} of one extras kind of function ef, read from the database."""
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(s.data_dir, "fgs.db"), uri=True)
    try:
        rows = db.execute("SELECT e.qualifier, e.doc FROM extras e JOIN functions f ON f.id = e.fn_id"
                          " WHERE f.name = 'ef' AND e.kind = ?", (kind,)).fetchall()
    finally:
        db.close()
    return {q: json.loads(d) for q, d in rows}


with Fgsd() as s:
    # --- quotas on an empty project
    st, q, _ = s.call("GET", "/quotas")
    check(st == 200 and isinstance(q["quotas"]["resources"], list), "quotas answers 200")
    res = {r["type"]: r for r in q["quotas"]["resources"]}
    types = {"fgs_func_num", "fgs_func_code_size", "fgs_func_occurs", "fgs_func_scale_down_timeout",
             "fgs_func_pat_idle_time", "fgs_workflow_num", "fgs_on_demand_instance_limit",
             "fgs_func_qos_limit"}
    check(set(res) == types, "quotas list the eight resource types")
    check(all(isinstance(r["quota"], int) and isinstance(r["used"], int) and r["quota"] > 0
              for r in res.values()), "every quota and used is an integer, quotas positive")
    check(res["fgs_func_num"]["used"] == 0 and res["fgs_func_num"]["quota"] == 400,
          "fgs_func_num: 400, none used")
    check(res["fgs_func_code_size"]["used"] == 0 and res["fgs_func_code_size"]["unit"] == "MB",
          "fgs_func_code_size in MB, none used")
    check(all("unit" not in r for t, r in res.items() if t != "fgs_func_code_size"),
          "only the code size carries a unit")

    st, f, _ = s.call("POST", "/functions", inline_function("ef"))
    check(st == 200, "create ef")
    st, v1, _ = s.call("POST", "/functions/ef/versions", {"version": "v1"})
    check(st == 200, "publish v1")
    st, al, _ = s.call("POST", "/functions/ef/aliases", {"name": "prod", "version": "v1"})
    check(st == 200, "create alias prod")

    # ================= async-invoke-config =================
    st, e, _ = s.call("GET", AC % s.urn("ef"))
    check(err(st, e, 404, "FSS.0404"), "GET before any PUT is 404 FSS.0404")
    st, e, _ = s.call("DELETE", AC % s.urn("ef"))
    check(err(st, e, 404, "FSS.0404"), "DELETE before any PUT is 404 FSS.0404")

    full = {"max_async_event_age_in_seconds": 3500, "max_async_retry_attempts": 2,
            "enable_async_status_log": True,
            "destination_config": {
                "on_success": {"destination": "OBS",
                               "param": json.dumps({"bucket": "b", "prefix": "/ok", "expires": 5})},
                "on_failure": {"destination": "FunctionGraph",
                               "param": json.dumps({"func_urn": s.urn("ef"), "version": "latest"})}}}
    st, c, _ = s.call("PUT", AC % s.urn("ef"), full)
    check(st == 200, "PUT async config answers 200 (got %s %s)" % (st, c))
    check(c["max_async_event_age_in_seconds"] == 3500 and c["max_async_retry_attempts"] == 2,
          "age and retries echoed")
    check(c["enable_async_status_log"] is True, "enable_async_status_log echoed")
    check(c["destination_config"] == full["destination_config"], "destination_config echoed as given")
    check(c["func_urn"] == s.urn("ef"), "func_urn of latest's config is the unqualified URN")
    check(RFC3339.match(c["created_time"]) and RFC3339.match(c["last_modified"]),
          "created_time and last_modified are RFC 3339")
    check("created_ms" not in c and "modified_ms" not in c, "internal timestamps are not exposed")

    st, g, _ = s.call("GET", AC % s.urn("ef"))
    check(st == 200 and g == c, "GET returns what PUT answered")
    for u in ["ef", "default:ef", s.urn("ef", "latest"), s.urn("ef").replace(":", "%3A")]:
        st, g2, _ = s.call("GET", AC % u)
        check(st == 200 and g2["max_async_retry_attempts"] == 2, "GET async config via %s" % u)
    st, g2, _ = s.call("GET", AC % s.urn("ef"), prefix="/v1.0/%s/fss")
    check(st == 200 and g2 == c, "GET async config via the legacy prefix")

    # PUT replaces the document; defaults fill what is absent
    st, c2, _ = s.call("PUT", AC % "ef", {})
    check(st == 200 and c2["max_async_event_age_in_seconds"] == 3600 and c2["max_async_retry_attempts"] == 1,
          "absent fields take the defaults 3600 s and 1 retry")
    check(c2["enable_async_status_log"] is False and c2["destination_config"] == {},
          "PUT replaces: destinations and the status log are cleared")
    check(c2["created_time"] == c["created_time"], "created_time is kept across updates")
    st, c3, _ = s.call("PUT", AC % "ef", {
        "max_async_event_age_in_seconds": 86400, "max_async_retry_attempts": 3,
        "destination_config": {"on_success": {}, "on_failure": {"destination": "SMN",
                                                                  "param": '{"topic_urn":"urn:smn:x"}'}},
        "log_group_name": "lg", "log_stream_name": "ls"})
    check(st == 200 and c3["max_async_event_age_in_seconds"] == 86400 and c3["max_async_retry_attempts"] == 3,
          "the upper bounds 86400 s and 3 retries are accepted")
    check(c3["destination_config"] == {"on_failure": {"destination": "SMN", "param": '{"topic_urn":"urn:smn:x"}'}},
          "an empty on_success counts as unset")
    check(c3["log_group_name"] == "lg" and c3["log_stream_name"] == "ls", "log group and stream kept")
    st, c4, _ = s.call("PUT", AC % "ef", {"max_async_event_age_in_seconds": 1, "max_async_retry_attempts": 0,
                                          "destination_config": {"on_success": {"destination": "", "param": ""}}})
    check(st == 200 and c4["max_async_event_age_in_seconds"] == 1 and c4["max_async_retry_attempts"] == 0
          and c4["destination_config"] == {}, "lower bounds accepted; empty destination strings are unset")

    bad_async = [
        ({"max_async_event_age_in_seconds": 0}, "age 0"),
        ({"max_async_event_age_in_seconds": 86401}, "age 86401"),
        ({"max_async_event_age_in_seconds": "60"}, "a string age"),
        ({"max_async_retry_attempts": -1}, "retries -1"),
        ({"max_async_retry_attempts": 4}, "retries 4"),
        ({"max_async_retry_attempts": 8}, "retries 8 (response-doc range not accepted)"),
        ({"max_async_retry_attempts": 1.5}, "fractional retries"),
        ({"enable_async_status_log": "yes"}, "a string status-log flag"),
        ({"destination_config": []}, "destination_config that is an array"),
        ({"destination_config": {"on_success": "OBS"}}, "on_success that is a string"),
        ({"destination_config": {"on_success": {"destination": "S3", "param": "{}"}}}, "destination S3"),
        ({"destination_config": {"on_success": {"destination": "OBS"}}}, "a destination without param"),
        ({"destination_config": {"on_success": {"param": "{}"}}}, "a param without destination"),
        ({"destination_config": {"on_failure": {"destination": "DIS", "param": "not json"}}}, "param not JSON"),
        ({"destination_config": {"on_failure": {"destination": "DIS", "param": "[1]"}}}, "param a JSON array"),
        ({"destination_config": {"on_failure": {"destination": "DIS", "param": {"a": 1}}}}, "param an object"),
        ({"log_group_name": 5}, "a numeric log group"),
    ]
    for body, what in bad_async:
        st, e, _ = s.call("PUT", AC % "ef", body)
        check(err(st, e, 400, "FSS.0400"), "async config with %s is 400 FSS.0400" % what)
    st, e, _ = s.call("PUT", AC % "ef", "{oops")
    check(err(st, e, 400, "FSS.0400"), "malformed JSON is 400")
    st, g, _ = s.call("GET", AC % "ef")
    check(g["max_async_event_age_in_seconds"] == 1, "rejected PUTs changed nothing")

    # per qualifier: version and alias have their own config
    st, e, _ = s.call("GET", AC % s.urn("ef", "v1"))
    check(err(st, e, 404, "FSS.0404"), "version v1 has no config of its own yet")
    st, cv, _ = s.call("PUT", AC % s.urn("ef", "v1"), {"max_async_retry_attempts": 3})
    check(st == 200 and cv["func_urn"] == s.urn("ef", "v1"), "PUT on v1: func_urn qualified with v1")
    st, ca, _ = s.call("PUT", AC % s.urn("ef", "!prod").replace("!", "%21"), {"max_async_retry_attempts": 0})
    check(st == 200 and ca["func_urn"] == s.urn("ef", "!prod"), "PUT on alias prod (%21-encoded URN)")
    st, g, _ = s.call("GET", AC % s.urn("ef", "!prod"))
    check(st == 200 and g["max_async_retry_attempts"] == 0, "GET through the alias URN")
    st, g, _ = s.call("GET", AC % s.urn("ef", "v1"))
    check(st == 200 and g["max_async_retry_attempts"] == 3, "v1 keeps its own config")
    st, g, _ = s.call("GET", AC % "ef")
    check(g["max_async_retry_attempts"] == 0 and g["max_async_event_age_in_seconds"] == 1,
          "latest's config is separate from v1's and prod's")
    check(set(extras(s, "async_config")) == {"latest", "v1", "prod"}, "stored per qualifier in extras")
    st, e, _ = s.call("GET", AC % s.urn("ef", "v9"))
    check(err(st, e, 404, "FSS.1052"), "a missing version is 404 FSS.1052")
    st, e, _ = s.call("GET", AC % s.urn("ef", "!nope"))
    check(err(st, e, 404, "FSS.1053"), "a missing alias is 404 FSS.1053")
    st, e, _ = s.call("PUT", AC % "nofn", {})
    check(err(st, e, 404, "FSS.1051"), "PUT on a missing function is 404 FSS.1051")
    st, e, _ = s.call("GET", AC % "a:b:c:d:e")
    check(err(st, e, 400, "FSS.0400"), "a malformed URN is 400")

    # delete
    st, _, _ = s.call("DELETE", AC % s.urn("ef", "v1"))
    check(st == 204, "DELETE answers 204")
    st, e, _ = s.call("GET", AC % s.urn("ef", "v1"))
    check(err(st, e, 404, "FSS.0404"), "a deleted config is 404")
    st, e, _ = s.call("DELETE", AC % s.urn("ef", "v1"))
    check(err(st, e, 404, "FSS.0404"), "deleting it twice is 404")
    st, g, _ = s.call("GET", AC % s.urn("ef", "!prod"))
    check(st == 200, "deleting v1's config leaves prod's alone")

    # the async-invocation endpoints are still placeholders
    st, e, _ = s.call("GET", "/functions/ef/async-invocations")
    check(err(st, e, 501, "FSS.0501"), "async-invocations answers 501 until the async work lands")
    st, e, _ = s.call("POST", "/functions/ef/cancel", {"request_id": "x"})
    check(err(st, e, 501, "FSS.0501"), "cancel answers 501 until the async work lands")

    # ================= config-max-instance =================
    st, g, _ = s.call("PUT", MI % s.urn("ef", "latest"), {"max_instance_num": 10})
    check(st == 200 and g["max_instance_num"] == 10, "max_instance_num 10 answers the Function")
    check(g["func_urn"] == s.urn("ef", "latest") and g["version"] == "latest", "the answer is latest's Function")
    st, g, _ = s.call("GET", "/functions/ef/config")
    check(g["max_instance_num"] == 10, "config shows max_instance_num")
    for n in (-1, 0, 1000):
        st, g, _ = s.call("PUT", MI % "ef", {"max_instance_num": n})
        check(st == 200 and g["max_instance_num"] == n, "max_instance_num %d accepted" % n)
    for body, what in [({"max_instance_num": 1001}, "1001"), ({"max_instance_num": -2}, "-2"),
                       ({}, "absent"), ({"max_instance_num": "5"}, "a string"),
                       ({"max_instance_num": None}, "null")]:
        st, e, _ = s.call("PUT", MI % "ef", body)
        check(err(st, e, 400, "FSS.0400"), "max_instance_num %s is 400" % what)
    st, g, _ = s.call("GET", "/functions/ef/config")
    check(g["max_instance_num"] == 1000, "rejected values changed nothing")
    st, g, _ = s.call("PUT", MI % s.urn("ef", "v1"), {"max_instance_num": 7})
    check(st == 200 and g["version"] == "latest" and g["max_instance_num"] == 7,
          "a version URN addresses the function: latest is written")
    st, gv, _ = s.call("GET", "/functions/%s/config" % s.urn("ef", "v1"))
    check("max_instance_num" not in gv, "the published version's configuration is untouched")
    st, g, _ = s.call("PUT", MI % s.urn("ef"), {"max_instance_num": 8}, prefix="/v1.0/%s/fss")
    check(st == 200 and g["max_instance_num"] == 8, "config-max-instance via the legacy prefix")
    st, e, _ = s.call("PUT", MI % "nofn", {"max_instance_num": 1})
    check(err(st, e, 404, "FSS.1051"), "config-max-instance on a missing function is 404")
    upd = {"func_name": "ef", "runtime": "Python3.9", "handler": "index.handler",
           "memory_size": 256, "timeout": 30}
    st, g, _ = s.call("PUT", "/functions/ef/config", upd)
    check(st == 200 and g["max_instance_num"] == 8, "an update of the config keeps max_instance_num")
    st, pv, _ = s.call("POST", "/functions/ef/versions", {"version": "v2"})
    check(st == 200 and pv["max_instance_num"] == 8, "a published version snapshots max_instance_num")
    st, g, _ = s.call("PUT", MI % "ef", {"max_instance_num": 8})
    st, e, _ = s.call("POST", "/functions/ef/versions", {"version": "v3"})
    check(err(st, e, 400, "FSS.1016"), "re-setting the same max_instance_num is not a change")
    st, g, _ = s.call("PUT", MI % "ef", {"max_instance_num": 9})
    st, pv, _ = s.call("POST", "/functions/ef/versions", {"version": "v3"})
    check(st == 200 and pv["max_instance_num"] == 9, "a new max_instance_num is a change to publish")

    # ================= reservedinstances =================
    st, r, _ = s.call("PUT", RI % s.urn("ef"), {"count": 2})
    check(st == 200 and r == {"count": 2, "idle_mode": False,
                              "tactics_config": {"cron_configs": [], "metric_configs": []}},
          "reserved count 2 with defaults (got %s %s)" % (st, r))
    tactics = {"cron_configs": [{"name": "morning", "cron": "0 0 8 * * ?", "count": 5,
                                 "start_time": 1700000000, "expired_time": 1800000000}],
               "metric_configs": [{"name": "busy", "type": "Concurrency", "threshold": 60, "min": 1}]}
    st, r, _ = s.call("PUT", RI % s.urn("ef", "v1"), {"count": 1000, "idle_mode": True,
                                                      "tactics_config": tactics})
    check(st == 200 and r["count"] == 1000 and r["idle_mode"] is True and r["tactics_config"] == tactics,
          "count 1000, idle_mode and tactics echoed for v1")
    st, r, _ = s.call("PUT", RI % s.urn("ef", "!prod"), {"count": 0})
    check(st == 200 and r["count"] == 0, "count 0 on alias prod")
    st, r, _ = s.call("PUT", RI % s.urn("ef", "latest").replace(":", "%3A"), {"count": 3})
    check(st == 200 and r["count"] == 3, "reserved via a %3A-encoded :latest URN")
    st, r, _ = s.call("PUT", RI % s.urn("ef", "v2"), {"count": 4}, prefix="/v1.0/%s/fss")
    check(st == 200 and r["count"] == 4, "reserved via the legacy prefix")
    stored = extras(s, "reserved")
    check(stored.get("latest", {}).get("count") == 3 and stored.get("v1", {}).get("count") == 1000
          and stored.get("prod", {}).get("count") == 0 and stored.get("v2", {}).get("count") == 4,
          "reserved settings stored per qualifier (%s)" % sorted(stored))
    check(stored["v1"]["tactics_config"] == tactics, "tactics stored")

    def cron(**over):
        c = dict(tactics["cron_configs"][0])
        c.update(over)
        return {"count": 1, "tactics_config": {"cron_configs": [c]}}

    def metric(**over):
        m = dict(tactics["metric_configs"][0])
        m.update(over)
        return {"count": 1, "tactics_config": {"metric_configs": [m]}}

    bad_reserved = [
        ({"count": 1001}, "FSS.1076", "count 1001"),
        ({"count": -1}, "FSS.0400", "count -1"),
        ({}, "FSS.0400", "no count"),
        ({"count": "2"}, "FSS.0400", "a string count"),
        ({"count": 1, "idle_mode": "yes"}, "FSS.0400", "a string idle_mode"),
        ({"count": 1, "tactics_config": []}, "FSS.0400", "tactics that are an array"),
        ({"count": 1, "tactics_config": {"cron_configs": {}}}, "FSS.0400", "cron_configs not an array"),
        (cron(name=""), "FSS.0400", "a cron without a name"),
        (cron(cron=None), "FSS.0400", "a cron without a cron expression"),
        (cron(count=1001), "FSS.1076", "a cron count of 1001"),
        (cron(count=-1), "FSS.0400", "a negative cron count"),
        (cron(expired_time=1600000000), "FSS.0400", "a cron expiring before it starts"),
        (cron(start_time="now"), "FSS.0400", "a string start_time"),
        (metric(type="CPU"), "FSS.0400", "a metric of type CPU"),
        (metric(threshold=None), "FSS.0400", "a metric without threshold"),
        (metric(min=-1), "FSS.0400", "a negative metric min"),
        (metric(min=1001), "FSS.1076", "a metric min of 1001"),
        (metric(name=3), "FSS.0400", "a numeric metric name"),
    ]
    for body, code, what in bad_reserved:
        st, e, _ = s.call("PUT", RI % "ef", body)
        check(err(st, e, 400, code), "reserved with %s is 400 %s" % (what, code))
    check(extras(s, "reserved")["latest"]["count"] == 3, "rejected reserved PUTs changed nothing")
    st, e, _ = s.call("PUT", RI % s.urn("ef", "!nope"), {"count": 1})
    check(err(st, e, 404, "FSS.1053"), "reserved on a missing alias is 404 FSS.1053")
    st, e, _ = s.call("PUT", RI % s.urn("ef", "v9"), {"count": 1})
    check(err(st, e, 404, "FSS.1052"), "reserved on a missing version is 404 FSS.1052")
    st, e, _ = s.call("PUT", RI % "nofn", {"count": 1})
    check(err(st, e, 404, "FSS.1051"), "reserved on a missing function is 404 FSS.1051")

    # ================= quotas with functions =================
    src = "def handler(e, c):\n    return 1\n# " + "x" * (1536 * 1024) + "\n"
    st, big, _ = s.call("POST", "/functions", inline_function("big", func_code={"file": b64(src)}))
    check(st == 200 and big["code_size"] == len(src), "create a 1.5 MB inline function")
    st, _, _ = s.call("POST", "/functions", inline_function("small", package="other"))
    st, l, _ = s.call("GET", "/functions")
    total_bytes = sum(x["code_size"] for x in l["functions"])
    st, q, _ = s.call("GET", "/quotas")
    res = {r["type"]: r for r in q["quotas"]["resources"]}
    check(res["fgs_func_num"]["used"] == 3, "fgs_func_num counts the project's functions")
    check(res["fgs_func_code_size"]["used"] == math.ceil(total_bytes / (1024 * 1024))
          and res["fgs_func_code_size"]["used"] >= 2,
          "fgs_func_code_size used is the latest code total in MB, rounded up (%s)" % res["fgs_func_code_size"])
    st, q2, _ = s.call("GET", "/quotas", project="ffffffffffffffffffffffffffffffff")
    res2 = {r["type"]: r for r in q2["quotas"]["resources"]}
    check(st == 200 and res2["fgs_func_num"]["used"] == 0, "quotas are per project")
    st, q3, _ = s.call("GET", "/quotas", prefix="/v1.0/%s/fss")
    check(st == 200 and q3 == q, "quotas via the legacy prefix")

    # ================= restart =================
    st, before_ac, _ = s.call("GET", AC % s.urn("ef", "!prod"))
    st, before_cfg, _ = s.call("GET", "/functions/ef/config")
    before_res = extras(s, "reserved")
    s.restart()
    st, g, _ = s.call("GET", AC % s.urn("ef", "!prod"))
    check(st == 200 and g == before_ac, "async config survives a restart")
    st, e, _ = s.call("GET", AC % s.urn("ef", "v1"))
    check(err(st, e, 404, "FSS.0404"), "a deleted async config stays deleted after a restart")
    st, g, _ = s.call("GET", "/functions/ef/config")
    check(st == 200 and g["max_instance_num"] == 9 and g == before_cfg, "max_instance_num survives a restart")
    check(extras(s, "reserved") == before_res, "reserved settings survive a restart")
    st, q4, _ = s.call("GET", "/quotas")
    check(st == 200 and q4 == q, "quotas are the same after a restart")

    # deleting the alias drops its extras
    st, _, _ = s.call("DELETE", "/functions/ef/aliases/prod")
    check(st == 204, "delete alias prod")
    check("prod" not in extras(s, "async_config") and "prod" not in extras(s, "reserved"),
          "an alias's extras go with it")

done()
