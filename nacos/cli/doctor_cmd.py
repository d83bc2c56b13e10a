"""``nacos doctor``: what is wrong with a setup, per configured server, each finding with its fix in one line.

Probes with plain HTTP (requests) what the client API does not expose (server state, version, mode), and with one
:class:`nacos.NacosClient` per server what a client sees (API dialect, login, a config read, a service's instances).
"""
from __future__ import absolute_import

import time

from . import connect, output
from .codes import FAILED, OK, UNREACHABLE
from .progress import Progress

PROBE_DATA_ID = "nacos-doctor-probe"
MAX_SKEW = 2.0  # seconds; the Date header has 1 s resolution


def add_parser(subparsers):
    text = "check each configured server: reachable, latency, TLS, version and mode, API dialect, auth"
    parser = subparsers.add_parser("doctor", help=text, description=text + "; with --service, its instances")
    connect.add_arguments(parser)
    parser.add_argument("--service", metavar="NAME", help="also explain missing or unhealthy instances of it")
    parser.add_argument("--group", "-g", default="DEFAULT_GROUP", help="group of --service (default DEFAULT_GROUP)")
    parser.add_argument("--json", action="store_true", help="JSON output for scripts")
    parser.set_defaults(func=doctor, no_client=True)


class Findings(object):
    def __init__(self, server):
        self.server, self.items = server, []

    def add(self, check, result, finding, fix=""):
        self.items.append({"server": self.server, "check": check, "result": result, "finding": finding,
                           "fix": fix})

    def failed(self):
        return any(item["result"] == "fail" for item in self.items)


def _get(session, url, settings):
    started = time.time()
    resp = session.get(url, timeout=settings["default_timeout"], verify=settings["tls_verify"])
    ended = time.time()
    resp.local_time = (started + ended) / 2.0  # our best guess of when the server stamped its Date
    return resp, (ended - started) * 1000.0


def _clock(found, resp):
    """Compare the server's ``Date`` header with the local clock."""
    from email.utils import mktime_tz, parsedate_tz
    stamp = parsedate_tz(resp.headers.get("Date") or "")
    if stamp is None:
        found.add("clock", "warn", "the server sent no Date header; clock skew unknown",
                  "compare the clocks by hand (date -u on both machines)")
        return
    skew = mktime_tz(stamp) + 0.5 - resp.local_time  # the header drops the fraction of its second
    if abs(skew) <= MAX_SKEW:
        found.add("clock", "ok", "skew %+.1f s" % skew)
    else:
        found.add("clock", "warn", "server clock is %.0f s %s this machine's (tokens and AK/SK signatures "
                  "are time-stamped)" % (abs(skew), "ahead of" if skew > 0 else "behind"),
                  "sync both clocks with NTP (e.g. timedatectl set-ntp true, or chronyd)")


def _state(resp):
    try:
        body = resp.json()
    except ValueError:
        return None
    body = body.get("data", body) if isinstance(body, dict) else None
    return body if isinstance(body, dict) and body.get("version") else None


def _reach(found, session, base, settings):
    """The server state map, or None after saying why there is none."""
    import requests
    try:
        resp, ms = _get(session, base + "/v3/admin/core/state", settings)
    except requests.exceptions.SSLError as exc:
        found.add("tls", "fail", "certificate not trusted: %s" % (str(exc)[:160],),
                  "pass --tls-verify CA_FILE (the CA that signed the server certificate) or fix the certificate")
        return None
    except requests.exceptions.RequestException as exc:
        found.add("reachable", "fail", "no answer: %s" % (type(exc).__name__,),
                  "start Nacos, or fix --server / NACOS_SERVER (host:port, 8848 by default)")
        return None
    found.add("reachable", "ok", "%.0f ms" % ms)
    _clock(found, resp)
    if base.startswith("https://"):
        found.add("tls", "ok" if settings["tls_verify"] else "warn",
                  "certificate verified" if settings["tls_verify"] else "not verified (--tls-verify no)",
                  "" if settings["tls_verify"] else "pass --tls-verify CA_FILE instead of turning verification off")
    state = _state(resp) if resp.status_code == 200 else None
    if state is None:
        resp, _ = _get(session, base + "/v1/console/server/state", settings)
        state = _state(resp) if resp.status_code == 200 else None
    return state


def _context_path(found, session, server, settings):
    for other in ("/nacos", "") if settings["context_path"] not in ("/nacos", "") else \
            (("",) if settings["context_path"] == "/nacos" else ("/nacos",)):
        try:
            resp, _ = _get(session, server + other + "/v3/admin/core/state", settings)
        except Exception:
            continue
        if _state(resp) is not None:
            found.add("context path", "fail", "no Nacos API under %r, but there is under %r"
                      % (settings["context_path"], other), "use --context-path '%s'" % (other,))
            return
    found.add("context path", "fail", "no Nacos state API under %r (HTTP answers, but not Nacos?)"
              % (settings["context_path"],), "check --server and --context-path (Nacos default /nacos)")


def _describe(found, state, settings):
    mode = state.get("startup_mode") or state.get("standalone_mode") or "?"
    found.add("version", "ok", "Nacos %s, %s" % (state.get("version"), mode))
    auth = str(state.get("auth_enabled", "")).lower() == "true"
    if auth and not settings["username"]:
        found.add("auth", "fail", "auth is on and no user is given",
                  "set --username (or NACOS_USERNAME) and NACOS_PASSWORD")
    else:
        found.add("auth", "ok", "on" if auth else "off")
    return auth


def _client_checks(found, server_settings, args, auth):
    import nacos
    from ..exception import NacosException, NacosForbidden
    client = nacos.NacosClient(**server_settings)
    try:
        try:
            client.get_config(PROBE_DATA_ID, "DEFAULT_GROUP")
        except NacosForbidden as exc:
            found.add("credentials", "fail", "refused: %s" % (exc.server_message or exc.status,),
                      "check the user and NACOS_PASSWORD (a user needs read access to the namespace)")
            return
        except NacosException as exc:
            login = "login failed" in str(exc)
            found.add("credentials" if login else "config read", "fail", str(exc)[:200],
                      "check the user and NACOS_PASSWORD" if login else "see the server log")
            return
        if auth and server_settings["username"]:
            found.add("credentials", "ok", "user %r logged in" % (server_settings["username"],))
        dialect = client.api_dialect("config")
        found.add("api", "ok" if dialect == "v1" else "warn",
                  "serves v1" if dialect == "v1" else "v1 gone (HTTP 410): the client uses the v3 API",
                  "" if dialect == "v1" else "nothing needed; config watchers poll md5 every second "
                                             "(install the legacy adapter for long polling)")
        if args.service:
            _service(found, client, args)
    finally:
        client.stop()


def _service(found, client, args):
    hosts = client.list_naming_instance(args.service, group_name=args.group).get("hosts") or []
    what = "service %s (group %s)" % (args.service, args.group)
    if not hosts:
        found.add("service", "fail", "%s has no instances in namespace '%s'" % (what, client.namespace or "public"),
                  "check the app registers with this namespace, group and service name, and that it started")
        return
    bad = 0
    for host in hosts:
        where = "%s:%s" % (host.get("ip"), host.get("port"))
        if not host.get("enabled", True):
            bad += 1
            found.add("service", "warn", "%s is disabled (enabled=false)" % where,
                      "enable it in the console (or modify_naming_instance(..., enable=True))")
        elif not host.get("healthy"):
            bad += 1
            found.add("service", "fail", "%s is unhealthy: no heartbeat within its timeout" % where,
                      "check the app is running and its heartbeats reach this server (firewall, clock, "
                      "managed_heartbeat)")
        elif not float(host.get("weight") or 0):
            bad += 1
            found.add("service", "warn", "%s has weight 0 and gets no traffic" % where, "give it a weight > 0")
    found.add("service", "ok" if not bad else "warn", "%s: %d instances, %d healthy and serving"
              % (what, len(hosts), len(hosts) - bad))


def _check(found, session, server, settings, args):
    """Every check of one server; 1 when it was reached, else 0."""
    state = _reach(found, session, server.url + settings["context_path"], settings)
    if found.items[0]["result"] != "ok":  # not reachable, or TLS not trusted
        return 0
    if state is None:
        _context_path(found, session, server.url, settings)
        return 1
    auth = _describe(found, state, settings)
    _client_checks(found, dict(settings, server_addresses=server.url), args, auth)
    return 1


def doctor(args):
    import requests
    from ..servers import parse_addresses
    settings = connect.settings(args)
    everyone, reached = [], 0
    session = requests.Session()
    session.trust_env = False
    servers = parse_addresses(settings["server_addresses"])
    with Progress(args) as progress:
        for number, server in enumerate(servers):
            progress.update(u"checking %s (%d/%d)" % (server.url, number + 1, len(servers)))
            found = Findings(server.url)
            everyone.append(found)
            reached += _check(found, session, server, settings, args)
    items = [item for found in everyone for item in found.items]
    if args.json:
        output.emit_json(items)
    else:
        output.table(["SERVER", "CHECK", "RESULT", "FINDING", "FIX"],
                     [[i["server"], i["check"], i["result"], i["finding"], i["fix"]] for i in items])
    if not reached:
        return UNREACHABLE
    return FAILED if any(found.failed() for found in everyone) else OK
