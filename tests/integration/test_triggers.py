"""Trigger definitions over HTTP against a real fgsd: create, list, show,
update (object and array event_data), delete and delete-all with their
URN scopes (unqualified, latest, version, alias), every type's validation,
the uniqueness and quota rules, bad input leaving nothing written, and a
restart keeping everything."""
import re

from fgsd import Fgsd, check, done, inline_function

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z)$")


def timer(name, schedule="3m", stype="Rate", **extra):
    ed = {"name": name, "schedule_type": stype, "schedule": schedule}
    ed.update(extra)
    return {"trigger_type_code": "TIMER", "event_type_code": "MessageCreated", "event_data": ed}


def apig(path, method="GET", name="API_test", **extra):
    ed = {"name": name, "group_id": "f0a1b2c3d4e5f60718293a4b5c6d7e8f",
          "env_id": "DEFAULT_ENVIRONMENT_RELEASE_ID", "env_name": "RELEASE", "auth": "NONE",
          "protocol": "HTTPS", "path": path, "match_mode": "SWA", "req_method": method,
          "backend_type": "FUNCTION", "type": 1, "func_info": {"timeout": 5000}}
    ed.update(extra)
    return {"trigger_type_code": "APIG", "event_type_code": "APICreated", "event_data": ed}


# One valid event_data per type (besides TIMER and APIG), and one broken
# variant with the field its error message must name.
VALID = {
    "CTS": {"name": "cts_1", "operations": ["ECS:ecs;server:restartServer;deleteServer"]},
    "DDS": {"instance_id": "dds-1", "db_name": "db", "collection_name": "c", "db_user": "u",
            "db_password": "pw", "batch_size": 50},
    "GAUSSMONGO": {"instance_id": "gm-1", "db_name": "db", "collection_name": "c"},
    "DMS": {"queue_id": "q-1", "consumer_group_id": "g-1", "polling_interval": 30},
    "DIS": {"stream_name": "s-1", "sharditerator_type": "LATEST", "polling_interval": 30,
            "polling_unit": "s", "batch_size": 100, "max_fetch_bytes": 1048576, "is_serial": "true"},
    "LTS": {"log_group_id": "lg-1", "log_topic_id": "lt-1"},
    "OBS": {"bucket": "my-bucket", "events": ["ObjectCreated", "ObjectRemoved"], "prefix": "in/",
            "suffix": ".jpg", "name": "n1"},
    "SMN": {"topic_urn": "urn:smn:cn-north-4:0a1b2c3d:topic_1"},
    "KAFKA": {"instance_id": "k-1", "topic_ids": ["t1"], "kafka_user": "u",
              "kafka_password": "secret", "kafka_ssl_enable": False, "batch_size": 100},
    "OPENSOURCEKAFKA": {"topic_ids": ["t1"], "kafka_connect_address": "10.0.0.1:9092"},
    "RABBITMQ": {"instance_id": "r-1", "exchange_name": "ex", "vhost": "/", "access_user": "u",
                 "access_password": "pw", "ssl_enable": True, "batch_size": 10},
    "DEDICATEDGATEWAY": dict(apig("/dedicated")["event_data"], instance_id="inst-1"),
    "APIC": dict(apig("/roma")["event_data"], instance_id="inst-2", roma_app_id="app-1"),
    "EVENTGRID": {"channel_id": "ch-1", "channel_name": "default", "source_name": "HC.OBS",
                  "event_types": ["OBS:CloudTrace:ObjectCreated"], "status": "ACTIVE"},
}

BROKEN = [
    ("CTS", {"name": "cts_1", "operations": []}, "operations"),
    ("DDS", dict(VALID["DDS"], batch_size=10001), "batch_size"),
    ("DDS", {"instance_id": "d", "collection_name": "c"}, "db_name"),
    ("GAUSSMONGO", dict(VALID["GAUSSMONGO"], batch_size=0), "batch_size"),
    ("DMS", {"queue_id": "q"}, "consumer_group_id"),
    ("DIS", dict(VALID["DIS"], sharditerator_type="AT_SEQUENCE"), "sharditerator_type"),
    ("DIS", dict(VALID["DIS"], polling_interval=61), "polling_interval"),
    ("DIS", dict(VALID["DIS"], polling_unit="min"), "polling_unit"),
    ("DIS", dict(VALID["DIS"], batch_size=10001), "batch_size"),
    ("DIS", dict(VALID["DIS"], is_serial="maybe"), "is_serial"),
    ("LTS", {"log_group_id": "g"}, "log_topic_id"),
    ("OBS", dict(VALID["OBS"], bucket="Bad_Bucket"), "bucket"),
    ("OBS", dict(VALID["OBS"], events=["Explode"]), "events[0]"),
    ("SMN", {"topic_urn": "topic_1"}, "topic_urn"),
    ("KAFKA", dict(VALID["KAFKA"], batch_size=1001), "batch_size"),
    ("KAFKA", {"instance_id": "k"}, "topic_ids"),
    ("OPENSOURCEKAFKA", {"topic_ids": ["t"]}, "kafka_connect_address"),
    ("RABBITMQ", {"instance_id": "r"}, "exchange_name"),
    ("DEDICATEDGATEWAY", apig("/x")["event_data"], "instance_id"),
    ("APIC", dict(VALID["APIC"], req_method="TRACE"), "req_method"),
    ("EVENTGRID", dict(VALID["EVENTGRID"], status="DISABLED"), "status"),
]

BAD_TIMERS = [
    ("name missing", {"schedule_type": "Rate", "schedule": "3m"}),
    ("name with a space", {"name": "a b", "schedule_type": "Rate", "schedule": "3m"}),
    ("name too long", {"name": "t" * 65, "schedule_type": "Rate", "schedule": "3m"}),
    ("schedule_type lower case", {"name": "t", "schedule_type": "rate", "schedule": "3m"}),
    ("schedule missing", {"name": "t", "schedule_type": "Rate"}),
    ("rate 61m", {"name": "t", "schedule_type": "Rate", "schedule": "61m"}),
    ("rate 25h", {"name": "t", "schedule_type": "Rate", "schedule": "25h"}),
    ("rate 31d", {"name": "t", "schedule_type": "Rate", "schedule": "31d"}),
    ("rate in seconds", {"name": "t", "schedule_type": "Rate", "schedule": "30s"}),
    ("cron with 4 fields", {"name": "t", "schedule_type": "Cron", "schedule": "0 0 * *"}),
    ("cron minute 60", {"name": "t", "schedule_type": "Cron", "schedule": "0 60 * * * *"}),
    ("cron Feb 30", {"name": "t", "schedule_type": "Cron", "schedule": "0 0 0 30 2 ?"}),
    ("cron bad weekday", {"name": "t", "schedule_type": "Cron", "schedule": "0 0 0 ? * Funday"}),
    ("cron unknown zone", {"name": "t", "schedule_type": "Cron",
                           "schedule": "CRON_TZ=Mars/Olympus 0 0 9 * * *"}),
    ("cron zone escaping", {"name": "t", "schedule_type": "Cron",
                            "schedule": "CRON_TZ=../../etc/passwd 0 0 9 * * *"}),
    ("@every below 1s", {"name": "t", "schedule_type": "Cron", "schedule": "@every 500ms"}),
    ("@every bad unit", {"name": "t", "schedule_type": "Cron", "schedule": "@every 5d"}),
    ("user_event not a string", {"name": "t", "schedule_type": "Rate", "schedule": "3m",
                                 "user_event": {"a": 1}}),
    ("user_event over 4 KB", {"name": "t", "schedule_type": "Rate", "schedule": "3m",
                              "user_event": "x" * 4097}),
    ("event_data an array", ["name", "t"]),
    ("event_data missing", None),
]

BAD_APIG = [
    ("name too short", {"name": "ab"}),
    ("group_id missing", {"group_id": None}),
    ("env_name missing", {"env_name": None}),
    ("auth unknown", {"auth": "TOKEN"}),
    ("protocol unknown", {"protocol": "FTP"}),
    ("path relative", {"path": "hello"}),
    ("path with a space", {"path": "/a b"}),
    ("path with ..", {"path": "/a/../b"}),
    ("path with a broken parameter", {"path": "/users/{id"}),
    ("greedy parameter not last", {"path": "/{p+}/x"}),
    ("match_mode unknown", {"match_mode": "PREFIX"}),
    ("req_method unknown", {"req_method": "TRACE"}),
    ("backend_type unknown", {"backend_type": "HTTP"}),
    ("type 3", {"type": 3}),
    ("func_info missing", {"func_info": None}),
    ("func_info.timeout missing", {"func_info": {}}),
    ("func_info.timeout 0", {"func_info": {"timeout": 0}}),
    ("func_info.timeout over 60 s", {"func_info": {"timeout": 60001}}),
    ("func_info.invocation_type unknown", {"func_info": {"timeout": 5, "invocation_type": "x"}}),
]


def ids(lst):
    return sorted(t["trigger_id"] for t in lst)


with Fgsd() as s:
    for name in ("hello", "other", "quota"):
        st, f, _ = s.call("POST", "/functions", inline_function(name))
        check(st == 200, "create function %s (got %s %s)" % (name, st, f))
    st, v, _ = s.call("POST", "/functions/%s/versions" % s.urn("hello"), {"version": "v1"})
    check(st == 200 and v["version"] == "v1", "publish hello v1 (got %s %s)" % (st, v))
    st, a, _ = s.call("POST", "/functions/%s/aliases" % s.urn("hello"),
                      {"name": "dev", "version": "v1"})
    check(st == 200 and a["name"] == "dev", "alias dev -> v1 (got %s %s)" % (st, a))

    U = s.urn("hello")
    LATEST = s.urn("hello", "latest")
    V1 = s.urn("hello", "v1")
    DEV = s.urn("hello", "!dev")

    def create(urn, body, what, status=201):
        st, t, _ = s.call("POST", "/triggers/%s" % urn, body)
        check(st == status, "%s: %s (got %s %s)" % (what, status, st, t))
        return t if st == status else None

    def expect_error(method, path, body, status, code, what, field=None):
        st, e, _ = s.call(method, path, body)
        ok = st == status and isinstance(e, dict) and e.get("error_code") == code
        if ok and field:
            ok = field in e.get("error_msg", "")
        check(ok, "%s: %s %s%s (got %s %s)" % (what, status, code,
                                                " naming %s" % field if field else "", st, e))

    def listing(urn):
        st, l, _ = s.call("GET", "/triggers/%s" % urn)
        check(st == 200 and isinstance(l, list), "list %s answers a bare array (got %s)" % (urn, st))
        return l if isinstance(l, list) else []

    # --- create a TIMER on the unqualified URN
    t1 = create(U, timer("Timer_001", user_event="hi"), "create TIMER")
    check(UUID.match(t1["trigger_id"]) is not None, "trigger_id is a uuid")
    check(t1["trigger_type_code"] == "TIMER" and t1["trigger_status"] == "ACTIVE",
          "type echoed, status defaults to ACTIVE")
    check(t1["event_type_code"] == "MessageCreated", "event_type_code echoed")
    check(t1["event_data"] == {"name": "Timer_001", "schedule_type": "Rate", "schedule": "3m",
                               "user_event": "hi"}, "TIMER event_data echoed exactly")
    check(RFC3339.match(t1["created_time"]) and RFC3339.match(t1["last_updated_time"]),
          "created_time and last_updated_time are RFC 3339")
    t_cron = create(U, timer("cron-1", "CRON_TZ=Asia/Shanghai 0 30 9 ? * MON-FRI", "Cron"),
                    "create TIMER with a CRON_TZ cron")
    create(U, timer("every-1", "@every 1h30m", "Cron"), "create TIMER with @every")
    create(U, timer("five-fields", "0 */5 * * *", "Cron"), "create TIMER with 5 cron fields")
    t_noetc = create(U, {"trigger_type_code": "TIMER",
                         "event_data": {"name": "plain", "schedule_type": "Rate", "schedule": "1d"}},
                     "create TIMER without event_type_code")
    check("event_type_code" not in t_noetc, "no event_type_code when none was given")

    # --- list scopes: unqualified means latest
    lat = listing(U)
    check(len(lat) == 5 and lat[0]["trigger_id"] == t1["trigger_id"],
          "unqualified list has latest's 5 triggers in creation order")
    check(ids(listing(LATEST)) == ids(lat), ":latest lists the same triggers")
    check(listing(V1) == [] and listing(DEV) == [], "version and alias have none yet")
    check(listing(s.urn("other")) == [], "another function has none")
    check(ids(listing("hello")) == ids(lat), "short URN form lists latest's triggers")

    # --- show
    tid = t1["trigger_id"]
    for u in (U, LATEST, "hello", U.replace(":", "%3A")):
        st, g, _ = s.call("GET", "/triggers/%s/TIMER/%s" % (u, tid))
        check(st == 200 and g == t1, "show via %s equals the create answer" % u)
    expect_error("GET", "/triggers/%s/TIMER/%s" % (V1, tid), None, 404, "FSS.1131",
                 "show through another qualifier")
    expect_error("GET", "/triggers/%s/APIG/%s" % (U, tid), None, 404, "FSS.1131",
                 "show with the wrong type code")
    expect_error("GET", "/triggers/%s/IOTDA/%s" % (U, tid), None, 404, "FSS.1131",
                 "show with type IOTDA")
    expect_error("GET", "/triggers/%s/FOO/%s" % (U, tid), None, 400, "FSS.1101",
                 "show with an unknown type code")
    expect_error("GET", "/triggers/%s/timer/%s" % (U, tid), None, 400, "FSS.1101",
                 "show with a lower-case type code")
    expect_error("GET", "/triggers/%s/TIMER/%s" % (U, "0" * 36), None, 404, "FSS.1131",
                 "show an unknown id")
    expect_error("GET", "/triggers/%s/TIMER/%s" % (s.urn("other"), tid), None, 404, "FSS.1131",
                 "show through another function")
    expect_error("GET", "/triggers/%s/TIMER/%s" % (s.urn("nope"), tid), None, 404, "FSS.1051",
                 "show on a missing function")
    expect_error("GET", "/triggers/%s" % s.urn("nope"), None, 404, "FSS.1051",
                 "list on a missing function")
    expect_error("GET", "/triggers/%s" % s.urn("hello", "v9"), None, 404, "FSS.1052",
                 "list on a missing version")
    expect_error("GET", "/triggers/%s" % s.urn("hello", "!nope"), None, 404, "FSS.1053",
                 "list on a missing alias")
    expect_error("GET", "/triggers/a:b:c:d:e", None, 400, "FSS.0400", "list with a malformed URN")

    # --- TIMER uniqueness per function qualifier
    expect_error("POST", "/triggers/%s" % LATEST, timer("Timer_001", "5m"), 409, "FSS.1148",
                 "duplicate TIMER name on latest")
    t_v1 = create(V1, timer("Timer_001"), "same TIMER name on version v1")
    t_dev = create(DEV, timer("Timer_001"), "same TIMER name on alias dev")
    create(s.urn("other"), timer("Timer_001"), "same TIMER name on another function")
    expect_error("POST", "/triggers/%s" % DEV, timer("Timer_001"), 409, "FSS.1148",
                 "duplicate TIMER name on alias dev")

    # --- qualifiers: the alias's triggers are its own
    check(ids(listing(V1)) == [t_v1["trigger_id"]], "v1 lists its own trigger only")
    check(ids(listing(DEV)) == [t_dev["trigger_id"]], "dev lists its own trigger only")
    check(t_dev["trigger_id"] not in ids(listing(U)), "latest does not list dev's trigger")
    st, g, _ = s.call("GET", "/triggers/%s/TIMER/%s" % (DEV, t_dev["trigger_id"]))
    check(st == 200 and g["trigger_id"] == t_dev["trigger_id"], "show dev's trigger via the alias URN")
    st, g, _ = s.call("GET", "/triggers/%s/TIMER/%s" % (U, t_dev["trigger_id"]))
    check(st == 200, "the unqualified URN reaches any of the function's triggers")
    expect_error("GET", "/triggers/%s/TIMER/%s" % (LATEST, t_dev["trigger_id"]), None, 404,
                 "FSS.1131", ":latest does not reach dev's trigger")
    expect_error("DELETE", "/functions/%s/aliases/dev" % U, None, 403, "FSS.1154",
                 "an alias with triggers cannot be deleted")

    # --- TIMER validation
    before = ids(listing(U))
    for what, ed in BAD_TIMERS:
        body = {"trigger_type_code": "TIMER"}
        if ed is not None:
            body["event_data"] = ed
        expect_error("POST", "/triggers/%s" % U, body, 400, "FSS.1109", "TIMER %s" % what)

    # --- APIG
    g1 = create(U, apig("/hello/{id}"), "create APIG")
    g1ed = g1["event_data"]
    check(re.match(r"^[0-9a-f]{32}$", g1ed.get("api_id", "")) is not None, "APIG api_id generated")
    check(g1ed.get("api_name") == "API_test" and g1ed.get("triggerid") == g1["trigger_id"],
          "APIG api_name and triggerid")
    check(g1ed.get("group_name") == g1ed["group_id"] and "invoke_url" not in g1ed,
          "APIG group_name, no invoke_url yet")
    check(g1ed["func_info"] == {"timeout": 5000, "invocation_type": "sync"}, "func_info defaults")
    mini = create(s.urn("other"), {"trigger_type_code": "APIG", "event_data": {
        "name": "API_min", "group_id": "g1", "env_id": "e1", "env_name": "RELEASE",
        "path": "/min", "func_info": {"timeout": 3000}}}, "create APIG with defaults")
    med = mini["event_data"]
    check((med["auth"], med["protocol"], med["match_mode"], med["req_method"], med["backend_type"],
           med["type"]) == ("IAM", "HTTPS", "SWA", "ANY", "FUNCTION", 1), "APIG defaults filled in")
    expect_error("POST", "/triggers/%s" % s.urn("other"), apig("/hello/{id}"), 409, "FSS.1147",
                 "the same path and method in another function of the project")
    create(s.urn("other"), apig("/hello/{id}", method="POST"), "same path, another method")
    expect_error("POST", "/triggers/%s" % V1, apig("/min", method="ANY"), 409, "FSS.1147",
                 "the same path and method on another qualifier")
    for what, over in BAD_APIG:
        body = apig("/bad")
        for k, v in over.items():
            if v is None:
                body["event_data"].pop(k, None)
            else:
                body["event_data"][k] = v
        expect_error("POST", "/triggers/%s" % U, body, 400, "FSS.1107", "APIG %s" % what)
    expect_error("POST", "/triggers/%s" % U, dict(apig("/dis"), trigger_status="DISABLED"), 400,
                 "FSS.0400", "APIG triggers cannot be created DISABLED")

    # --- every other type
    created = {}
    for typ, ed in VALID.items():
        t = create(U, {"trigger_type_code": typ, "event_data": ed}, "create %s" % typ)
        if t:
            created[typ] = t
    check(created["DDS"]["trigger_status"] == "DISABLED", "DDS defaults to DISABLED")
    check(created["KAFKA"]["trigger_status"] == "DISABLED", "KAFKA defaults to DISABLED")
    check(created["DMS"]["trigger_status"] == "ACTIVE", "DMS defaults to ACTIVE")
    check(created["GAUSSMONGO"]["event_data"]["batch_size"] == 100, "GAUSSMONGO batch_size default")
    check("kafka_password" not in created["KAFKA"]["event_data"]
          and created["KAFKA"]["event_data"]["kafka_user"] == "u", "Kafka password not echoed")
    check("db_password" not in created["DDS"]["event_data"], "DDS password not echoed")
    check("access_password" not in created["RABBITMQ"]["event_data"], "RabbitMQ password not echoed")
    check(re.match(r"^[0-9a-f]{32}$", created["APIC"]["event_data"]["api_id"]) is not None,
          "APIC gets an api_id")
    create(U, {"trigger_type_code": "KAFKA", "trigger_status": "ACTIVE",
               "event_data": dict(VALID["KAFKA"], instance_id="k-2")}, "KAFKA created ACTIVE")
    for typ, ed, field in BROKEN:
        expect_error("POST", "/triggers/%s" % U, {"trigger_type_code": typ, "event_data": ed},
                     400, "FSS.0400", "%s with a bad %s" % (typ, field), field)

    # --- body-level errors
    expect_error("POST", "/triggers/%s" % U, {"trigger_type_code": "FOO", "event_data": {}}, 400,
                 "FSS.1101", "unknown trigger type")
    expect_error("POST", "/triggers/%s" % U, {"event_data": {}}, 400, "FSS.1101",
                 "trigger_type_code missing")
    expect_error("POST", "/triggers/%s" % U, {"trigger_type_code": "IOTDA", "event_data": {}},
                 400, "FSS.1101", "IOTDA cannot be created")
    expect_error("POST", "/triggers/%s" % U, {"trigger_type_code": 5}, 400, "FSS.1101",
                 "trigger_type_code a number")
    expect_error("POST", "/triggers/%s" % U, "{", 400, "FSS.0400", "truncated JSON")
    expect_error("POST", "/triggers/%s" % U, "[]", 400, "FSS.0400", "array body")
    expect_error("POST", "/triggers/%s" % U, dict(timer("x"), trigger_status="PAUSED"), 400,
                 "FSS.0400", "unknown trigger_status")
    expect_error("POST", "/triggers/%s" % U, dict(timer("x"), event_type_code=""), 400,
                 "FSS.0400", "empty event_type_code")
    expect_error("POST", "/triggers/%s" % U, dict(timer("x"), event_type_code=7), 400,
                 "FSS.0400", "event_type_code a number")
    expect_error("POST", "/triggers/%s" % s.urn("nope"), timer("x"), 404, "FSS.1051",
                 "create on a missing function")
    expect_error("POST", "/triggers/%s" % s.urn("hello", "v7"), timer("x"), 404, "FSS.1052",
                 "create on a missing version")
    expect_error("POST", "/triggers/%s" % s.urn("hello", "!prod"), timer("x"), 404, "FSS.1053",
                 "create on a missing alias")
    after = listing(U)
    check(len(after) == len(before) + 1 + len(VALID) + 1,
          "only the valid creates were written (%d -> %d)" % (len(before), len(after)))

    # --- pull-trigger quota per function qualifier
    q = s.urn("quota")
    for i in range(10):
        create(q, {"trigger_type_code": "DIS", "event_data": {"stream_name": "s%d" % i}},
               "pull trigger %d of 10" % (i + 1))
    expect_error("POST", "/triggers/%s" % q, {"trigger_type_code": "DMS", "event_data": {
        "queue_id": "q", "consumer_group_id": "g"}}, 403, "FSS.1123", "an 11th pull trigger")
    create(q, timer("still-fine"), "a TIMER is not a pull trigger")
    create(q, {"trigger_type_code": "OBS", "event_data": VALID["OBS"]}, "nor is OBS")
    check(len(listing(q)) == 12, "the refused pull trigger was not written")

    # --- update
    base = "/triggers/%s/TIMER/%s" % (U, tid)
    st, u1, _ = s.call("PUT", base, {"trigger_status": "DISABLED"})
    check(st == 200 and u1["trigger_status"] == "DISABLED" and u1["event_data"] == t1["event_data"],
          "disable a TIMER (got %s %s)" % (st, u1))
    check(u1["created_time"] == t1["created_time"] and u1["last_updated_time"] >= t1["created_time"],
          "update keeps created_time")
    st, u2, _ = s.call("PUT", base, {"trigger_status": "ACTIVE",
                                     "event_data": {"schedule": "10m", "user_event": None}})
    check(st == 200 and u2["trigger_status"] == "ACTIVE" and u2["event_data"] ==
          {"name": "Timer_001", "schedule_type": "Rate", "schedule": "10m"},
          "enable and merge event_data, null removes a field (got %s %s)" % (st, u2))
    st, u3, _ = s.call("PUT", base, {"event_data": [{"schedule_type": "Cron"},
                                                    {"schedule": "0 0 8 * * *"}]})
    check(st == 200 and u3["event_data"]["schedule"] == "0 0 8 * * *"
          and u3["event_data"]["schedule_type"] == "Cron", "array-form event_data applied in order")
    expect_error("PUT", base, {"event_data": {"schedule": "99m"}}, 400, "FSS.1109",
                 "update with an invalid schedule")
    expect_error("PUT", base, {"event_data": {"schedule_type": "Rate"}}, 400, "FSS.1109",
                 "update leaving a cron schedule under Rate")
    expect_error("PUT", base, {"event_data": {"name": "cron-1"}}, 409, "FSS.1148",
                 "rename to another TIMER's name")
    expect_error("PUT", base, {"event_data": "x"}, 400, "FSS.1109", "event_data a string")
    expect_error("PUT", base, {"event_data": [1]}, 400, "FSS.1109", "event_data array of non-objects")
    expect_error("PUT", base, {"trigger_status": "OFF"}, 400, "FSS.0400", "unknown trigger_status")
    expect_error("PUT", base, {}, 400, "FSS.0400", "nothing to update")
    expect_error("PUT", base, "nope", 400, "FSS.0400", "malformed body")
    st, g, _ = s.call("GET", base)
    check(st == 200 and g["event_data"] == u3["event_data"] and g["trigger_status"] == "ACTIVE",
          "refused updates changed nothing")
    st, g, _ = s.call("PUT", base, {"event_data": {"name": "Timer_renamed"}})
    check(st == 200 and g["event_data"]["name"] == "Timer_renamed", "rename a TIMER")
    expect_error("PUT", "/triggers/%s/APIG/%s" % (U, g1["trigger_id"]),
                 {"trigger_status": "DISABLED"}, 400, "FSS.0400", "APIG cannot be disabled")
    for typ in ("DDS", "DMS", "KAFKA", "LTS"):
        st, g, _ = s.call("PUT", "/triggers/%s/%s/%s" % (U, typ, created[typ]["trigger_id"]),
                          {"trigger_status": "DISABLED"})
        check(st == 200 and g["trigger_status"] == "DISABLED", "%s can be disabled" % typ)
    for typ in ("OBS", "DIS", "SMN", "CTS"):
        expect_error("PUT", "/triggers/%s/%s/%s" % (U, typ, created[typ]["trigger_id"]),
                     {"trigger_status": "DISABLED"}, 400, "FSS.0400", "%s cannot be disabled" % typ)
    dis = "/triggers/%s/DIS/%s" % (U, created["DIS"]["trigger_id"])
    st, g, _ = s.call("PUT", dis, {"event_data": [{"is_serial": False, "max_fetch_bytes": 2048,
                                                    "polling_interval": 500,
                                                    "polling_unit": "ms"}]})
    check(st == 200 and g["event_data"]["is_serial"] == "false"
          and g["event_data"]["polling_interval"] == 500 and g["event_data"]["stream_name"] == "s-1",
          "the SDK's array form updates DIS polling (got %s %s)" % (st, g))
    expect_error("PUT", dis, {"event_data": {"batch_size": 0}}, 400, "FSS.0400",
                 "DIS update with a bad batch_size", "batch_size")
    kafka = "/triggers/%s/KAFKA/%s" % (U, created["KAFKA"]["trigger_id"])
    st, g, _ = s.call("PUT", kafka, {"event_data": {"batch_size": 10}})
    check(st == 200 and "kafka_password" not in g["event_data"] and g["event_data"]["batch_size"] == 10,
          "Kafka update keeps the hidden password hidden")
    ga = "/triggers/%s/APIG/%s" % (U, g1["trigger_id"])
    st, g, _ = s.call("PUT", ga, {"event_data": {"path": "/moved", "api_id": "forged"}})
    check(st == 200 and g["event_data"]["path"] == "/moved"
          and g["event_data"]["api_id"] == g1ed["api_id"], "APIG update keeps its api_id")
    expect_error("PUT", ga, {"event_data": {"path": "/min", "req_method": "ANY"}}, 409, "FSS.1147",
                 "APIG update onto a taken route")
    expect_error("PUT", ga, {"event_data": {"path": "no-slash"}}, 400, "FSS.1107",
                 "APIG update with a bad path")
    expect_error("PUT", "/triggers/%s/APIG/%s" % (U, tid), {"trigger_status": "ACTIVE"}, 404,
                 "FSS.1131", "update with the wrong type code")
    expect_error("PUT", "/triggers/%s/TIMER/%s" % (V1, tid), {"trigger_status": "ACTIVE"}, 404,
                 "FSS.1131", "update through another qualifier")

    # --- restart keeps everything
    snapshot = {u: sorted(listing(u), key=lambda t: t["trigger_id"]) for u in (U, V1, DEV, q)}
    s.restart()
    for u, want in snapshot.items():
        got = sorted(listing(u), key=lambda t: t["trigger_id"])
        check(got == want, "after restart %s lists the same %d triggers" % (u, len(want)))

    # --- delete one
    expect_error("DELETE", "/triggers/%s/TIMER/%s" % (V1, tid), None, 404, "FSS.1131",
                 "delete through another qualifier")
    expect_error("DELETE", "/triggers/%s/DIS/%s" % (U, tid), None, 404, "FSS.1131",
                 "delete with the wrong type code")
    st, body, _ = s.call("DELETE", "/triggers/%s/TIMER/%s" % (U, tid))
    check(st == 204 and not body, "delete a trigger: 204 without a body")
    expect_error("GET", base, None, 404, "FSS.1131", "a deleted trigger is gone")
    expect_error("DELETE", base, None, 404, "FSS.1131", "deleting it again")
    st, _, _ = s.call("DELETE", "/triggers/%s/TIMER/%s" % (DEV, t_dev["trigger_id"]))
    check(st == 204, "delete the alias's trigger through the alias URN")
    st, _, _ = s.call("DELETE", "/functions/%s/aliases/dev" % U)
    check(st == 204, "the alias can be deleted once its triggers are gone")
    st, a, _ = s.call("POST", "/functions/%s/aliases" % U, {"name": "dev", "version": "v1"})
    check(st == 200, "recreate alias dev")

    # --- delete-all scopes (§2 BatchDeleteFunctionTriggers)
    create(DEV, timer("dev-a"), "dev trigger a")
    create(DEV, timer("dev-b"), "dev trigger b")
    create(V1, timer("v1-b"), "another v1 trigger")
    n_latest = len(listing(U))
    check(len(listing(V1)) == 2 and len(listing(DEV)) == 2 and n_latest > 10,
          "before delete-all: v1 2, dev 2, latest %d" % n_latest)
    st, _, _ = s.call("DELETE", "/triggers/%s" % V1)
    check(st == 204 and listing(V1) == [] and len(listing(DEV)) == 2
          and len(listing(U)) == n_latest, "delete-all on a version removes only its triggers")
    st, _, _ = s.call("DELETE", "/triggers/%s" % DEV)
    check(st == 204 and listing(DEV) == [] and len(listing(U)) == n_latest,
          "delete-all on an alias removes only its triggers")
    create(V1, timer("v1-c"), "v1 trigger again")
    create(DEV, timer("dev-c"), "dev trigger again")
    st, _, _ = s.call("DELETE", "/triggers/%s" % LATEST)
    check(st == 204 and listing(U) == [] and listing(V1) == [] and listing(DEV) == [],
          "delete-all on :latest removes every trigger of the function")
    create(V1, timer("v1-d"), "v1 trigger once more")
    create(U, timer("latest-d"), "latest trigger once more")
    st, _, _ = s.call("DELETE", "/triggers/%s" % U)
    check(st == 204 and listing(U) == [] and listing(V1) == [],
          "delete-all on the unqualified URN removes every trigger of the function")
    check(len(listing(s.urn("other"))) == 3 and len(listing(q)) == 12,
          "other functions keep their triggers")
    st, _, _ = s.call("DELETE", "/triggers/%s" % U)
    check(st == 204, "delete-all with nothing to delete is still 204")
    expect_error("DELETE", "/triggers/%s" % s.urn("nope"), None, 404, "FSS.1051",
                 "delete-all on a missing function")
    expect_error("DELETE", "/triggers/%s" % s.urn("hello", "!gone"), None, 404, "FSS.1053",
                 "delete-all on a missing alias")

    # --- a freed route can be taken again; deleting a function drops its triggers
    create(U, apig("/min", method="ANY", name="API_again"), "route free again? no: other holds /min",
           status=409)
    st, _, _ = s.call("DELETE", "/functions/%s" % s.urn("other"))
    check(st == 204, "delete function other")
    create(U, apig("/min", method="ANY", name="API_again"), "a deleted function's route is free")
    expect_error("GET", "/triggers/%s" % s.urn("other"), None, 404, "FSS.1051",
                 "a deleted function has no trigger list")
    check(s.alive(), "fgsd still running")

done()
