"""Which HTTP API dialect each server speaks, per API family.

Nacos 1.x/2.x (and 3.0/3.1 by default) serve the v1 OpenAPI; Nacos 3.2+ without the legacy adapter, and 3.0/3.1
started with ``nacos.core.api.compatibility.client.enabled=false``, answer every v1 call with HTTP 410 and a body
carrying ``"code":40000`` that names the v3 replacement. The client keeps v1 wherever a server serves it (it has
the long-poll listener and UDP push) and uses the v3 client/admin APIs where v1 is gone.

A decision is kept per ``(server, family)``:

=================  ==========================================================================================
family             v1 endpoints (what 3.0/3.1 switch off together)
=================  ==========================================================================================
``config``         ``/v1/cs/configs`` get/publish/delete, ``/v1/cs/configs/listener``   (client compatibility)
``config-admin``   ``/v1/cs/configs?search=``                                          (console compatibility)
``naming``         ``/v1/ns/instance`` register/deregister, beat, list, operator metrics (client compatibility)
``naming-admin``   ``/v1/ns/instance`` detail/modify, ``/v1/ns/service*``               (admin compatibility)
``auth``           ``/v1/auth/login``                                                  (client compatibility)
=================  ==========================================================================================

With ``api_version="auto"`` (the default) a server starts as v1; a 410 that names a v3 replacement (or says code
40000) switches that server's family to v3, logged once at INFO. The decision expires after ``recheck`` seconds
(an operator may install the legacy adapter or roll back), after which the next call tries v1 again. ``"v1"`` and
``"v3"`` force one dialect and never switch.
"""
from __future__ import absolute_import

import logging

from .compat import monotonic
from .exception import NacosForbidden, NacosNotFound, NacosResponseError
from .forksafe import ForkSafeLock

logger = logging.getLogger(__name__)

V1 = "v1"
V3 = "v3"
AUTO = "auto"
MODES = (AUTO, V1, V3)
FAMILIES = ("config", "config-admin", "naming", "naming-admin", "auth")
DEFAULT_RECHECK = 600.0


def names_v3_replacement(body):
    """Does a 410 answer say "this v1 API is deprecated, use the v3 one" (Nacos 3.x: ``code 40000``, "Current API
    will be deprecated", naming the replacement)?"""
    text = body or ""
    return "40000" in text or "/v3/" in text or "deprecated" in text.lower()


class Dialects(object):
    """The per-server, per-family dialect decisions of one client.

    :param mode: ``"auto"``, ``"v1"`` or ``"v3"`` (the ``api_version`` option).
    :param recheck: seconds after which an automatic v3 decision is tried again with v1.
    """

    def __init__(self, mode=AUTO, recheck=DEFAULT_RECHECK):
        self.mode = mode
        self.recheck = float(recheck)
        self._lock = ForkSafeLock("api dialects")
        self._decided = {}  # (server_url, family) -> (dialect, monotonic time decided)

    def choose(self, server_url, family):
        """The dialect to send a ``family`` request to ``server_url`` in."""
        if self.mode != AUTO:
            return self.mode
        entry = self._decided.get((server_url, family))
        if entry is None:
            return V1
        dialect, since = entry
        if dialect == V3 and monotonic() - since > self.recheck:
            return V1  # time to see whether v1 is back (the decision is replaced by the answer)
        return dialect

    def learn(self, server_url, family, dialect, evidence=""):
        """Record what ``server_url`` answered for ``family``; logs at INFO when the decision changes."""
        if self.mode != AUTO:
            return
        key = (server_url, family)
        with self._lock:
            previous = self._decided.get(key)
            self._decided[key] = (dialect, monotonic())
        if previous is None and dialect == V1:
            return  # v1 is the starting assumption: nothing to say
        if previous is None or previous[0] != dialect:
            if dialect == V3:
                logger.info("nacos %s no longer serves the v1 %s API (%s): using the v3 API; asking again in %ds",
                            server_url, family, evidence or "HTTP 410", int(self.recheck))
            else:
                logger.info("nacos %s serves the v1 %s API again: using it", server_url, family)
        else:
            logger.debug("nacos %s: %s still %s", server_url, family, dialect)

    def confirm_v1(self, server_url, family):
        """A v1 answer that was not a 410: forget an expired v3 decision (v1 is back)."""
        entry = self._decided.get((server_url, family)) if self.mode == AUTO else None
        if entry is not None and entry[0] == V3:
            self.learn(server_url, family, V1)

    def snapshot(self):
        """``{server_url: {family: "v1" | "v3"}}`` for every decision made from a server's answers (and, with
        a forced ``api_version``, nothing: every family is that version)."""
        with self._lock:
            items = list(self._decided.items())
        out = {}
        for (server, family), (dialect, _) in items:
            out.setdefault(server, {})[family] = dialect
        return out


# ------------------------------------------------------------------------------------- the v3 answer envelope
#: codes of the v3 envelope ``{"code", "message", "data"}`` that the SDK acts on
CODE_OK = 0
CODE_NOT_FOUND = 20004           # a config that does not exist
CODE_INSTANCE_NOT_FOUND = 21003  # a heartbeat for an instance the server does not know


def envelope(resp):
    """``(code, data)`` of a v3 answer; :class:`NacosResponseError` when it is not an envelope."""
    body = resp.json()
    if not isinstance(body, dict) or "code" not in body:
        raise NacosResponseError("v3 answer has no {code, message, data} envelope", status=resp.status,
                                 method=resp.method, url=resp.url, server_message=resp.text[:200])
    return body.get("code"), body.get("data")


def data_of(resp, expect=None):
    """The ``data`` of a successful (code 0) v3 answer, checked to be of type ``expect`` when given; any other
    code raises: 20004/21003 as :class:`NacosNotFound`, 10001 (access denied) as :class:`NacosForbidden`, the
    rest as :class:`NacosResponseError`, each with the server's message."""
    code, data = envelope(resp)
    if code == CODE_OK:
        if expect is not None and not isinstance(data, expect):
            raise NacosResponseError("v3 answer data is not a %s" % getattr(expect, "__name__", expect),
                                     status=resp.status, method=resp.method, url=resp.url,
                                     server_message=resp.text[:200])
        return data
    cls = {CODE_NOT_FOUND: NacosNotFound, CODE_INSTANCE_NOT_FOUND: NacosNotFound,
           10001: NacosForbidden}.get(code, NacosResponseError)
    raise cls("Nacos answered code %s" % code, status=resp.status, method=resp.method, url=resp.url,
              server_message=resp.text[:300])
