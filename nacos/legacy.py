"""Names the legacy ``nacos.client`` module defined, and the legacy client hooks (a mixin).

``nacos.client`` re-exports everything here; nothing in the client's own paths uses it.
"""
from __future__ import absolute_import

from . import auth as _auth
from . import params as P
from .compat import unquote_plus
from .exception import NacosException
from .logsetup import set_debugging
from .transport import default_user_agent

DEBUG = False
WORD_SEPARATOR = u"\x02"
LINE_SEPARATOR = u"\x01"


def process_common_config_params(data_id, group):
    """Legacy check of a config's names: ``(data_id, group)`` with an empty group made ``DEFAULT_GROUP``;
    raises NacosException("Invalid dataId."/"Invalid group.")."""
    group = group.strip() if group and group.strip() else P.DEFAULT_GROUP_NAME
    if not data_id or not P.is_valid(data_id):
        raise NacosException("Invalid dataId.")
    if not P.is_valid(group):
        raise NacosException("Invalid group.")
    return data_id, group


def parse_pulling_result(result):
    """A long-poll answer (bytes) as ``[[data_id, group, tenant], ...]``."""
    if not result:
        return []
    text = result.decode("utf-8") if isinstance(result, bytes) else result
    changed = []
    for line in unquote_plus(text).split(LINE_SEPARATOR):
        if line.strip():
            fields = line.split(WORD_SEPARATOR)
            changed.append(fields + [""] * (3 - len(fields)))
    return changed


def parse_nacos_server_addr(server_addr):
    """``"host[:port]"`` or ``"http(s)://host:port"`` as ``(host, port)`` (legacy helper; port 8848)."""
    parts = server_addr.split(":")
    if len(parts) == 3:
        return parts[0] + ":" + parts[1], int(parts[2])
    return parts[0], int(parts[1]) if len(parts) > 1 else 8848


class WatcherWrap(object):
    """One config watcher as the legacy ``watcher_mapping`` listed it."""

    def __init__(self, key, callback, last_md5=None):
        self.callback = callback
        self.last_md5 = last_md5
        self.watch_key = key

    def __repr__(self):
        return "WatcherWrap(%r, %r, %r)" % (self.watch_key, self.callback, self.last_md5)


class LegacyHooks(object):
    """``set_debugging``, ``_inject_version_info`` and ``_inject_auth_info`` as the legacy client had them.

    The transport signs and authenticates requests itself; these hooks fill dicts for code that calls them
    (the legacy tests do) and are not consulted by the transport."""

    set_debugging = staticmethod(set_debugging)

    @staticmethod
    def _inject_version_info(headers):
        headers["User-Agent"] = default_user_agent()

    def _inject_auth_info(self, headers, params, data, module="config"):
        """Add what the legacy client added: ``accessToken`` to ``params`` with username/password; with
        AK/SK, the ``Spas-AccessKey``/``timeStamp``/``Spas-Signature`` headers (config) or the ``ak``/
        ``data``/``signature`` parameters (naming), signed over ``params`` (else ``data``)."""
        if module == "login":
            return
        if self.username and self.password:
            params["accessToken"] = self.get_access_token()
        if not self.auth_enabled or (not params and not data):
            return
        creds = self.credentials_provider.get_credentials()
        fields = params or data or {}
        if module == "config":
            tenant, group = fields.get("tenant"), fields.get("group")
            signed = _auth.sign_config(creds, tenant, group)
            headers["Spas-AccessKey"] = signed["Spas-AccessKey"]
            headers["timeStamp"] = signed["Timestamp"]
            if tenant or group:
                headers["Spas-Signature"] = signed["Spas-Signature"]
            if "Spas-SecurityToken" in signed:
                headers["Spas-SecurityToken"] = signed["Spas-SecurityToken"]
        else:
            params.update(_auth.sign_naming(creds, fields.get("serviceName"), fields.get("groupName")))
