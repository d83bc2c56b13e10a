"""/v1/cs/configs/listener long polling of the embedded server (min hold shortened to 0.4 s)."""
from __future__ import absolute_import, division, print_function, unicode_literals

import hashlib
import threading
import time

try:
    from urllib.parse import unquote_plus
except ImportError:  # Python 2
    from urllib import unquote_plus

import requests


def md5(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def line(data_id, group, md5_value, tenant=None):
    if tenant:
        return "%s\x02%s\x02%s\x02%s\x01" % (data_id, group, md5_value, tenant)
    return "%s\x02%s\x02%s\x01" % (data_id, group, md5_value)


def listen(base, probe, timeout_ms=30000, headers=None, session=None):
    hdrs = {"Long-Pulling-Timeout": str(timeout_ms)}
    hdrs.update(headers or {})
    sender = session or requests
    return sender.post(base + "/v1/cs/configs/listener", data={"Listening-Configs": probe}, headers=hdrs,
                       timeout=10)


def decode(body):
    keys = []
    for item in unquote_plus(body.strip()).split("\x01"):
        if item:
            keys.append(tuple(item.split("\x02")))
    return keys


def publish(base, data_id, content, group="DEFAULT_GROUP", tenant=None):
    form = {"dataId": data_id, "group": group, "content": content}
    if tenant:
        form["tenant"] = tenant
    assert requests.post(base + "/v1/cs/configs", data=form).text == "true"


def test_changed_key_is_answered_at_once(base):
    publish(base, "a", "1")
    publish(base, "b", "2", tenant="ns1")
    started = time.time()
    r = listen(base, line("a", "DEFAULT_GROUP", "stale") + line("b", "DEFAULT_GROUP", "", "ns1")
               + line("c", "DEFAULT_GROUP", ""))
    assert time.time() - started < 0.5
    assert r.status_code == 200
    assert r.text.endswith("\n")
    assert "%02" in r.text and "%01" in r.text
    assert sorted(decode(r.text)) == [("a", "DEFAULT_GROUP"), ("b", "DEFAULT_GROUP", "ns1")]


def test_unchanged_is_held_for_min_hold_then_empty(base):
    publish(base, "a", "1")
    started = time.time()
    r = listen(base, line("a", "DEFAULT_GROUP", md5("1")), timeout_ms=500)
    elapsed = time.time() - started
    assert 0.35 <= elapsed < 1.2, elapsed
    assert (r.status_code, r.text) == (200, "")


def test_hold_is_timeout_minus_half_a_second(base):
    started = time.time()
    r = listen(base, line("absent", "DEFAULT_GROUP", ""), timeout_ms=1500)
    elapsed = time.time() - started
    assert 0.9 <= elapsed < 1.6, elapsed
    assert r.text == ""


def test_publish_answers_held_request_early_with_only_that_key(base):
    publish(base, "a", "1")
    publish(base, "b", "1")
    result = {}

    def worker():
        probe = line("a", "DEFAULT_GROUP", md5("1")) + line("b", "DEFAULT_GROUP", md5("1"), "")
        result["r"] = listen(base, probe, timeout_ms=5000)
        result["t"] = time.time()

    thread = threading.Thread(target=worker)
    thread.start()
    time.sleep(0.2)
    sent = time.time()
    publish(base, "b", "2")
    thread.join(5)
    assert result["t"] - sent < 0.5
    assert decode(result["r"].text) == [("b", "DEFAULT_GROUP")]


def test_delete_answers_held_request_early(base):
    publish(base, "gone", "1", tenant="ns1")
    result = {}

    def worker():
        result["r"] = listen(base, line("gone", "DEFAULT_GROUP", md5("1"), "ns1"), timeout_ms=5000)

    thread = threading.Thread(target=worker)
    thread.start()
    time.sleep(0.2)
    requests.delete(base + "/v1/cs/configs", params={"dataId": "gone", "group": "DEFAULT_GROUP", "tenant": "ns1"})
    thread.join(5)
    assert decode(result["r"].text) == [("gone", "DEFAULT_GROUP", "ns1")]


def test_public_tenant_listens_to_default_namespace(base):
    result = {}

    def worker():
        result["r"] = listen(base, line("p", "DEFAULT_GROUP", "", "public"), timeout_ms=5000)

    thread = threading.Thread(target=worker)
    thread.start()
    time.sleep(0.2)
    publish(base, "p", "x")
    thread.join(5)
    assert decode(result["r"].text) == [("p", "DEFAULT_GROUP", "public")]


def test_no_hangup_answers_at_once(base):
    publish(base, "a", "1")
    started = time.time()
    r = listen(base, line("a", "DEFAULT_GROUP", md5("1")), headers={"Long-Pulling-Timeout-No-Hangup": "true"})
    assert time.time() - started < 0.5
    assert (r.status_code, r.text) == (200, "")


def test_missing_timeout_header_short_polls(base):
    publish(base, "a", "1")
    url = base + "/v1/cs/configs/listener"
    started = time.time()
    r = requests.post(url, data={"Listening-Configs": line("a", "DEFAULT_GROUP", "old")})
    assert time.time() - started < 0.5
    assert r.text == ""
    assert decode(r.headers["Probe-Modify-Response-New"]) == [("a", "DEFAULT_GROUP")]
    assert r.headers["Probe-Modify-Response"] == "a:DEFAULT_GROUP;"
    r = requests.post(url, data={"Listening-Configs": line("a", "DEFAULT_GROUP", "old")},
                      headers={"Client-Version": "2.3.2"})
    assert r.text == ""  # also for a new client: recorded on 2.3.2 (tests/conformance)
    assert decode(r.headers["Probe-Modify-Response-New"]) == [("a", "DEFAULT_GROUP")]


def test_invalid_probe_is_500_json(base):
    url = base + "/v1/cs/configs/listener"
    for probe in ("", "bad", "a\x02b\x02c\x02d\x02e\x01", "only-one-field\x01", "bad%zz\x02g\x02m\x01"):
        r = requests.post(url, data={"Listening-Configs": probe}, headers={"Long-Pulling-Timeout": "30000"})
        assert r.status_code == 500, probe  # 2.3.2: Spring's error JSON (tests/conformance recording)
        assert r.json()["message"] == "invalid probeModify", probe
    r = requests.post(url, headers={"Long-Pulling-Timeout": "30000"})
    assert r.status_code == 500


def test_illegal_data_id_in_probe_is_rejected_by_param_checker(base):
    r = listen(base, line("a b", "DEFAULT_GROUP", ""))
    assert r.status_code == 400
    assert r.text.startswith("Param 'dataId' is illegal")


def test_many_concurrent_waiters_are_all_answered(base):
    results = []
    lock = threading.Lock()

    def worker(i):
        r = listen(base, line("shared", "DEFAULT_GROUP", ""), timeout_ms=5000)
        with lock:
            results.append(r.text)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    publish(base, "shared", "now")
    for t in threads:
        t.join(5)
    assert len(results) == 20
    assert all(decode(text) == [("shared", "DEFAULT_GROUP")] for text in results)
