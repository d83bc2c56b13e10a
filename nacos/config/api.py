"""Wire calls of the config API in both dialects (:mod:`nacos.dialect`). Arguments are already validated.

======================  ============================  ===============================================
call                    v1                            v3 (a server without the v1 API)
======================  ============================  ===============================================
read                    ``GET /v1/cs/configs``        ``GET /v3/client/cs/config``
publish                 ``POST /v1/cs/configs``       ``POST /v3/admin/cs/config``
delete                  ``DELETE /v1/cs/configs``     ``DELETE /v3/admin/cs/config``
search (get_configs)    ``GET /v1/cs/configs?search`` ``GET /v3/admin/cs/config/list`` + detail reads
md5 of many keys        (the long-poll listener)      ``GET /v3/admin/cs/config/list``
======================  ============================  ===============================================
"""
from __future__ import absolute_import

import hashlib
import logging
import time

from ..compat import monotonic, to_bytes
from ..dialect import CODE_NOT_FOUND, V3, data_of, envelope
from ..exception import NacosException, NacosNotFound, NacosResponseError
from ..policy import NOT_IDEMPOTENT, READ
from ..transport import V3Call

logger = logging.getLogger(__name__)

CONFIGS = "/v1/cs/configs"
CLIENT_CONFIG = "/v3/client/cs/config"
ADMIN_CONFIG = "/v3/admin/cs/config"  # Nacos 3.x admin API
ADMIN_CONFIG_LIST = ADMIN_CONFIG + "/list"
#: items per page of the admin list when reading md5s for watchers
MD5_PAGE_SIZE = 500


def md5_hex(content):
    """Lower-case hex MD5 of the UTF-8 bytes of ``content`` (None for None) - what the server computes."""
    if content is None:
        return None
    return hashlib.md5(to_bytes(content)).hexdigest()


def _is_config_missing(exc):
    """Is a 404 the server's "config does not exist" (1.x/2.x ``config data not exist``, 3.x code 20004), as
    opposed to a 404 from something that is not the config API (a wrong context path, an ingress)?"""
    text = (exc.server_message or "").lower()
    return "not exist" in text or str(CODE_NOT_FOUND) in text


class ConfigAPI(object):
    def __init__(self, transport, namespace):
        self.transport = transport
        self.namespace = namespace
        self.types = {}  # (data_id, group) -> the type the server gave with the last read (nacos.settings)

    def _key_params(self, data_id, group, tag=None):
        params = {"dataId": data_id, "group": group}
        if self.namespace:
            params["tenant"] = self.namespace
        if tag:
            params["tag"] = tag
        return params

    def _v3_params(self, data_id, group, **extra):
        params = {"dataId": data_id, "groupName": group}
        if self.namespace:
            params["namespaceId"] = self.namespace
        for key, value in extra.items():
            if value is not None:
                params[key] = value
        return params

    def get(self, data_id, group, timeout=None, tag=None):
        """``GET /v1/cs/configs`` or ``GET /v3/client/cs/config``: the content (text), or None when the server
        says the config does not exist. A 404 that is not that answer raises :class:`NacosNotFound`."""
        try:
            resp = self.transport.request("GET", CONFIGS, params=self._key_params(data_id, group, tag),
                                          timeout=timeout, family="config",
                                          v3=V3Call("GET", CLIENT_CONFIG, self._v3_params(data_id, group)))
        except NacosNotFound as exc:
            if _is_config_missing(exc):
                return None
            raise NacosNotFound("HTTP 404 that is not Nacos's \"config does not exist\" answer (a wrong "
                                "context_path, or something other than Nacos answering?)", status=404,
                                method=exc.method, url=exc.url, server_message=exc.server_message)
        if resp.dialect != V3:
            self._seen_type(data_id, group, resp.headers.get("Config-Type"))
            return resp.text
        code, data = envelope(resp)
        if code == CODE_NOT_FOUND:
            return None
        data = data_of(resp, dict)
        content = data.get("content")
        if content is None:
            raise NacosResponseError("v3 config answer has no content", status=resp.status, method="GET",
                                     url=resp.url)
        self._seen_type(data_id, group, data.get("contentType") or data.get("type"))
        return content

    def _seen_type(self, data_id, group, config_type):
        """Remember the server's type of a config (``Config-Type`` header, v3 ``contentType``) for
        :meth:`last_type`; bounded (cleared past 10000 keys)."""
        if config_type:
            if len(self.types) >= 10000:
                self.types.clear()
            self.types[(data_id, group)] = config_type

    def last_type(self, data_id, group):
        """The type the server gave with the last read of the config by this client, or None."""
        return self.types.get((data_id, group))

    def publish(self, data_id, group, content, app_name=None, config_type=None, timeout=None, tag=None,
                cas_md5=None, extra=None):
        """``POST /v1/cs/configs`` or ``POST /v3/admin/cs/config`` (form body). True when the server says so.

        With ``cas_md5`` (sent as the ``casMd5`` header, which both read) the server only writes when its md5
        still matches (HTTP 500 otherwise); such a request is not repeated on another server.
        """
        form = self._key_params(data_id, group, tag)
        form["content"] = content
        if app_name:
            form["appName"] = app_name
        if config_type:
            form["type"] = config_type
        if extra:
            form.update(extra)
        v3_form = self._v3_params(data_id, group, content=content, appName=app_name or None,
                                  type=config_type or None, tag=tag or None)
        headers = {"casMd5": cas_md5} if cas_md5 is not None else None
        resp = self.transport.request("POST", CONFIGS, data=form, headers=headers, timeout=timeout,
                                      retry=READ if cas_md5 is None else NOT_IDEMPOTENT, family="config",
                                      v3=V3Call("POST", ADMIN_CONFIG, data=v3_form, headers=headers))
        if resp.dialect == V3:
            ok = data_of(resp) is True
            if ok:
                self._await_visible(data_id, group, md5_hex(content), timeout)
            return ok
        return resp.text.strip() == "true"

    def remove(self, data_id, group, timeout=None, tag=None):
        """``DELETE /v1/cs/configs`` or ``DELETE /v3/admin/cs/config``. True when the server says so (also for
        a missing config)."""
        resp = self.transport.request("DELETE", CONFIGS, params=self._key_params(data_id, group, tag),
                                      timeout=timeout, family="config",
                                      v3=V3Call("DELETE", ADMIN_CONFIG, self._v3_params(data_id, group)))
        if resp.dialect == V3:
            ok = data_of(resp) is True
            if ok:
                self._await_visible(data_id, group, None, timeout)
            return ok
        return resp.text.strip() == "true"

    def _await_visible(self, data_id, group, md5, timeout):
        """Read-your-writes on v3: the client read (``GET /v3/client/cs/config``) shows an admin write only once
        the server has re-dumped its cache (measured 20 ms to 1.1 s on 3.1), where a v1 read shows it at once.
        So a v3 publish/delete returns when the read shows it (``md5`` None: deleted), or after ``timeout``
        (the default timeout when None) with a DEBUG line; reads back off from 10 ms to 100 ms."""
        deadline = monotonic() + (self.transport.timeout if timeout is None else timeout)
        pause = 0.01
        while True:
            try:
                if md5_hex(self.get(data_id, group, timeout=timeout)) == md5:
                    return
            except NacosException as exc:
                logger.debug("config %s/%s: read after write failed: %s", group, data_id, exc)
                return
            left = deadline - monotonic()
            if left <= 0:
                logger.debug("config %s/%s: the client read does not show the write yet", group, data_id)
                return
            time.sleep(min(pause, left))
            pause = min(pause * 2, 0.1)

    def search(self, data_id="", group="", page_no=1, page_size=1000, blur=False, app_name=None,
               timeout=None):
        """``GET /v1/cs/configs?search=accurate|blur``: the page dict. On a server without that API (Nacos 3.x,
        where it is a console API), ``GET /v3/admin/cs/config/list`` and the content of each item (see
        :meth:`_admin_items`), in the same shape."""
        params = self._list_params(data_id, group, page_no, page_size, blur, app_name, v3=False)
        resp = self.transport.request("GET", CONFIGS, params=params, timeout=timeout, family="config-admin",
                                      v3=V3Call("GET", ADMIN_CONFIG_LIST,
                                                self._list_params(data_id, group, page_no, page_size, blur,
                                                                  app_name)))
        if resp.dialect != V3:
            return resp.json()
        data = self._page(resp)
        items = self._admin_items(data["pageItems"], timeout)
        return {"totalCount": data.get("totalCount", len(items)), "pageNumber": data.get("pageNumber", page_no),
                "pagesAvailable": data.get("pagesAvailable", 1), "pageItems": items}

    def _list_params(self, data_id, group, page_no, page_size, blur, app_name=None, v3=True):
        """Search parameters: v1 names the group ``group`` and the namespace ``tenant``, v3 ``groupName`` and
        ``namespaceId``."""
        params = {"dataId": data_id, ("groupName" if v3 else "group"): group,
                  "search": "blur" if blur else "accurate", "pageNo": str(page_no), "pageSize": str(page_size)}
        if self.namespace:
            params["namespaceId" if v3 else "tenant"] = self.namespace
        if app_name:
            params["appName"] = app_name
        return params

    @staticmethod
    def _page(resp):
        data = data_of(resp, dict)
        if not isinstance(data.get("pageItems"), list):
            raise NacosResponseError("config list answer has no data.pageItems", status=resp.status,
                                     method="GET", url=resp.url)
        return data

    def _admin_items(self, entries, timeout):
        """The admin list carries no content, so each item is read with ``GET /v3/admin/cs/config`` (one
        request per item; it reads the same store as the list, where the client read may lag a fresh write
        by ~100 ms). An item deleted in between is left out."""
        items = []
        for entry in entries:
            key = self._v3_params(entry.get("dataId"), entry.get("groupName"))
            try:
                resp = self.transport.request("GET", ADMIN_CONFIG, params=key, timeout=timeout)
                found = data_of(resp, dict)
            except NacosNotFound:
                logger.debug("config %s/%s was deleted while listing", key["groupName"], key["dataId"])
                continue
            items.append({"id": found.get("id"), "dataId": found.get("dataId"), "group": found.get("groupName"),
                          "tenant": self.namespace or "", "appName": found.get("appName") or "",
                          "type": found.get("type"), "md5": found.get("md5"), "content": found.get("content"),
                          "encryptedDataKey": found.get("encryptedDataKey") or None})
        return items

    def group_md5s(self, group, max_requests, timeout=None):
        """``{data_id: md5}`` of every config of ``group`` in the namespace, from the 3.x admin list
        (``GET /v3/admin/cs/config/list``, ``MD5_PAGE_SIZE`` per request), as ``(md5s, requests, pages)``;
        ``md5s`` is None when the group has more pages than ``max_requests`` (only the first was read).
        Needs an identity that may use the admin API when auth is on (:class:`NacosForbidden` otherwise)."""
        md5s = {}
        page_no, pages = 1, 1
        while page_no <= pages:
            resp = self.transport.request("GET", ADMIN_CONFIG_LIST, timeout=timeout,
                                          params=self._list_params("", group, page_no, MD5_PAGE_SIZE, False))
            data = self._page(resp)
            try:
                pages = max(1, int(data.get("pagesAvailable") or 1))
            except (TypeError, ValueError):
                pages = 1
            if pages > max_requests:
                return None, page_no, pages
            for entry in data["pageItems"]:
                if isinstance(entry, dict) and entry.get("groupName") == group and entry.get("dataId"):
                    md5s[entry["dataId"]] = entry.get("md5")
            page_no += 1
        return md5s, page_no - 1, pages
