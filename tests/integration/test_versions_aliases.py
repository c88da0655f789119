"""Versions and aliases over HTTP against a real fgsd: publishing (default
and explicit names, same-second suffixes, digest precondition, nothing
changed, quota, name and description rules), listing with pagination,
aliases with weights and rule strategies and every validation failure,
triggers blocking alias deletion, URN forms, the legacy prefix, and that
everything survives a restart."""
import os
import re
import sqlite3
import time

from fgsd import Fgsd, b64, check, done, inline_function

VNAME = re.compile(r"^v\d{8}-\d{6}(-\d+)?$")
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z)$")

_n = [0]


def change_code(s, fn):
    """Gives latest new code so the next publish has something to publish."""
    _n[0] += 1
    src = "def handler(event, context):\n    return %d\n" % _n[0]
    st, c, _ = s.call("PUT", "/functions/%s/code" % fn,
                      {"code_type": "inline", "func_code": {"file": b64(src)}})
    assert st == 200, (st, c)
    return c["digest"]


def change_config(s, fn, memory=256, desc="changed"):
    body = {"func_name": fn.split(":")[-1], "runtime": "Python3.9", "handler": "index.handler",
            "memory_size": memory, "timeout": 30, "description": desc}
    st, g, _ = s.call("PUT", "/functions/%s/config" % fn, body)
    assert st == 200, (st, g)
    return g


def publish(s, urn, body=None, **kw):
    return s.call("POST", "/functions/%s/versions" % urn, body, **kw)


def split_name(v):
    """v20240102-030405-2 -> ("v20240102-030405", 2); no suffix is 0."""
    m = re.match(r"^(v\d{8}-\d{6})(?:-(\d+))?$", v)
    return m.group(1), int(m.group(2) or 0)


def err(st, e, status, code):
    return st == status and isinstance(e, dict) and e.get("error_code") == code


with Fgsd() as s:
    st, f, _ = s.call("POST", "/functions", inline_function("vf", description="fn desc"))
    check(st == 200, "create vf")
    latest_digest = f["digest"]

    # --- list before any publish: only latest
    st, l, _ = s.call("GET", "/functions/vf/versions")
    check(st == 200 and l["count"] == 1 and len(l["versions"]) == 1, "a new function lists latest only")
    check(l["versions"][0]["version"] == "latest", "the latest entry is version latest")
    check(l["versions"][0]["func_urn"] == s.urn("vf"), "version list items carry the unqualified URN")
    check(l["next_marker"] == 1, "next_marker = count on the last page")

    # --- publish with no body at all: default name
    st, v1, _ = publish(s, s.urn("vf", "latest"))
    check(st == 200, "publish without a body answers 200 (got %s %s)" % (st, v1))
    check(VNAME.match(v1["version"]) is not None, "default name is v%%Y%%m%%d-%%H%%M%%S (%s)" % v1["version"])
    check(v1["func_urn"] == s.urn("vf", v1["version"]), "func_urn is qualified with the new version")
    check(v1["version_description"] == "", "version_description is empty by default")
    check(v1["digest"] == latest_digest and v1["description"] == "fn desc",
          "the version snapshots latest's code digest and configuration")
    check(RFC3339.match(v1["last_modified"]) is not None, "last_modified is RFC 3339")

    # --- nothing changed
    st, e, _ = publish(s, s.urn("vf"), {})
    check(err(st, e, 400, "FSS.1016"), "publishing unchanged latest is 400 FSS.1016")
    check(v1["version"] in e["error_msg"], "FSS.1016 names the last published version")
    st, e, _ = publish(s, "vf", {"version": "new-name", "description": "x"})
    check(err(st, e, 400, "FSS.1016"), "an explicit name does not bypass FSS.1016")
    change_config(s, "vf", memory=128, desc="fn desc")  # same text as before: still unchanged
    st, e, _ = publish(s, "vf")
    check(err(st, e, 400, "FSS.1016"), "a config update that changes nothing is still FSS.1016")

    # --- explicit name, description, config change counts as a change
    change_config(s, "vf", memory=256)
    st, v2, _ = publish(s, "vf", {"version": "1.0", "description": "first release"})
    check(st == 200 and v2["version"] == "1.0", "explicit version name 1.0")
    check(v2["version_description"] == "first release", "version_description echoed")
    check(v2["memory_size"] == 256 and v2["cpu"] == 400, "the version has latest's new config")
    check(v2["func_urn"] == s.urn("vf", "1.0"), "func_urn qualified with 1.0")

    # --- explicit name taken
    change_code(s, "vf")
    st, e, _ = publish(s, "vf", {"version": "1.0"})
    check(err(st, e, 409, "FSS.1062"), "a taken explicit name is 409 FSS.1062")
    st, e, _ = publish(s, "vf", {"version": v1["version"]})
    check(err(st, e, 409, "FSS.1062"), "a taken generated name is 409 FSS.1062 when given explicitly")

    # --- name rules
    for bad in ["-lead", "trail.", "has space", "a" * 43, "latest", "x/y", "", "ümlaut"]:
        st, e, _ = publish(s, "vf", {"version": bad})
        if bad == "":
            # empty string: invalid name
            check(err(st, e, 400, "FSS.1015"), "empty version name is 400 FSS.1015")
        else:
            check(err(st, e, 400, "FSS.1015"), "version name %r is 400 FSS.1015" % bad)
    st, e, _ = publish(s, "vf", {"version": 12})
    check(err(st, e, 400, "FSS.1015"), "a non-string version is 400 FSS.1015")
    st, v42, _ = publish(s, "vf", {"version": "A" + "b" * 40 + "9"})
    check(st == 200 and len(v42["version"]) == 42, "a 42-character name is accepted")

    # --- description rules
    change_code(s, "vf")
    st, e, _ = publish(s, "vf", {"description": "d" * 513})
    check(err(st, e, 400, "FSS.1019"), "a 513-character description is 400 FSS.1019")
    st, e, _ = publish(s, "vf", {"description": 5})
    check(err(st, e, 400, "FSS.0400"), "a non-string description is 400")
    st, v3, _ = publish(s, "vf", {"version": "2.0", "description": "\u00e9" * 512})
    check(st == 200 and v3["version_description"] == "\u00e9" * 512,
          "512 two-byte characters are 512 characters, accepted")

    # --- digest precondition
    d = change_code(s, "vf")
    st, e, _ = publish(s, "vf", {"digest": "0" * 128, "version": "3.0"})
    check(err(st, e, 400, "FSS.0400") and "digest" in e["error_msg"] and d in e["error_msg"],
          "a stale digest is 400 FSS.0400 naming latest's digest")
    st, e, _ = publish(s, "vf", {"digest": 7})
    check(err(st, e, 400, "FSS.0400"), "a non-string digest is 400")
    st, v4, _ = publish(s, "vf", {"digest": d, "version": "3.0"})
    check(st == 200 and v4["digest"] == d, "the current digest publishes")
    change_code(s, "vf")
    st, v5, _ = publish(s, "vf", {"digest": "", "version": "3.1"})
    check(st == 200, "an empty digest counts as absent")

    # --- body and URN errors
    st, e, _ = s.call("POST", "/functions/vf/versions", "{not json")
    check(err(st, e, 400, "FSS.0400"), "malformed JSON is 400")
    st, e, _ = s.call("POST", "/functions/vf/versions", "[1]")
    check(err(st, e, 400, "FSS.0400"), "a non-object body is 400")
    st, e, _ = publish(s, s.urn("vf", "1.0"))
    check(err(st, e, 400, "FSS.0400"), "publishing from a published version is 400")
    st, e, _ = publish(s, s.urn("vf", "!dev"))
    check(err(st, e, 400, "FSS.0400"), "publishing through an alias URN is 400")
    st, e, _ = publish(s, s.urn("nope"))
    check(err(st, e, 404, "FSS.1051"), "publishing a missing function is 404 FSS.1051")
    st, e, _ = publish(s, s.urn("vf", "9.9"))
    check(err(st, e, 404, "FSS.1052"), "a missing version in the URN is 404 FSS.1052")

    # --- URN forms and the legacy prefix
    forms = ["default:vf", s.project + ":default:vf", s.project + ":default:vf:latest",
             s.urn("vf").replace(":", "%3A"), s.urn("vf", "latest").replace(":", "%3a")]
    for i, u in enumerate(forms):
        change_code(s, "vf")
        st, v, _ = publish(s, u, {"version": "form-%d" % i})
        check(st == 200 and v["version"] == "form-%d" % i, "publish via %s" % u)
    change_code(s, "vf")
    st, v, _ = publish(s, s.urn("vf"), {"version": "legacy"}, prefix="/v1.0/%s/fss")
    check(st == 200 and v["version"] == "legacy", "publish via the legacy /v1.0/{project}/fss prefix")

    # --- a version keeps its snapshot when latest moves on
    st, g, _ = s.call("GET", "/functions/%s/config" % s.urn("vf", "1.0"))
    check(st == 200 and g["version"] == "1.0" and g["memory_size"] == 256, "get config of version 1.0")
    st, lg, _ = s.call("GET", "/functions/vf/config")
    check(g["digest"] != lg["digest"], "version 1.0 keeps its digest after latest's code changed")
    st, c, _ = s.call("GET", "/functions/%s/code" % s.urn("vf", v1["version"]))
    check(st == 200 and c["digest"] == latest_digest, "the first version's code is still stored")

    # --- list: order, pagination
    st, l, _ = s.call("GET", "/functions/%s/versions" % s.urn("vf", "latest"))
    names = [x["version"] for x in l["versions"]]
    total = l["count"]
    expect = ["latest", v1["version"], "1.0", v42["version"], "2.0", "3.0", "3.1"] + \
        ["form-%d" % i for i in range(len(forms))] + ["legacy"]
    check(names == expect, "versions list latest then publish order (%s)" % names)
    check(total == len(expect) and l["next_marker"] == total, "count and next_marker of a full page")
    check(all(x["func_urn"] == s.urn("vf") for x in l["versions"]), "every item has the unqualified URN")
    check(l["versions"][2]["version_description"] == "first release", "list items carry version_description")
    seen, marker, pages = [], 0, 0
    while True:
        st, p, _ = s.call("GET", "/functions/vf/versions?marker=%d&maxitems=4" % marker)
        pages += 1
        check(st == 200 and p["count"] == total and len(p["versions"]) <= 4, "page at marker %d" % marker)
        if not p["versions"]:
            break
        check(p["next_marker"] == marker + len(p["versions"]), "next_marker = marker + page length")
        seen += [x["version"] for x in p["versions"]]
        marker = p["next_marker"]
        if marker >= p["count"]:
            break
    check(seen == expect and pages == (total + 3) // 4, "paging visits every version once, in order")
    st, p, _ = s.call("GET", "/functions/vf/versions?marker=%d" % total)
    check(st == 200 and p["versions"] == [] and p["count"] == total, "marker = count: empty page")
    st, p, _ = s.call("GET", "/functions/vf/versions?marker=500&maxitems=2")
    check(st == 200 and p["versions"] == [] and p["next_marker"] == total, "marker past the end: empty page")
    st, p, _ = s.call("GET", "/functions/vf/versions?maxitems=0")
    check(st == 200 and len(p["versions"]) == total, "maxitems=0 is the default page size")
    for q in ["maxitems=-1", "marker=-2", "marker=x"]:
        st, e, _ = s.call("GET", "/functions/vf/versions?" + q)
        check(err(st, e, 400, "FSS.1001"), "versions?%s is 400 FSS.1001" % q)
    st, e, _ = s.call("GET", "/functions/nope/versions")
    check(err(st, e, 404, "FSS.1051"), "versions of a missing function is 404 FSS.1051")
    st, p, _ = s.call("GET", "/functions/%s/versions" % s.urn("vf"), prefix="/v1.0/%s/fss")
    check(st == 200 and p["count"] == total, "list versions via the legacy prefix")

    # --- two publishes of real changes in the same second get distinct names
    st, _, _ = s.call("POST", "/functions", inline_function("quick"))
    check(st == 200, "create quick")
    same_second = False
    for attempt in range(6):
        change_code(s, "quick")
        st, a, _ = publish(s, "quick")
        change_code(s, "quick")
        st2, b, _ = publish(s, "quick")
        check(st == 200 and st2 == 200 and a["version"] != b["version"],
              "back-to-back publishes both succeed with distinct names")
        (ba, na), (bb, nb) = split_name(a["version"]), split_name(b["version"])
        if ba == bb:
            check(nb == na + 1, "a name taken in the same second gets the next suffix (%s, %s)"
                  % (a["version"], b["version"]))
            same_second = True
            break
    check(same_second, "observed two publishes in the same second")

    # --- version quota: 20 published versions
    st, _, _ = s.call("POST", "/functions", inline_function("qf"))
    for i in range(20):
        change_code(s, "qf")
        st, v, _ = publish(s, "qf", {"version": "q%d" % i})
        if st != 200:
            break
    check(st == 200, "20 published versions are allowed")
    change_code(s, "qf")
    st, e, _ = publish(s, "qf", {"version": "q20"})
    check(err(st, e, 403, "FSS.1044"), "the 21st published version is 403 FSS.1044")
    st, _, _ = s.call("DELETE", "/functions/%s" % s.urn("qf", "q0"))
    check(st == 204, "delete one version")
    st, v, _ = publish(s, "qf", {"version": "q20"})
    check(st == 200, "after deleting one, publishing works again")

    # ================= aliases =================
    A = "/functions/%s/aliases"
    st, a, _ = s.call("POST", A % s.urn("vf"), {"name": "dev", "version": "1.0", "description": "dev alias"})
    check(st == 200, "create alias dev (got %s %s)" % (st, a))
    check(a["name"] == "dev" and a["version"] == "1.0" and a["description"] == "dev alias", "alias fields")
    check(a["alias_urn"] == s.urn("vf", "!dev"), "alias_urn is ...:vf:!dev")
    check(a["additional_version_weights"] == {} and a["additional_version_strategy"] == {},
          "weights and strategy are {} when none")
    check(RFC3339.match(a["last_modified"]) is not None, "alias last_modified is RFC 3339")

    st, g, _ = s.call("GET", (A % "vf") + "/dev")
    check(st == 200 and g == a, "get alias returns what create answered")
    st, e, _ = s.call("GET", (A % "vf") + "/nope")
    check(err(st, e, 404, "FSS.1053"), "a missing alias is 404 FSS.1053")
    st, e, _ = s.call("GET", (A % "nofn") + "/dev")
    check(err(st, e, 404, "FSS.1051"), "an alias of a missing function is 404 FSS.1051")

    # the alias routes config reads
    st, g, _ = s.call("GET", "/functions/%s/config" % s.urn("vf", "!dev"))
    check(st == 200 and g["version"] == "1.0", "config via the alias URN resolves to its version")

    # name rules
    for bad in ["1abc", "ab-", "a" * 65, "", "has space", "a.b"]:
        st, e, _ = s.call("POST", A % "vf", {"name": bad, "version": "2.0"})
        check(err(st, e, 400, "FSS.1014"), "alias name %r is 400 FSS.1014" % bad)
    st, e, _ = s.call("POST", A % "vf", {"version": "2.0"})
    check(err(st, e, 400, "FSS.1014"), "a missing alias name is 400 FSS.1014")
    st, e, _ = s.call("POST", A % "vf", {"name": 3, "version": "2.0"})
    check(err(st, e, 400, "FSS.1014"), "a non-string alias name is 400 FSS.1014")

    # version rules
    st, e, _ = s.call("POST", A % "vf", {"name": "x1"})
    check(err(st, e, 400, "FSS.1015"), "a missing version is 400 FSS.1015")
    st, e, _ = s.call("POST", A % "vf", {"name": "x1", "version": "9.9"})
    check(err(st, e, 400, "FSS.1015"), "a version that does not exist is 400 FSS.1015")
    st, e, _ = s.call("POST", A % "vf", {"name": "x1", "version": "bad version"})
    check(err(st, e, 400, "FSS.1015"), "an invalid version name is 400 FSS.1015")
    st, e, _ = s.call("POST", A % "vf", {"name": "x1", "version": "2.0", "description": "d" * 513})
    check(err(st, e, 400, "FSS.1019"), "a 513-character alias description is 400 FSS.1019")
    st, e, _ = s.call("POST", A % "vf", {"name": "x1", "version": "2.0", "description": []})
    check(err(st, e, 400, "FSS.0400"), "a non-string alias description is 400")

    # conflicts
    st, e, _ = s.call("POST", A % "vf", {"name": "dev", "version": "2.0"})
    check(err(st, e, 409, "FSS.1063"), "an existing alias name is 409 FSS.1063")
    st, e, _ = s.call("POST", A % "vf", {"name": "prod", "version": "1.0"})
    check(err(st, e, 409, "FSS.1066"), "a version that is another alias's main version is 409 FSS.1066")
    st, t, _ = s.call("POST", A % "vf", {"name": "test", "version": "latest"})
    check(st == 200 and t["version"] == "latest", "an alias may point at latest")
    st, e, _ = s.call("POST", A % "vf", {"name": "test2", "version": "latest"})
    check(err(st, e, 409, "FSS.1066"), "latest too is the main version of at most one alias")

    # weights
    st, w, _ = s.call("POST", A % "vf", {"name": "canary", "version": "2.0",
                                          "additional_version_weights": {"3.0": 10, "3.1": 0}})
    check(st == 200 and w["additional_version_weights"] == {"3.0": 10, "3.1": 0}, "weights stored and echoed")
    bad_weights = [
        ({"latest": 10}, 400, "FSS.1091", "latest as an additional version"),
        ({"9.9": 10}, 400, "FSS.1091", "an unknown additional version"),
        ({"bad name": 10}, 400, "FSS.1091", "an invalid additional version name"),
        ({"form-0": 10}, 400, "FSS.1093", "the main version as an additional version"),
        ({"3.0": 101}, 400, "FSS.1092", "a weight above 100"),
        ({"3.0": -1}, 400, "FSS.1092", "a negative weight"),
        ({"3.0": "10"}, 400, "FSS.1092", "a string weight"),
        ({"3.0": 1.5}, 400, "FSS.1092", "a fractional weight"),
        ({"3.0": 60, "3.1": 50}, 400, "FSS.1092", "weights adding up to more than 100"),
        ([1], 400, "FSS.0400", "weights that are not an object"),
    ]
    for wts, status, code, what in bad_weights:
        st, e, _ = s.call("POST", A % "vf", {"name": "wx", "version": "form-0",
                                              "additional_version_weights": wts})
        check(err(st, e, status, code), "%s is %d %s" % (what, status, code))
    st, w2, _ = s.call("POST", A % "vf", {"name": "w100", "version": "form-0",
                                           "additional_version_weights": {"3.0": 60, "3.1": 40}})
    check(st == 200, "weights adding up to exactly 100 are accepted")

    # strategy
    good = {"3.1": {"combine_type": "and", "rules": [
        {"rule_type": "header", "param": "x-user_id", "op": "=", "value": "alice"},
        {"rule_type": "cookie", "param": "group", "op": "in", "value": "a,b,c"}]}}
    st, r, _ = s.call("POST", A % "vf", {"name": "rules", "version": "form-1",
                                          "additional_version_strategy": good})
    check(st == 200 and r["additional_version_strategy"] == good, "a rule strategy is stored and echoed")

    def strat(**over):
        rule = {"rule_type": "header", "param": "p", "op": "=", "value": "v"}
        rule.update(over)
        return {"3.1": {"combine_type": "or", "rules": [rule]}}
    bad_strats = [
        (strat(rule_type="query"), "FSS.0400", "rule_type query"),
        (strat(param="bad param"), "FSS.0400", "a param with a space"),
        (strat(param=""), "FSS.0400", "an empty param"),
        (strat(op="!="), "FSS.0400", "op !="),
        (strat(value=""), "FSS.0400", "an empty value"),
        (strat(value=3), "FSS.0400", "a non-string value"),
        ({"3.1": {"combine_type": "xor", "rules": strat()["3.1"]["rules"]}}, "FSS.0400", "combine_type xor"),
        ({"3.1": {"combine_type": "and", "rules": []}}, "FSS.0400", "an empty rule list"),
        ({"3.1": {"combine_type": "and"}}, "FSS.0400", "missing rules"),
        ({"3.1": "and"}, "FSS.0400", "a strategy that is not an object"),
        ({"latest": strat()["3.1"]}, "FSS.1091", "latest as a strategy version"),
        ({"9.9": strat()["3.1"]}, "FSS.1091", "an unknown strategy version"),
        ({"form-2": strat()["3.1"]}, "FSS.1093", "the main version as a strategy version"),
        ("x", "FSS.0400", "a strategy that is a string"),
    ]
    for sg, code, what in bad_strats:
        st, e, _ = s.call("POST", A % "vf", {"name": "sx", "version": "form-2",
                                              "additional_version_strategy": sg})
        check(err(st, e, 400, code), "%s is 400 %s" % (what, code))

    # alias URN forms and the legacy prefix
    st, l, _ = s.call("GET", A % s.urn("vf"))
    check(st == 200 and isinstance(l, list), "list aliases is a bare JSON array")
    names = [x["name"] for x in l]
    check(names == ["dev", "test", "canary", "w100", "rules"], "aliases listed in creation order (%s)" % names)
    for u in [s.urn("vf", "latest"), "default:vf", s.urn("vf").replace(":", "%3A"), s.urn("vf", "1.0")]:
        st, l2, _ = s.call("GET", A % u)
        check(st == 200 and [x["name"] for x in l2] == names, "list aliases via %s" % u)
    st, g, _ = s.call("GET", (A % s.urn("vf").replace(":", "%3A")) + "/dev")
    check(st == 200 and g["name"] == "dev", "get alias via a %3A-encoded URN")
    st, g, _ = s.call("GET", (A % s.urn("vf")) + "/dev", prefix="/v1.0/%s/fss")
    check(st == 200 and g["name"] == "dev", "get alias via the legacy prefix")
    st, e, _ = s.call("GET", A % s.urn("vf", "!dev"))
    check(err(st, e, 400, "FSS.0400"), "an alias URN in the path is 400")
    st, e, _ = s.call("GET", A % s.urn("vf", "!dev").replace("!", "%21"))
    check(err(st, e, 400, "FSS.0400"), "a %21-encoded alias URN in the path is 400 too")
    st, e, _ = s.call("GET", A % "nofn")
    check(err(st, e, 404, "FSS.1051"), "aliases of a missing function is 404 FSS.1051")

    # update
    st, u, _ = s.call("PUT", (A % "vf") + "/canary", {"version": "2.0", "description": "now described",
                                                       "additional_version_weights": {"3.0": 25}})
    check(st == 200 and u["description"] == "now described" and u["additional_version_weights"] == {"3.0": 25},
          "update keeps its own version (not FSS.1066) and replaces weights")
    st, u, _ = s.call("PUT", (A % "vf") + "/canary", {"version": "form-3"})
    check(st == 200 and u["version"] == "form-3", "update moves the alias to another version")
    check(u["additional_version_weights"] == {} and u["description"] == "",
          "PUT replaces: absent weights and description become empty")
    st, e, _ = s.call("PUT", (A % "vf") + "/canary", {"version": "1.0"})
    check(err(st, e, 409, "FSS.1066"), "update onto another alias's version is 409 FSS.1066")
    st, e, _ = s.call("PUT", (A % "vf") + "/canary", {"description": "no version"})
    check(err(st, e, 400, "FSS.1015"), "update without version is 400 FSS.1015")
    st, e, _ = s.call("PUT", (A % "vf") + "/canary", {"version": "9.9"})
    check(err(st, e, 400, "FSS.1015"), "update to a missing version is 400 FSS.1015")
    st, e, _ = s.call("PUT", (A % "vf") + "/canary", {"version": "form-3",
                                                       "additional_version_weights": {"form-3": 5}})
    check(err(st, e, 400, "FSS.1093"), "update with the main version as additional is FSS.1093")
    st, e, _ = s.call("PUT", (A % "vf") + "/canary", {"version": "form-3",
                                                       "additional_version_strategy": strat(op="~")})
    check(err(st, e, 400, "FSS.0400"), "update validates the strategy")
    st, e, _ = s.call("PUT", (A % "vf") + "/canary", {"version": "form-3", "description": "x" * 513})
    check(err(st, e, 400, "FSS.1019"), "update validates the description length")
    st, e, _ = s.call("PUT", (A % "vf") + "/nope", {"version": "2.0"})
    check(err(st, e, 404, "FSS.1053"), "update of a missing alias is 404 FSS.1053")
    st, g, _ = s.call("GET", (A % "vf") + "/canary")
    check(g["version"] == "form-3", "rejected updates changed nothing")
    st, u, _ = s.call("PUT", (A % "vf") + "/canary", {"version": "form-3",
                                                       "additional_version_strategy": good})
    check(st == 200 and u["additional_version_strategy"] == good, "update sets a strategy")

    # a version used as an additional version cannot be deleted (functions.c cooperates)
    st, e, _ = s.call("DELETE", "/functions/%s" % s.urn("vf", "3.1"))
    check(err(st, e, 403, "FSS.1094"), "deleting an additional version of an alias is 403 FSS.1094")

    # alias quota: 10 aliases per function, on distinct versions
    for i in range(10):
        st, _, _ = s.call("POST", A % "qf", {"name": "qa%d" % i, "version": "q%d" % (i + 1)})
        if st != 200:
            break
    check(st == 200, "10 aliases are allowed")
    st, e, _ = s.call("POST", A % "qf", {"name": "qa10", "version": "q11"})
    check(err(st, e, 403, "FSS.1043"), "the 11th alias is 403 FSS.1043")
    st, e, _ = s.call("POST", A % "qf", {"name": "qa0", "version": "q12"})
    check(err(st, e, 409, "FSS.1063"), "an existing name is still FSS.1063 at the quota")

    # --- restart keeps versions and aliases
    st, before_v, _ = s.call("GET", "/functions/vf/versions")
    st, before_a, _ = s.call("GET", A % "vf")
    s.restart()
    st, after_v, _ = s.call("GET", "/functions/vf/versions")
    check(st == 200 and after_v == before_v, "versions survive a restart")
    st, after_a, _ = s.call("GET", A % "vf")
    check(st == 200 and after_a == before_a, "aliases (weights, strategy) survive a restart")
    change_code(s, "vf")
    st, v, _ = publish(s, "vf", {"version": "after-restart"})
    check(st == 200, "publishing continues after a restart")
    st, l, _ = s.call("GET", "/functions/vf/versions")
    check(l["versions"][-1]["version"] == "after-restart", "publish order continues after a restart")
    st, e, _ = publish(s, "vf")
    check(err(st, e, 400, "FSS.1016"), "nothing-changed detection works after a restart")

    # --- delete: bound triggers block it
    s.stop()
    db = sqlite3.connect(os.path.join(s.data_dir, "fgs.db"))
    fn_id = db.execute("SELECT id FROM functions WHERE name = 'vf'").fetchone()[0]
    now = int(time.time() * 1000)
    db.execute("INSERT INTO triggers(trigger_id, fn_id, qualifier, type, status, event_type_code,"
               " event_data, created_ms, updated_ms) VALUES(?,?,?,?,?,?,?,?,?)",
               ("7f1c0e4e-0000-4000-8000-000000000001", fn_id, "dev", "TIMER", "ACTIVE",
                "MessageCreated", '{"name":"t","schedule_type":"Rate","schedule":"3m"}', now, now))
    db.commit()
    db.close()
    s.start()
    st, e, _ = s.call("DELETE", (A % "vf") + "/dev")
    check(err(st, e, 403, "FSS.1154"), "deleting an alias with a bound trigger is 403 FSS.1154")
    st, g, _ = s.call("GET", (A % "vf") + "/dev")
    check(st == 200, "the alias is still there")
    st, _, _ = s.call("DELETE", (A % "vf") + "/test")
    check(st == 204, "delete alias answers 204")
    st, e, _ = s.call("GET", (A % "vf") + "/test")
    check(err(st, e, 404, "FSS.1053"), "a deleted alias is gone")
    st, e, _ = s.call("DELETE", (A % "vf") + "/test")
    check(err(st, e, 404, "FSS.1053"), "deleting it twice is 404 FSS.1053")
    st, e, _ = s.call("DELETE", (A % "nofn") + "/test")
    check(err(st, e, 404, "FSS.1051"), "deleting an alias of a missing function is 404 FSS.1051")
    st, t2, _ = s.call("POST", A % "vf", {"name": "test2", "version": "latest"})
    check(st == 200, "latest is free for another alias once test is deleted")
    st, _, _ = s.call("DELETE", (A % s.urn("vf")) + "/w100", prefix="/v1.0/%s/fss")
    check(st == 204, "delete alias via the legacy prefix")
    s.restart()
    st, l, _ = s.call("GET", A % "vf")
    check([x["name"] for x in l] == ["dev", "canary", "rules", "test2"], "deletions survive a restart")

# Aliases and versions share the qualifier namespace (triggers and settings are keyed by it).
with Fgsd() as s2:
    st, _, _ = s2.call("POST", "/functions", inline_function("names"))
    check(st == 200, "create a function for the name clash checks")
    st, v, _ = s2.call("POST", "/functions/names/versions", {"version": "same"})
    check(st == 200 and v["version"] == "same", "publish version 'same'")
    st, e, _ = s2.call("POST", "/functions/names/aliases", {"name": "same", "version": "same"})
    check(st == 400 and e["error_code"] == "FSS.1014", "an alias cannot take a version's name (%s)" % st)
    st, _, _ = s2.call("POST", "/functions/names/aliases", {"name": "other", "version": "same"})
    check(st == 200, "alias 'other' created")
    st, _, _ = s2.call("PUT", "/functions/names/config", dict(inline_function("names"), timeout=9))
    st, e, _ = s2.call("POST", "/functions/names/versions", {"version": "other"})
    check(st == 400 and e["error_code"] == "FSS.1015", "a version cannot take an alias's name (%s)" % st)

done()
