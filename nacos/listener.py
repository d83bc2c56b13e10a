"""Subscription listeners (legacy module ``nacos.listener``)."""
from __future__ import absolute_import

import logging
import threading

logger = logging.getLogger(__name__)


class Event(object):
    ADDED = "ADDED"
    MODIFIED = "MODIFIED"
    DELETED = "DELETED"


class AbstractListener(object):
    def __init__(self, listener_name):
        self._listener_name = listener_name

    @property
    def listener_name(self):
        return self._listener_name

    def launch(self, *args, **kwargs):
        raise NotImplementedError("launch() is implemented by subclasses")


class SubscribeListener(AbstractListener):
    """Wraps ``fn(event, instance)``; ``launch(event, instance)`` calls it."""

    def __init__(self, fn, listener_name):
        super(SubscribeListener, self).__init__(listener_name)
        self._fn = fn

    def launch(self, event, *args, **kwargs):
        return self._fn(event, *args, **kwargs)

    def __repr__(self):
        return "SubscribeListener(%r)" % (self._listener_name,)


class AbstractListenerManager(object):
    @property
    def manager_context(self):
        """The listeners by name (legacy: the container itself; here a copy)."""
        return self.all_listeners()

    def merge_listeners(self, other_manager):
        raise NotImplementedError

    def all_listeners(self):
        raise NotImplementedError

    def add_listener(self, listener):
        raise NotImplementedError

    def remove_listener(self, listener_name):
        raise NotImplementedError

    def empty_listeners(self):
        raise NotImplementedError

    def do_launch(self, *args, **kwargs):
        raise NotImplementedError


class SimpleListenerManager(AbstractListenerManager):
    """Listeners keyed by ``listener_name`` (a later listener with the same name replaces the earlier)."""

    def __init__(self):
        self._lock = threading.RLock()
        self._listener_container = {}

    def merge_listeners(self, other_manager):
        if other_manager is None:
            return self
        for listener in list(other_manager.manager_context.values()):
            self.add_listener(listener)
        return self

    def all_listeners(self):
        with self._lock:
            return dict(self._listener_container)

    def add_listener(self, listener):
        with self._lock:
            self._listener_container[listener.listener_name] = listener
        return self

    def add_listeners(self, *listeners):
        for listener in listeners:
            self.add_listener(listener)
        return self

    def remove_listener(self, listener_name):
        with self._lock:
            self._listener_container.pop(listener_name, None)
        return self

    def empty_listeners(self):
        with self._lock:
            self._listener_container.clear()
        return self

    def is_empty(self):
        with self._lock:
            return not self._listener_container

    def do_launch(self, *args, **kwargs):
        """Call every listener; one that raises is logged and the others still run."""
        for listener in list(self.all_listeners().values()):
            try:
                listener.launch(*args, **kwargs)
            except Exception:  # noqa: BLE001 - a user bug must not stop the others
                logger.exception("listener %r raised", listener.listener_name)
