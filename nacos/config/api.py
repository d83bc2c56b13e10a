"""Wire calls of the config API (``/v1/cs/configs``). Arguments are already validated by the caller."""
from __future__ import absolute_import

import hashlib
import logging

from ..compat import to_bytes
from ..exception import NacosGone, NacosNotFound, NacosResponseError

logger = logging.getLogger(__name__)

CONFIGS = "/v1/cs/configs"
ADMIN_CONFIG = "/v3/admin/cs/config"  # Nacos 3.x admin API
ADMIN_CONFIG_LIST = ADMIN_CONFIG + "/list"


def md5_hex(content):
    """Lower-case hex MD5 of the UTF-8 bytes of ``content`` (None for None) - what the server computes."""
    if content is None:
        return None
    return hashlib.md5(to_bytes(content)).hexdigest()


class ConfigAPI(object):
    def __init__(self, transport, namespace):
        self.transport = transport
        self.namespace = namespace
        # Set once a server answered 410 Gone to the v1 search (Nacos 3.x: it is a console API there, off
        # unless nacos.core.api.compatibility.console.enabled): the 3.x admin list is used from then on.
        self.search_gone = False

    def _key_params(self, data_id, group, tag=None):
        params = {"dataId": data_id, "group": group}
        if self.namespace:
            params["tenant"] = self.namespace
        if tag:
            params["tag"] = tag
        return params

    def get(self, data_id, group, timeout=None, tag=None):
        """``GET /v1/cs/configs``: the :class:`~nacos.transport.Response`, or None when the config does not
        exist (404)."""
        try:
            return self.transport.request("GET", CONFIGS, params=self._key_params(data_id, group, tag),
                                          timeout=timeout)
        except NacosNotFound:
            return None

    def publish(self, data_id, group, content, app_name=None, config_type=None, timeout=None, tag=None,
                cas_md5=None, extra=None):
        """``POST /v1/cs/configs`` (form body). Returns True when the server answers ``true``.

        With ``cas_md5`` the server only writes when its md5 still matches (HTTP 500 otherwise); such a
        request is not repeated on another server.
        """
        form = self._key_params(data_id, group, tag)
        form["content"] = content
        if app_name:
            form["appName"] = app_name
        if config_type:
            form["type"] = config_type
        if extra:
            form.update(extra)
        headers = {"casMd5": cas_md5} if cas_md5 is not None else None
        resp = self.transport.request("POST", CONFIGS, data=form, headers=headers, timeout=timeout,
                                      idempotent=cas_md5 is None)
        return resp.text.strip() == "true"

    def remove(self, data_id, group, timeout=None, tag=None):
        """``DELETE /v1/cs/configs``. True when the server answers ``true`` (also for a missing config)."""
        resp = self.transport.request("DELETE", CONFIGS, params=self._key_params(data_id, group, tag),
                                      timeout=timeout)
        return resp.text.strip() == "true"

    def search(self, data_id="", group="", page_no=1, page_size=1000, blur=False, app_name=None,
               timeout=None):
        """``GET /v1/cs/configs?search=accurate|blur``: the page dict. On Nacos 3.x, where that answers 410,
        ``GET /v3/admin/cs/config/list`` and the content of each item (see :meth:`_admin_search`)."""
        if not self.search_gone:
            params = {"dataId": data_id, "group": group, "search": "blur" if blur else "accurate",
                      "pageNo": str(page_no), "pageSize": str(page_size)}
            if self.namespace:
                params["tenant"] = self.namespace
            if app_name:
                params["appName"] = app_name
            try:
                return self.transport.request("GET", CONFIGS, params=params, timeout=timeout).json()
            except NacosGone as exc:
                logger.info("nacos answered 410 Gone to the v1 config search (%s %s): using the 3.x admin "
                            "list instead", exc.method, exc.url)
                self.search_gone = True
        return self._admin_search(data_id, group, page_no, page_size, blur, app_name, timeout)

    def _admin_search(self, data_id, group, page_no, page_size, blur, app_name, timeout):
        """``GET /v3/admin/cs/config/list`` (Nacos 3.x; needs an admin identity when auth is on), in the v1
        page shape. The admin list carries no content, so each item is read with ``GET /v3/admin/cs/config``
        (one request per item; it reads the same store as the list, where ``GET /v1/cs/configs`` may lag a
        fresh write by ~100 ms). An item deleted in between is left out of the page."""
        params = {"dataId": data_id, "groupName": group, "search": "blur" if blur else "accurate",
                  "pageNo": str(page_no), "pageSize": str(page_size)}
        if app_name:
            params["appName"] = app_name
        data = self._admin_data(ADMIN_CONFIG_LIST, params, timeout)
        if not isinstance(data.get("pageItems"), list):
            raise NacosResponseError("config list answer has no data.pageItems", method="GET",
                                     url=ADMIN_CONFIG_LIST)
        items = []
        for entry in data["pageItems"]:
            key = {"dataId": entry.get("dataId"), "groupName": entry.get("groupName")}
            try:
                found = self._admin_data(ADMIN_CONFIG, key, timeout)
            except NacosNotFound:
                logger.debug("config %s/%s was deleted while listing", key["groupName"], key["dataId"])
                continue
            items.append({"id": found.get("id"), "dataId": found.get("dataId"), "group": found.get("groupName"),
                          "tenant": self.namespace or "", "appName": found.get("appName") or "",
                          "type": found.get("type"), "md5": found.get("md5"), "content": found.get("content"),
                          "encryptedDataKey": found.get("encryptedDataKey") or None})
        return {"totalCount": data.get("totalCount", len(items)), "pageNumber": data.get("pageNumber", page_no),
                "pagesAvailable": data.get("pagesAvailable", 1), "pageItems": items}

    def _admin_data(self, path, params, timeout):
        """A 3.x admin GET in this namespace: the ``data`` of its ``{code, message, data}`` answer."""
        if self.namespace:
            params = dict(params, namespaceId=self.namespace)
        resp = self.transport.request("GET", path, params=params, timeout=timeout)
        body = resp.json()
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise NacosResponseError("answer has no data object", status=resp.status, method="GET", url=resp.url,
                                     server_message=resp.text[:200])
        return data
