"""The config half of :class:`~nacos.NacosClient` (legacy signatures), as a mixin.

Read order of ``get_config`` (as the Java client and the legacy client do it):

1. the failover file ``<failover_base>/<dataId>+<group>+<namespace>``, when present, without asking a server;
2. a server: 200 writes the snapshot and returns the content, 404 deletes the snapshot and returns None;
3. when no server can give an answer (connection errors, timeouts, 5xx, 409), the snapshot file; with no
   snapshot the error is raised. A 403 or 400 is always raised.
"""
from __future__ import absolute_import

import json
import logging

from .. import files
from .. import params as P
from ..exception import NacosConflict, NacosRequestException, NacosServerError
from .api import md5_hex  # noqa: F401 - re-exported for callers

logger = logging.getLogger(__name__)

#: errors after which get_config falls back to the snapshot
FALLBACK_ERRORS = (NacosRequestException, NacosServerError, NacosConflict)


class ConfigCalls(object):
    """Config methods of NacosClient. Relies on ``_config_api``, ``_options``, ``namespace``."""

    # ------------------------------------------------------------------ local files
    def _local_key(self, data_id, group):
        return P.group_key(data_id, group, self.namespace)

    def _read_failover(self, key):
        base = self._options["failover_base"]
        return files.read_file_str(base, key) if base else None

    def _snapshot_base(self, no_snapshot):
        if no_snapshot is None:
            no_snapshot = self._options["no_snapshot"]
        return None if no_snapshot else self._options["snapshot_base"]

    def _save_snapshot(self, base, key, content):
        if not base:
            return
        try:
            files.save_file(base, key, content)
        except (IOError, OSError, ValueError) as exc:
            logger.error("cannot write snapshot %s in %s: %s", key, base, exc)

    def _delete_snapshot(self, key):
        base = self._options["snapshot_base"]
        if base:
            files.delete_file(base, key)

    # ------------------------------------------------------------------ calls
    def get_config(self, data_id, group, timeout=None, no_snapshot=None):
        """Content of a config (``GET /v1/cs/configs``) as text, or None when it does not exist.

        Failover file first, then the server, then the snapshot (see the module docstring). Raises
        :class:`~nacos.exception.NacosRequestException` (or a subclass) when no server answers and there is
        no snapshot - never a silent None.
        """
        data_id = P.data_id(data_id)
        group = P.group(group)
        timeout = P.timeout(timeout)
        key = self._local_key(data_id, group)
        content = self._read_failover(key)
        if content is not None:
            logger.debug("get_config %s: served from the failover file", key)
            return content
        snapshot_base = self._snapshot_base(no_snapshot)
        try:
            resp = self._config_api.get(data_id, group, timeout=timeout)
        except FALLBACK_ERRORS as exc:
            content = files.read_file_str(snapshot_base, key) if snapshot_base else None
            if content is None:
                raise
            logger.warning("get_config %s: server failed (%s); serving the snapshot", key, exc)
            return content
        if resp is None:
            self._delete_snapshot(key)
            return None
        content = resp.text
        self._save_snapshot(snapshot_base, key, content)
        return content

    def get_configs(self, timeout=None, no_snapshot=None, group="", page_no=1, page_size=1000):
        """One page of the configs of the namespace (``GET /v1/cs/configs?search=accurate``), optionally of
        one group: ``{"totalCount", "pageNumber", "pagesAvailable", "pageItems": [...]}``.

        The same file rules as get_config apply; the page is snapshotted as ``+<group>+<namespace>``.
        """
        timeout = P.timeout(timeout)
        group = P.group(group) if group else ""
        page_no = P.positive_int(page_no, "page_no")
        page_size = P.positive_int(page_size, "page_size")
        key = P.group_key("", group, self.namespace)
        content = self._read_failover(key)
        if content is not None:
            try:
                return json.loads(content)
            except ValueError:
                logger.error("failover file %s is not JSON; ignoring it", key)
        snapshot_base = self._snapshot_base(no_snapshot)
        try:
            page = self._config_api.search(group=group, page_no=page_no, page_size=page_size, timeout=timeout)
        except FALLBACK_ERRORS as exc:
            content = files.read_file_str(snapshot_base, key) if snapshot_base else None
            if content is None:
                raise
            logger.warning("get_configs: server failed (%s); serving the snapshot", exc)
            return json.loads(content)
        if snapshot_base:
            self._save_snapshot(snapshot_base, key, json.dumps(page))
            for item in page.get("pageItems") or []:
                if item.get("dataId") and item.get("group") and item.get("content") is not None:
                    self._save_snapshot(snapshot_base, P.group_key(item["dataId"], item["group"], self.namespace),
                                        item["content"])
        return page

    def publish_config(self, data_id, group, content, app_name=None, config_type=None, timeout=None, tag=None,
                       cas_md5=None):
        """Create or update a config (``POST /v1/cs/configs``); True on success.

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
        """Delete a config (``DELETE /v1/cs/configs``); True on success (also when it did not exist)."""
        data_id = P.data_id(data_id)
        group = P.group(group)
        timeout = P.timeout(timeout)
        return self._config_api.remove(data_id, group, timeout=timeout)
