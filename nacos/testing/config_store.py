"""Configs and namespaces, in memory.

Configs are keyed by ``(tenant, group, dataId)`` where ``tenant`` is already
normalised (``public``/blank -> ``""``). Each key holds the main content and any
tag-specific ("gray") contents. Every change calls ``on_change(key)`` so the
long-poll hub can answer held listeners.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import fnmatch
import hashlib
import re
import threading
import time
import uuid

CONFIG_TYPES = ("text", "json", "xml", "yaml", "html", "properties", "toml")


def md5_hex(content):
    """Lowercase hex MD5 of the UTF-8 bytes of ``content`` (``""`` for ``None``)."""
    if content is None:
        return ""
    return hashlib.md5(content.encode("utf-8")).hexdigest()


class ConfigItem(object):
    """One stored config (main content)."""

    __slots__ = ("id", "data_id", "group", "tenant", "content", "md5", "type", "app_name",
                 "desc", "use", "effect", "schema", "config_tags", "encrypted_data_key",
                 "create_time", "modify_time", "src_user", "src_ip", "tags")

    def to_page_item(self):
        """The ``pageItems[]`` shape of a search Page."""
        return {"id": "%d" % self.id, "dataId": self.data_id, "group": self.group,
                "content": self.content, "md5": self.md5, "encryptedDataKey": self.encrypted_data_key,
                "tenant": self.tenant, "appName": self.app_name, "type": self.type}

    def to_all_info(self):
        """The ``show=all`` ``ConfigAllInfo`` shape."""
        info = self.to_page_item()
        info.update({"createTime": self.create_time, "modifyTime": self.modify_time,
                     "createUser": self.src_user, "createIp": self.src_ip, "desc": self.desc,
                     "use": self.use, "effect": self.effect, "schema": self.schema,
                     "configTags": self.config_tags})
        return info


class ConfigStore(object):
    """Thread-safe config storage with change notification."""

    def __init__(self, on_change=None):
        self._lock = threading.Lock()
        self._items = {}
        self._next_id = 1
        self.on_change = on_change

    def wipe(self):
        """Forget every config."""
        with self._lock:
            self._items = {}

    def get(self, key, tag=None):
        """Return ``(content, md5, item)`` for ``key`` (and ``tag``), or ``None``."""
        item = self._items.get(key)
        if item is None:
            return None
        if tag:
            tagged = item.tags.get(tag)
            if tagged is None:
                return None
            return tagged[0], tagged[1], item
        if item.content is None:
            return None
        return item.content, item.md5, item

    def md5(self, key):
        """Current md5 of ``key``'s main content, ``""`` when absent."""
        item = self._items.get(key)
        return item.md5 if item is not None else ""

    def publish(self, key, content, config_type=None, app_name=None, tag=None, cas_md5=None,
                extra=None):
        """Store ``content``; returns False when ``cas_md5`` does not match.

        ``tag`` stores tag-specific content and leaves the main content alone.
        """
        now_ms = int(time.time() * 1000)
        extra = extra or {}
        with self._lock:
            item = self._items.get(key)
            if cas_md5 is not None and item is not None:
                current = item.tags.get(tag, (None, ""))[1] if tag else item.md5
                if current != cas_md5:
                    return False
            if item is None:
                if tag:
                    # a gray-only config has no main content; keep a placeholder item
                    item = self._new_item(key, None, now_ms)
                else:
                    item = self._new_item(key, content, now_ms)
                self._items[key] = item
            if tag:
                item.tags[tag] = (content, md5_hex(content))
            else:
                item.content = content
                item.md5 = md5_hex(content)
                item.modify_time = now_ms
                if config_type is not None:
                    item.type = config_type if config_type in CONFIG_TYPES else "text"
                if app_name is not None:
                    item.app_name = app_name
                for name in ("desc", "use", "effect", "schema", "config_tags",
                             "encrypted_data_key", "src_user", "src_ip"):
                    if extra.get(name) is not None:
                        setattr(item, name, extra[name])
        if not tag and self.on_change is not None:
            self.on_change(key)
        return True

    def _new_item(self, key, content, now_ms):
        item = ConfigItem()
        item.id = self._next_id
        self._next_id += 1
        item.tenant, item.group, item.data_id = key
        item.content = content
        item.md5 = md5_hex(content) if content is not None else ""
        item.type = "text"
        item.app_name = ""
        item.desc = item.use = item.effect = item.schema = item.config_tags = None
        item.encrypted_data_key = ""
        item.src_user = item.src_ip = None
        item.create_time = item.modify_time = now_ms
        item.tags = {}
        return item

    def remove(self, key, tag=None):
        """Delete ``key`` (or only its ``tag`` content). Returns True always, like the server."""
        changed = False
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                if tag:
                    item.tags.pop(tag, None)
                    if item.content is None and not item.tags:
                        del self._items[key]
                elif item.content is not None:
                    changed = True
                    if item.tags:
                        item.content, item.md5 = None, ""
                    else:
                        del self._items[key]
        if changed and self.on_change is not None:
            self.on_change(key)
        return True

    def count(self, tenant):
        """Number of configs (with main content) in ``tenant``."""
        with self._lock:
            return sum(1 for k, v in self._items.items() if k[0] == tenant and v.content is not None)

    def search(self, mode, tenant, data_id, group, app_name, page_no, page_size):
        """The console search: ``mode`` is ``accurate`` or ``blur`` (``*`` wildcards)."""
        def matcher(pattern):
            if not pattern:
                return lambda value: True
            if mode == "blur":
                regex = re.compile(fnmatch.translate(pattern.replace("[", "[[]")))
                return lambda value: regex.match(value or "") is not None
            return lambda value: value == pattern
        m_data, m_group, m_app = matcher(data_id), matcher(group), matcher(app_name)
        with self._lock:
            found = [item for key, item in self._items.items()
                     if key[0] == tenant and item.content is not None and m_data(item.data_id)
                     and m_group(item.group) and m_app(item.app_name)]
        found.sort(key=lambda item: item.id)
        page_no = max(page_no, 1)
        page_size = max(page_size, 1)
        total = len(found)
        start = (page_no - 1) * page_size
        return {"totalCount": total, "pageNumber": page_no,
                "pagesAvailable": (total + page_size - 1) // page_size,
                "pageItems": [_search_item(item) for item in found[start:start + page_size]]}


def _search_item(item):
    """2.3.2's search page leaves ``md5`` out of the query (null) and ``encryptedDataKey`` null when unset."""
    page_item = item.to_page_item()
    page_item["md5"] = None
    page_item["encryptedDataKey"] = item.encrypted_data_key or None
    return page_item


class NamespaceStore(object):
    """Custom namespaces (the public namespace ``""`` always exists)."""

    _BAD_NAME = re.compile(r"[@#$%^&*]")
    _GOOD_ID = re.compile(r"[A-Za-z0-9_-]+\Z")

    def __init__(self):
        self._lock = threading.Lock()
        self._spaces = {}

    def wipe(self):
        """Forget every custom namespace."""
        with self._lock:
            self._spaces = {}

    def create(self, ns_id, name, desc):
        """Create a namespace; False when the id/name is unacceptable or taken."""
        if not ns_id or not ns_id.strip():
            ns_id = "%s" % uuid.uuid4()
        if len(ns_id) > 128 or not self._GOOD_ID.match(ns_id) or self._BAD_NAME.search(name):
            return False
        with self._lock:
            if ns_id in self._spaces or ns_id == "public":
                return False
            self._spaces[ns_id] = {"name": name, "desc": desc}
        return True

    def update(self, ns_id, name, desc):
        """Rename/re-describe a namespace; False when unknown."""
        with self._lock:
            space = self._spaces.get(ns_id)
            if space is None:
                return False
            space["name"] = name
            if desc is not None:
                space["desc"] = desc
        return True

    def delete(self, ns_id):
        """Delete a namespace (True even when it does not exist)."""
        with self._lock:
            self._spaces.pop(ns_id, None)
        return True

    def exists(self, ns_id):
        """Whether ``ns_id`` is public or a custom namespace."""
        return ns_id in ("", "public") or ns_id in self._spaces

    def describe(self, ns_id, config_count):
        """The ``Namespace`` JSON shape for one id, or None."""
        if ns_id in ("", "public"):
            return {"namespace": "", "namespaceShowName": "public", "namespaceDesc": "Public Namespace",
                    "quota": 200, "configCount": config_count, "type": 0}
        space = self._spaces.get(ns_id)
        if space is None:
            return None
        return {"namespace": ns_id, "namespaceShowName": space["name"], "namespaceDesc": space["desc"],
                "quota": 200, "configCount": config_count, "type": 2}

    def ids(self):
        """All ids, public (``""``) first."""
        with self._lock:
            return [""] + sorted(self._spaces)
