"""``nacos serve``: the embedded server as a subprocess, used by the command itself, stopped by Ctrl-C."""
import json
import signal
import time

import pytest

from support.net import free_port

from clirun import run, start

pytestmark = pytest.mark.embedded_only


def _stop(proc):
    proc.send_signal(signal.SIGINT)
    deadline = time.time() + 5
    while proc.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    out, err = proc.communicate()
    return proc.returncode, out.decode("utf-8"), err.decode("utf-8")


def test_serve_prints_where_and_serves_until_interrupted():
    proc = start(["serve", "--port", "0", "--no-v1", "--json"], None)
    facts = json.loads(proc.stdout.readline().decode("utf-8"))
    try:
        assert facts["apis"] == ["v3"] and facts["auth"] is False and facts["data"] == "in memory, lost on exit"
        assert facts["url"] == "http://%s/nacos" % facts["address"]
        r = run(["config", "put", "a.json", "-", "--type", "json"], facts["address"], stdin=u"{}")
        assert r.code == 0, r
        r = run(["config", "get", "a.json"], facts["address"])
        assert (r.code, r.out) == (0, "{}"), r
    finally:
        code, out, err = _stop(proc)
    assert code == 0 and "Traceback" not in err, err


def test_serve_human_output_and_port_in_use():
    port = free_port()
    proc = start(["serve", "--port", str(port), "--auth", "--user", "ops:pw"], None)
    lines = [proc.stdout.readline().decode("utf-8") for _ in range(7)]
    try:
        assert lines[0].split() == ["url", "http://127.0.0.1:%d/nacos" % port]
        assert lines[3].split() == ["auth", "on,", "users:", "ops"] and lines[-1] == "Ctrl-C to stop\n"
        r = run(["serve", "--port", str(port)], None)
        assert r.code == 2 and "cannot listen" in r.err, r
    finally:
        code, out, err = _stop(proc)
    assert code == 0, err
