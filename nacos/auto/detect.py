"""What to register: the IP, the port the server really bound, and a default service name.

* IP: an explicit setting; else the address the server bound when it is a specific one (an app bound to
  127.0.0.1 is only reachable there); else, for 0.0.0.0/::, the address of the interface that routes toward
  the Nacos server (or, when that is loopback, toward the outside) -- a UDP ``connect``, no packet is sent.
* Port: reported by a server hook (werkzeug, wsgiref/Django runserver, uvicorn); in a gunicorn worker the
  arbiter's ``LISTENERS``; else (Linux) the one TCP port this process listens on, read from
  ``/proc/net/tcp{,6}`` matched against the socket inodes in ``/proc/self/fd``.
"""
from __future__ import absolute_import

import logging
import os
import re
import socket
import sys

logger = logging.getLogger(__name__)

WILDCARDS = ("", "0.0.0.0", "::", "0:0:0:0:0:0:0:0", "::0")
OUTSIDE = ("8.8.8.8", "2001:4860:4860::8888")
GENERIC_NAMES = ("app", "main", "wsgi", "asgi", "application", "server", "manage", "src", "site", "web")
_LISTEN = "0A"


def route_ip(target, port=80):
    """The local address the kernel would use to reach ``target`` (no packet is sent), or None."""
    family = socket.AF_INET6 if ":" in target else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    try:
        sock.connect((target, port))
        return sock.getsockname()[0]
    except (socket.error, OSError):
        return None
    finally:
        sock.close()


def _is_loopback(host):
    return host in ("localhost", "::1") or host.startswith("127.")


def outward_ip(nacos_servers=()):
    """The address of the interface that routes toward the first non-loopback Nacos server, else toward the
    outside (IPv4, then IPv6); ``127.0.0.1`` when there is no route at all."""
    from ..servers import parse_addresses
    targets = []
    for server in parse_addresses(",".join(nacos_servers)) if nacos_servers else []:
        if not _is_loopback(server.host):
            try:
                targets.append(socket.gethostbyname(server.host) if ":" not in server.host else server.host)
            except socket.error:
                pass
    for target in targets + list(OUTSIDE):
        ip = route_ip(target)
        if ip and not _is_loopback(ip):
            return ip
    return "127.0.0.1"


def choose_ip(explicit, bound_host, nacos_servers=()):
    if explicit:
        return explicit
    if bound_host and bound_host not in WILDCARDS:
        return bound_host
    return outward_ip(nacos_servers)


# ------------------------------------------------------------------------------------------------ ports
def _tcp(sockets):
    found = []
    for sock in sockets or []:
        try:
            address = sock.getsockname()
        except (socket.error, OSError, AttributeError):
            continue
        if isinstance(address, tuple):
            found.append((address[0], address[1]))
    return found


def gunicorn_listeners(frame=None):
    """``[(host, port)]`` of gunicorn's TCP listeners, when gunicorn runs this process: the ``sockets`` of
    the worker found on the calling stack (the app is loaded inside ``Worker.load_wsgi``), else the
    arbiter's ``LISTENERS``. Call it from the thread that loads the app."""
    workers = sys.modules.get("gunicorn.workers.base")
    arbiter = sys.modules.get("gunicorn.arbiter")
    if workers is None and arbiter is None:
        return []
    frame = frame or sys._getframe(1)
    while frame is not None:
        owner = frame.f_locals.get("self")
        if workers is not None and isinstance(owner, workers.Worker):
            return _tcp(owner.sockets)
        if arbiter is not None and isinstance(owner, arbiter.Arbiter) and owner.LISTENERS:
            return _tcp(owner.LISTENERS)
        frame = frame.f_back
    return _tcp(getattr(getattr(arbiter, "Arbiter", None), "LISTENERS", None))


def _socket_inodes():
    inodes = set()
    base = "/proc/self/fd"
    for name in os.listdir(base):
        try:
            target = os.readlink(os.path.join(base, name))
        except OSError:
            continue
        match = re.match(r"socket:\[(\d+)\]", target)
        if match:
            inodes.add(match.group(1))
    return inodes


def _decode_address(hex_ip, v6):
    raw = bytearray.fromhex(hex_ip)
    if not v6:
        return socket.inet_ntop(socket.AF_INET, bytes(raw[::-1]))
    words = b"".join(bytes(raw[i:i + 4][::-1]) for i in range(0, 16, 4))  # four host-order 32-bit words
    return socket.inet_ntop(socket.AF_INET6, words)


def proc_listening():
    """``[(host, port)]`` of the TCP sockets this process listens on (Linux ``/proc``; [] elsewhere)."""
    if not os.path.isdir("/proc/self/fd"):
        return []
    try:
        inodes = _socket_inodes()
    except OSError:
        return []
    found = []
    for table, v6 in (("/proc/net/tcp", False), ("/proc/net/tcp6", True)):
        try:
            with open(table) as fp:
                lines = fp.readlines()[1:]
        except (IOError, OSError):
            continue
        for line in lines:
            cols = line.split()
            if len(cols) > 9 and cols[3] == _LISTEN and cols[9] in inodes:
                hex_ip, hex_port = cols[1].split(":")
                found.append((_decode_address(hex_ip, v6), int(hex_port, 16)))
    return found


def child_pids(pid=None):
    """Pids of the direct children of ``pid`` (default: this process), from ``/proc`` ([] elsewhere)."""
    pid = os.getpid() if pid is None else pid
    found = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as fp:
                fields = fp.read().rsplit(")", 1)[1].split()
        except (IOError, OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return sorted(found)


def single_port(addresses):
    """``(host, port)`` when every address has the same port (IPv4 + IPv6 of one server), else None.
    With both a wildcard and a specific bind on that port, the wildcard wins."""
    ports = set(port for _, port in addresses)
    if len(ports) != 1:
        return None
    hosts = [host for host, _ in addresses]
    wild = [h for h in hosts if h in WILDCARDS]
    return (wild[0] if wild else hosts[0]), ports.pop()


# ------------------------------------------------------------------------------------------------- names
def normalise(name):
    """Lower case, runs of anything but a-z 0-9 become ``-`` (``My_App`` -> ``my-app``)."""
    return re.sub(r"[^a-z0-9]+", "-", (name or "").lower()).strip("-")


def service_name(hint_path=None, env=None, cwd=None):
    """The default service name: the Django settings package (``mysite.settings`` -> ``mysite``); else the
    directory of the launched app (``hint_path``), else of the working directory; normalised."""
    env = os.environ if env is None else env
    settings_module = env.get("DJANGO_SETTINGS_MODULE", "")
    candidates = [settings_module.split(".")[0]] if "." in settings_module else []
    if hint_path:
        base = os.path.abspath(hint_path)
        candidates.append(os.path.basename(base if os.path.isdir(base) else os.path.dirname(base)))
    candidates.append(os.path.basename(os.path.abspath(cwd or os.getcwd())))
    for candidate in candidates:
        name = normalise(candidate)
        if name and name not in GENERIC_NAMES:
            return name
    return normalise(candidates[-1]) or "python-app"


def is_asgi(app):
    """True for an ASGI app (its ``__call__`` is a coroutine function): FastAPI, Starlette, Django's ASGI
    handler, an ``async def app(scope, receive, send)``."""
    if sys.version_info[0] < 3 or app is None:
        return False
    import inspect
    call = app if inspect.isfunction(app) or inspect.ismethod(app) else getattr(type(app), "__call__", None)
    return inspect.iscoroutinefunction(call)
