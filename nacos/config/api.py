"""Wire calls of the config API (``/v1/cs/configs``). Arguments are already validated by the caller."""
from __future__ import absolute_import

import hashlib

from ..compat import to_bytes
from ..exception import NacosNotFound

CONFIGS = "/v1/cs/configs"


def md5_hex(content):
    """Lower-case hex MD5 of the UTF-8 bytes of ``content`` (None for None) - what the server computes."""
    if content is None:
        return None
    return hashlib.md5(to_bytes(content)).hexdigest()


class ConfigAPI(object):
    def __init__(self, transport, namespace):
        self.transport = transport
        self.namespace = namespace

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
        """``GET /v1/cs/configs?search=accurate|blur``: the page dict."""
        params = {"dataId": data_id, "group": group, "search": "blur" if blur else "accurate",
                  "pageNo": str(page_no), "pageSize": str(page_size)}
        if self.namespace:
            params["tenant"] = self.namespace
        if app_name:
            params["appName"] = app_name
        return self.transport.request("GET", CONFIGS, params=params, timeout=timeout).json()
