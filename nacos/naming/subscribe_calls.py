"""``subscribe`` / ``unsubscribe`` / ``stop_subscribe`` of :class:`~nacos.NacosClient`, in both forms.

Legacy form (nacos-sdk-python)::

    client.subscribe(listener_fn, listener_interval=7, *args, **kwargs)

``listener_fn`` is a :class:`~nacos.listener.SubscribeListener` (or a list of them, or a plain
``fn(event, instance)``), called once per changed instance with ``"ADDED"``/``"MODIFIED"``/``"DELETED"`` and a
:class:`~nacos.naming.events.SubscribedLocalInstance`. The service comes from ``kwargs["service_name"]`` or
``args[0]``; ``args``/``kwargs`` are ``list_naming_instance``'s (clusters, namespace_id, group_name,
healthy_only). ``listener_interval`` is the polling interval in seconds.

Service form, positional or keyword::

    client.subscribe(service_name, listener_fn, cluster_name=None, group_name=None)
    client.subscribe(service_name="user-service", listener_fn=handler, cluster_name="production")

``listener_fn(event)`` is called once per change with the service dict (``name``, ``groupName``,
``clusters``, ``hosts``, ... plus ``added``/``modified``/``removed``). It is the service form when the first
argument is a string, when ``cluster_name`` is given, or when a plain function comes with a ``service_name``
keyword and nothing only the legacy form has (``listener_interval``, more positional arguments,
``clusters``, ``namespace_id``, ``healthy_only``, a SubscribeListener or a list).

Both return after the first answer has been delivered (or the client's ``default_timeout`` + 2 s).
"""
from __future__ import absolute_import

from .. import params as P
from ..compat import string_types
from ..exception import NacosHTTPError, NacosInvalidParam
from .events import InstanceListener, ServiceListener
from .subscribe import SubscriptionManager



def _legacy_list_args(service_name=None, clusters=None, namespace_id=None, group_name=None, healthy_only=False):
    return service_name, clusters, namespace_id, group_name, healthy_only


def _is_listener(obj):
    return hasattr(obj, "launch") and hasattr(obj, "listener_name")


_LEGACY_ONLY = frozenset(["listener_interval", "clusters", "namespace_id", "healthy_only"])


def _service_form(args, kwargs):
    """Is this ``subscribe(service_name, listener_fn, cluster_name=None, group_name=None)``?"""
    if args and isinstance(args[0], string_types):
        return True
    if "cluster_name" in kwargs:
        return True
    fn = args[0] if args else kwargs.get("listener_fn")
    return ("service_name" in kwargs and len(args) <= 1 and not _LEGACY_ONLY.intersection(kwargs)
            and callable(fn) and not _is_listener(fn))


class SubscribeCalls(object):
    """Subscription methods of the naming service. Relies on ``_runtime``, ``_naming_api``, ``_options``,
    ``_servers``, ``namespace`` and ``_naming_disk``."""

    def _subscriptions(self, create=True):
        if not create:
            return self._runtime.get(SubscriptionManager)
        return self._runtime.part(SubscriptionManager, lambda: SubscriptionManager(
            self._runtime, self._naming_api, self._servers, self._naming_disk()))

    def subscribe(self, *args, **kwargs):
        """Watch a service's instances (``GET /v1/ns/instance/list`` polls plus UDP pushes); see the module
        docstring for the two forms. A failing poll never ends a subscription."""
        self._naming_fork_check()
        if _service_form(args, kwargs):
            if args and not isinstance(args[0], string_types):  # subscribe(fn, service_name=...)
                kwargs["listener_fn"], args = args[0], args[1:]
            return self._subscribe_service(*args, **kwargs)
        return self._subscribe_legacy(*args, **kwargs)

    def _subscribe_legacy(self, listener_fn, listener_interval=7, *args, **kwargs):
        listeners = list(listener_fn) if isinstance(listener_fn, (list, tuple)) else [listener_fn]
        if not listeners or not all(_is_listener(fn) or callable(fn) for fn in listeners):
            raise NacosInvalidParam("listener_fn", "must be a SubscribeListener, a list of them or a function")
        service_name, clusters, namespace_id, group_name, healthy_only = _legacy_list_args(*args, **kwargs)
        if service_name is None:
            raise NacosInvalidParam("service_name", "`service_name` is required in subscribe")
        interval = P.timeout(listener_interval, "listener_interval", allow_none=False)
        P.boolean(healthy_only, "healthy_only")
        target = self._subscription_target(service_name, clusters, group_name, namespace_id)
        for listener in listeners:
            self._add_subscription(target, InstanceListener(listener, target[2], healthy_only, interval))

    def _subscribe_service(self, service_name, listener_fn, cluster_name=None, group_name=None):
        if not callable(listener_fn) and not _is_listener(listener_fn):
            raise NacosInvalidParam("listener_fn", "must be callable, not %r" % (listener_fn,))
        target = self._subscription_target(service_name, cluster_name, group_name, None)
        if _is_listener(listener_fn):  # a SubscribeListener keeps its (event, instance) calls
            handle = InstanceListener(listener_fn, target[2])
        else:
            handle = ServiceListener(listener_fn)
        self._add_subscription(target, handle)

    def _subscription_target(self, service_name, clusters, group_name, namespace_id):
        service_name, group_name = P.service_and_group(service_name, group_name)
        clusters = P.clusters(clusters)
        namespace = self.namespace if namespace_id is None else P.namespace(namespace_id, "namespace_id")
        return namespace, group_name, service_name, clusters

    def _add_subscription(self, target, handle):
        namespace, group_name, service_name, clusters = target
        manager = self._subscriptions()
        error = manager.add(namespace, group_name, service_name, clusters, handle,
                            wait=float(self._options["default_timeout"]) + 2.0)
        if isinstance(error, NacosHTTPError) and error.status is not None and 400 <= error.status < 500:
            manager.remove(service_name, handle.listener if hasattr(handle, "listener") else handle.fn,
                           group_name)
            raise error

    def unsubscribe(self, service_name, listener_name=None, group_name=None, listener_fn=None):
        """Remove listeners of ``service_name``: the one named ``listener_name`` (legacy), the given listener
        object or function (``listener_fn``, or passed as ``listener_name``), or all of them (neither). A
        service without listeners is no longer polled. Returns how many listeners were removed."""
        grouped = isinstance(service_name, string_types) and "@@" in service_name
        service_name, group = P.service_and_group(service_name, group_name)
        if group_name is None and not grouped:
            group = None  # any group, as the legacy key was the bare name
        what = listener_fn if listener_fn is not None else listener_name
        manager = self._subscriptions(create=False)
        return manager.remove(service_name, what, group) if manager is not None else 0

    def stop_subscribe(self):
        """Remove every subscription and stop the subscription threads (they restart on the next
        ``subscribe``)."""
        manager = self._subscriptions(create=False)
        if manager is not None:
            manager.clear()
