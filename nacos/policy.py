"""Retry and timeout policies, chosen per call (urllib3's ``Retry`` and ``Timeout`` in spirit).

Every request goes through :meth:`nacos.transport.Transport.request`, which tries the servers in turn. *How*
it retries is the mechanism; *whether* and *for how long* is the policy the caller passes:

* :class:`Retry` - may the request be repeated on another server after it may have run (``idempotent``)? how
  long may more passes over the server list go on (``window``; None: the client's ``retry_window`` option)?
  when must it stop trying (``interrupt``)? The named policies below are the rules of the endpoint table in
  docs/architecture.md.
* :class:`Timeout` - connect and read timeouts of each try (None: the client's ``default_timeout``) and a
  ``total`` for the whole call: no try starts after it and each try's timeouts end by it.

Policies are immutable; :meth:`Retry.new` and :meth:`Timeout.new` return changed copies, so one call's policy
never leaks into another's.
"""
from __future__ import absolute_import

from .compat import monotonic

__all__ = ["Retry", "Timeout", "READ", "WRITE", "NOT_IDEMPOTENT", "ONE_PASS", "beat_policy"]


class _Frozen(object):
    __slots__ = ()

    def __setattr__(self, name, value):
        raise AttributeError("%s is immutable; use new()" % type(self).__name__)

    def _set(self, **values):
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def new(self, **changes):
        """A copy with ``changes``."""
        values = dict((name, getattr(self, name)) for name in self.__slots__)
        values.update(changes)
        return type(self)(**values)

    def __eq__(self, other):
        return type(self) is type(other) and all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__,
                           ", ".join("%s=%r" % (n, getattr(self, n)) for n in self.__slots__))


class Retry(_Frozen):
    """What a call does when a server fails.

    :param idempotent: True: a failure after the request may have reached the server (read timeout, dropped
        connection, HTTP 500/502/503) moves on to the next server, and a stale keep-alive connection is retried
        once on the same server. False: such a failure is raised at once (the request may have taken effect).
        A failure before sending (refused, DNS, connect timeout, TLS) always moves on.
    :param window: seconds during which an idempotent call whose every server failed takes more passes over
        the servers (None: the client's ``retry_window`` option; 0: one pass).
    :param backoff: pause before the second pass, doubling per pass up to ``backoff_max`` seconds.
    :param interrupt: a callable checked before every try; when it returns True the call stops trying (a
        removed instance's beat).
    """

    __slots__ = ("idempotent", "window", "backoff", "backoff_max", "interrupt")

    def __init__(self, idempotent=True, window=None, backoff=0.2, backoff_max=2.0, interrupt=None):
        if window is not None and window < 0:
            raise ValueError("window must be >= 0 or None, not %r" % (window,))
        self._set(idempotent=bool(idempotent), window=window, backoff=float(backoff),
                  backoff_max=float(backoff_max), interrupt=interrupt)

    def window_for(self, default_window):
        """Seconds of further passes for this call: 0 unless idempotent; else ``window`` or the default."""
        if not self.idempotent:
            return 0.0
        return float(default_window if self.window is None else self.window)

    def pause(self, passes):
        """The pause before pass ``passes + 1`` (``passes`` >= 1)."""
        return min(self.backoff * (2 ** min(passes - 1, 10)), self.backoff_max)

    def interrupted(self):
        return self.interrupt is not None and bool(self.interrupt())


class Timeout(_Frozen):
    """How long a call may take.

    :param connect: seconds to connect to one server (None: the client's ``default_timeout``).
    :param read: seconds to wait for one server's answer (None: as ``connect``; long polls set it longer).
    :param total: seconds the whole call may take over every server and pass (None: no bound but the retry
        policy's). :param deadline: the same as an instant of :func:`nacos.compat.monotonic` (wins over total).
    """

    __slots__ = ("connect", "read", "total", "deadline")

    def __init__(self, connect=None, read=None, total=None, deadline=None):
        for name, value in (("connect", connect), ("read", read), ("total", total)):
            if value is not None and not value > 0:
                raise ValueError("%s must be a positive number of seconds or None, not %r" % (name, value))
        self._set(connect=connect, read=read, total=total, deadline=deadline)

    def resolve(self, default):
        """``(connect, read)`` seconds of one try, with ``default`` (the client's ``default_timeout``)."""
        connect = default if self.connect is None else self.connect
        return connect, connect if self.read is None else self.read

    def ends_at(self, now=None):
        """The monotonic instant the call ends by, or None."""
        if self.deadline is not None:
            return self.deadline
        if self.total is None:
            return None
        return (monotonic() if now is None else now) + self.total


#: reads, polls and idempotent writes: the next server, then more passes within the ``retry_window`` option
READ = Retry()
WRITE = READ  # publishing the same content again, deleting twice, register/deregister: same final state
#: requests a repeat could corrupt (a ``casMd5`` publish, creating a service): raised once they may have run
NOT_IDEMPOTENT = Retry(idempotent=False)
#: one pass over the servers, never the ``retry_window`` (an explicit call's own window of 0)
ONE_PASS = Retry(window=0)
#: the default timeouts
DEFAULT_TIMEOUT = Timeout()


def beat_policy(deadline, interrupt):
    """A heartbeat's policies: one pass over the servers, never past ``deadline`` (a monotonic instant: its
    interval, at most ``default_timeout``, from its start) nor past its instance's removal (``interrupt``)."""
    return ONE_PASS.new(interrupt=interrupt), Timeout(deadline=deadline)
