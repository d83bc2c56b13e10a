# -*- coding: utf-8 -*-
"""The embedded server answers the recorded request set as a real Nacos 2.x does.

``recorded-2.x.json`` holds the answers of ``org.jeecgframework.nacos:nacos-console:2.3.2`` (auth off, and auth on
with ``--token-ttl 60``), normalised by ``replay.normalise`` (timestamps, tokens, ids, list order). Every run
replays the cases against fresh embedded servers and compares status, body and the headers clients read
(Content-MD5, Config-Type, Content-Type, Authorization). With ``NACOS_SERVER_ADDR`` set, the cases are also
replayed live against that server (auth on when ``NACOS_USERNAME`` is set) and compared with the embedded answers.
Re-record with ``python tests/conformance/replay.py record [--auth]`` (see replay.py).
"""
import os

import pytest

import replay
from cases import CASES_AUTH, CASES_NOAUTH

from nacos.testing import NacosServer

# the live replay of the 2.x recording; a server without the v1 API replays the 3.x one (test_conformance_3x.py)
REAL = os.environ.get("NACOS_SERVER_ADDR", "").strip() if not os.environ.get("NACOS_3X_NO_V1") else ""
REAL_AUTH = bool(os.environ.get("NACOS_USERNAME"))
RECORDED_TOKEN_TTL = 60

# Differences left on purpose: case -> ({aspects allowed to differ}, reason). Keep docs/embedded-server.md in step.
_PARAM_CHECKER_CT = "2.3.2's ParamCheckerFilter writes its 400 through the response of whichever controller " \
                    "would have answered (config: application/json, naming: none); the embedded server " \
                    "answers text/plain. Clients never read the Content-Type of an error."
_NAMING_SPRING_CT = "Spring's error JSON is application/json on the naming paths of 2.3.2 and " \
                    "application/json;charset=UTF-8 on the config paths; the embedded server always adds the charset."
ALLOWED = {
    "config-get-bad-dataid": ({"header:Content-Type"}, _PARAM_CHECKER_CT),
    "config-get-bad-tenant": ({"header:Content-Type"}, _PARAM_CHECKER_CT),
    "config-publish-bad-dataid": ({"header:Content-Type"}, _PARAM_CHECKER_CT),
    "register-bad-cluster-space": ({"header:Content-Type"}, _PARAM_CHECKER_CT),
    "register-bad-metadata": ({"header:Content-Type"}, _NAMING_SPRING_CT),
    "auth-beat-no-token": ({"header:Content-Type"}, _NAMING_SPRING_CT),
    "auth-list-bad-token": ({"header:Content-Type"}, _NAMING_SPRING_CT),
    "auth-list-no-token": ({"header:Content-Type"}, _NAMING_SPRING_CT),
    "auth-register-no-token": ({"header:Content-Type"}, _NAMING_SPRING_CT),
}


@pytest.fixture(scope="module")
def embedded_answers():
    answers = {}
    with NacosServer() as srv:
        answers["noauth"] = replay.run_cases(srv.url + "/nacos")
    with NacosServer(auth_enabled=True, token_ttl=RECORDED_TOKEN_TTL) as srv:
        answers["auth"] = replay.run_cases(srv.url + "/nacos", auth=True)
    return answers


@pytest.fixture(scope="module")
def recorded():
    return replay.load_recording()


def _check(name, expected, actual, against):
    allowed, _reason = ALLOWED.get(name, (set(), None))
    differences = replay.diff(expected, actual, allowed)
    assert differences == [], "%s differs from %s in %s:\n  %s: %r\n  embedded: %r" % (
        name, against, differences, against, expected, actual)


def test_the_recording_covers_every_case(recorded):
    assert sorted(recorded["noauth"]) == sorted(c["name"] for c in CASES_NOAUTH)
    assert sorted(recorded["auth"]) == sorted(c["name"] for c in CASES_AUTH)
    assert "2.3.2" in recorded["server"]


def test_every_allowed_difference_is_still_needed(recorded, embedded_answers):
    """An allow-list entry whose difference disappeared must be removed (it would hide a regression)."""
    for name, (allowed, reason) in sorted(ALLOWED.items()):
        section = "auth" if name in recorded["auth"] else "noauth"
        assert reason
        full = replay.diff(recorded[section][name], embedded_answers[section][name])
        assert set(full) & allowed, "%s: allowed %s no longer differs" % (name, sorted(allowed))


@pytest.mark.parametrize("name", [c["name"] for c in CASES_NOAUTH])
def test_embedded_matches_the_recording_auth_off(name, recorded, embedded_answers):
    _check(name, recorded["noauth"][name], embedded_answers["noauth"][name], "recorded 2.x")


@pytest.mark.parametrize("name", [c["name"] for c in CASES_AUTH])
def test_embedded_matches_the_recording_auth_on(name, recorded, embedded_answers):
    _check(name, recorded["auth"][name], embedded_answers["auth"][name], "recorded 2.x")


@pytest.fixture(scope="module")
def live_answers():
    if not REAL:
        pytest.skip("live replay needs NACOS_SERVER_ADDR")
    base = (REAL if "://" in REAL else "http://" + REAL) + "/nacos"
    return replay.run_cases(base, auth=REAL_AUTH, settle=replay.SETTLE)


LIVE_CASES = [c["name"] for c in (CASES_AUTH if REAL_AUTH else CASES_NOAUTH)] if REAL else []


@pytest.mark.parametrize("name", LIVE_CASES)
def test_live_server_matches_the_embedded_server(name, live_answers, embedded_answers):
    section = "auth" if REAL_AUTH else "noauth"
    expected = live_answers[name]
    if name in ("auth-login", "auth-login-users-path") and expected["status"] == 200:
        expected = dict(expected, body={"json": dict(expected["body"]["json"], tokenTtl=RECORDED_TOKEN_TTL)})
    _check(name, expected, embedded_answers[section][name], "live server")
