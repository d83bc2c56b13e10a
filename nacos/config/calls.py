"""``client.config``: the config service of :class:`~nacos.NacosClient` (legacy signatures; the client's
methods of the same names delegate here).

Read order of ``get_config`` (as the Java client and the legacy client do it):

1. the failover file ``<failover_base>/<dataId>+<group>+<namespace>``, when present, without asking a server;
2. a server: 200 writes the snapshot and returns the content; the server's "config does not exist" (a 404
   saying so on v1, code 20004 on v3) deletes the snapshot and returns None;
3. when no server can give an answer (connection errors, timeouts, 5xx, 409, a 404 that is not the config
   API's), the snapshot file; with no snapshot the error is raised. A 403 or 400 is always raised.

Watchers (``add_config_watcher`` ...) live in the service's background part, a
:class:`~nacos.config.watcher.WatcherPool` that the client's runtime creates on first use.
"""
from __future__ import absolute_import

import json
import logging

from . import local
from .. import params as P
from ..compat import to_text
from ..exception import (NacosConflict, NacosException, NacosInvalidParam, NacosNotFound, NacosRequestException,
                         NacosServerError)
from ..legacy import WatcherWrap
from .api import ConfigAPI, md5_hex  # noqa: F401 - md5_hex re-exported for callers
from .watcher import WatcherPool

logger = logging.getLogger(__name__)

#: errors after which get_config falls back to the snapshot (a 404 reaching here is not the server's "config
#: does not exist" - ConfigAPI.get returns None for that - but a wrong path or a proxy answering)
FALLBACK_ERRORS = (NacosRequestException, NacosServerError, NacosConflict, NacosNotFound)


_FROM_FAILOVER = (("source", "failover"),)
_FROM_SERVER = (("source", "server"),)
_FROM_SNAPSHOT = (("source", "snapshot"),)
_NOT_FOUND = (("source", "not_found"),)


class ConfigService(object):
    """Config calls and watchers of one client (``client.config``).

    :param runtime: the client's :class:`~nacos.runtime.Runtime` (threads, parts, options).
    :param transport: the client's transport. :param namespace: the client's namespace.
    """

    def __init__(self, runtime, transport, namespace):
        self._runtime = runtime
        self._transport = transport
        self._metrics = transport.metrics
        self._options = runtime.options
        self.namespace = namespace
        self._config_api = ConfigAPI(transport, namespace)

    # ------------------------------------------------------------------ reads
    def get_config(self, data_id, group, timeout=None, no_snapshot=None):
        """Content of a config (``GET /v1/cs/configs``; ``GET /v3/client/cs/config`` on a server without the v1
        API) as text, or None when it does not exist.

        Failover file first, then the server, then the snapshot (see the module docstring). Raises
        :class:`~nacos.exception.NacosRequestException` (or a subclass) when no server answers and there is
        no snapshot - never a silent None.
        """
        data_id = P.data_id(data_id)
        group = P.group(group)
        timeout = P.timeout(timeout)
        key = local.key(data_id, group, self.namespace)
        content = local.read_text(self._options["failover_base"], key)
        if content is not None:
            logger.debug("get_config %s: served from the failover file", key)
            self._metrics.inc("nacos_config_get_total", _FROM_FAILOVER)
            return content
        snapshot_base = local.snapshot_base(self._options, no_snapshot)
        try:
            content = self._config_api.get(data_id, group, timeout=timeout)
        except FALLBACK_ERRORS as exc:
            content = local.read_text(snapshot_base, key)
            if content is None:
                raise
            logger.warning("get_config %s: server failed (%s); serving the snapshot", key, exc)
            self._metrics.inc("nacos_config_get_total", _FROM_SNAPSHOT)
            return content
        if content is None:
            local.delete(self._options["snapshot_base"], key)
            self._metrics.inc("nacos_config_get_total", _NOT_FOUND)
            return None
        local.save(snapshot_base, key, content)
        self._metrics.inc("nacos_config_get_total", _FROM_SERVER)
        return content

    def get_configs(self, timeout=None, no_snapshot=None, group="", page_no=1, page_size=1000):
        """One page of the configs of the namespace (``GET /v1/cs/configs?search=accurate``; on Nacos 3.x
        ``GET /v3/admin/cs/config/list`` and a detail read per item), optionally of
        one group: ``{"totalCount", "pageNumber", "pagesAvailable", "pageItems": [...]}``.

        The same file rules as get_config apply; the page is kept as ``+<group>+<namespace>`` (legacy
        ``++<namespace>`` without a group; pages other than the default first one get ``+<no>-<size>``) and
        each item as its own ``dataId+group+namespace`` snapshot. During an outage without such a snapshot,
        the legacy client's ``++<namespace>`` (it used that name for every group and page) is served.
        """
        timeout = P.timeout(timeout)
        group = P.group(group) if group else ""
        page_no = P.positive_int(page_no, "page_no")
        page_size = P.positive_int(page_size, "page_size")
        key = local.page_key(group, self.namespace, page_no, page_size)
        content = local.read_text(self._options["failover_base"], key)
        if content is not None:
            try:
                return json.loads(content)
            except ValueError:
                logger.error("failover file %s is not JSON; ignoring it", key)
        snapshot_base = local.snapshot_base(self._options, no_snapshot)
        try:
            page = self._config_api.search(group=group, page_no=page_no, page_size=page_size, timeout=timeout)
        except FALLBACK_ERRORS as exc:
            content = local.read_text(snapshot_base, key)
            if content is None and key != local.page_key("", self.namespace):  # a legacy client's snapshot
                content = local.read_text(snapshot_base, local.page_key("", self.namespace))
            try:
                page = json.loads(content) if content is not None else None
            except ValueError:
                logger.error("snapshot %s is not JSON; ignoring it", key)
                page = None
            if page is None:
                raise
            logger.warning("get_configs: server failed (%s); serving the snapshot", exc)
            return page
        if snapshot_base:
            local.save(snapshot_base, key, json.dumps(page, sort_keys=True))
            for item in page.get("pageItems") or []:
                if item.get("dataId") and item.get("group") and item.get("content") is not None:
                    local.save(snapshot_base, local.key(item["dataId"], item["group"], self.namespace),
                               item["content"])
        return page

    def publish_config(self, data_id, group, content, app_name=None, config_type=None, timeout=None, tag=None,
                       cas_md5=None):
        """Create or update a config (``POST /v1/cs/configs``; ``POST /v3/admin/cs/config`` on a server without
        the v1 API); True on success.

        ``content`` may be text or UTF-8 bytes; None raises. ``cas_md5`` publishes only if the server's md5
        still equals it (Nacos 2.x), raising :class:`~nacos.exception.NacosServerError` otherwise.
        """
        data_id = P.data_id(data_id)
        group = P.group(group)
        content = P.content(content)
        timeout = P.timeout(timeout)
        tag = P.tag(tag)
        return self._config_api.publish(data_id, group, content, app_name=app_name, config_type=config_type,
                                        timeout=timeout, tag=tag, cas_md5=cas_md5)

    def remove_config(self, data_id, group, timeout=None):
        """Delete a config (``DELETE /v1/cs/configs``; ``DELETE /v3/admin/cs/config`` on a server without the v1
        API); True on success (also when it did not exist)."""
        data_id = P.data_id(data_id)
        group = P.group(group)
        timeout = P.timeout(timeout)
        return self._config_api.remove(data_id, group, timeout=timeout)

    # ------------------------------------------------------------------ watchers
    def _config_watchers(self, create=True):
        """The watcher pool (None when ``create`` is False and it does not exist)."""
        if not create:
            return self._runtime.get(WatcherPool)
        return self._runtime.part(WatcherPool, lambda: WatcherPool(self._runtime, self._transport,
                                                                   self._config_api, self.namespace))

    def add_config_watcher(self, data_id, group, cb, content=None):
        """Call ``cb(params)`` whenever the config changes: long polling ``POST /v1/cs/configs/listener``, or on
        a server without the v1 API (no listener there) md5 polling, see docs/config.md.

        ``params`` is ``{"data_id", "group", "namespace", "raw_content", "content"}``; ``content`` is None
        when the config was deleted. Without ``content`` the callback is called once soon after, when the
        config exists; with ``content`` (what the caller already has) only when the server's differs.
        """
        self.add_config_watchers(data_id, group, [cb], content)

    def add_config_watchers(self, data_id, group, cb_list, content=None):
        """:meth:`add_config_watcher` for several callbacks; an empty list raises NacosException."""
        if not cb_list:
            raise NacosException("A callback function is needed.")
        data_id = P.data_id(data_id)
        group = P.group(group)
        for cb in cb_list:
            if not callable(cb):
                raise NacosInvalidParam("cb", "callbacks must be callable, not %r" % (cb,), cb)
        if content is not None:
            content = to_text(content)
        self._config_watchers().add(data_id, group, list(cb_list), content)

    @property
    def notify_queue(self):
        """Legacy hook: ``notify_queue.put((cache_key, content, md5))`` notifies the watchers of
        ``cache_key`` (``dataId+group+namespace``) as a server change would; a watcher already called with
        that md5 is not called again."""
        return _NotifyQueue(self)

    @property
    def watcher_mapping(self):
        """Legacy: ``{cache_key: [WatcherWrap(cache_key, callback, last_md5), ...]}`` (a snapshot)."""
        pool = self._config_watchers(create=False)
        mapping = pool.watcher_mapping() if pool is not None else {}
        return dict((k, [WatcherWrap(k, cb, md5) for cb, md5 in v]) for k, v in mapping.items())

    def remove_config_watcher(self, data_id, group, cb, remove_all=False):
        """Remove the first watcher of the config whose callback equals ``cb`` (every such watcher with
        ``remove_all``). A config left without watchers is no longer polled; adding one later works."""
        if not cb:
            raise NacosException("A callback function is needed.")
        data_id = P.data_id(data_id)
        group = P.group(group)
        self._config_watchers().remove(data_id, group, cb, remove_all)


class _NotifyQueue(object):
    """What legacy code puts into ``client.notify_queue``."""

    def __init__(self, service):
        self._service = service

    def put(self, item, block=True, timeout=None):
        cache_key, content, md5 = item
        data_id, group, namespace = P.parse_key(cache_key)
        if namespace != self._service.namespace:
            logger.warning("no watcher on %s, ignored", cache_key)
            return
        self._service._config_watchers().inject(data_id, group, content, md5)

    put_nowait = put
