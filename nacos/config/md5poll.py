"""Change detection for servers without the v1 listener (the Nacos 3.x v3 API has no HTTP long poll): read the
md5 of the watched keys every ``config_poll_interval`` seconds and report those that differ from what the
watchers have, as a long-poll answer would.

Two ways to read md5s, chosen per group and cycle by what costs fewer requests:

* the admin list (``GET /v3/admin/cs/config/list``): the md5 of up to 500 configs of a group per request; with
  auth on it needs read rights on the namespace's admin API (refused: key by key, asked again after 10 minutes).
  A group whose list takes more requests than it has watched keys is read key by key instead.
* per-key reads (``GET /v3/client/cs/config``): one request per key, which also brings the content.

A cycle of one poller reads at most ``config_poll_budget * config_poll_interval / pollers`` keys one by one (keys
not reached wait for the next cycle, round robin, new keys first), and the next cycle starts after
``config_poll_interval`` or after the requests it sent divided by the poller's share of ``config_poll_budget``,
whichever is longer: a client never sends more than ``config_poll_budget`` requests per second on average. A
group list read by one poller serves the others for a cycle. So a client with <= 50 keys sees a change within
about a second with the defaults, and 10,000 keys of one group cost the server about 20 requests per second.
"""
from __future__ import absolute_import

import logging
import threading

from .api import md5_hex
from ..compat import monotonic
from ..exception import NacosForbidden, NacosGone, NacosNotFound

logger = logging.getLogger(__name__)

#: after the admin list was refused (no admin identity), per-key reads only for this long
ADMIN_LIST_RETRY = 600.0


class Md5Poll(object):
    """The md5 reading of one :class:`~nacos.config.watcher.WatcherPool`, shared by its pollers (a group's admin
    list read by one poller serves the others for ``max_age`` seconds).

    :param api: the client's :class:`~nacos.config.api.ConfigAPI`.
    """

    def __init__(self, api):
        self.api = api
        self.list_refused_until = 0.0
        self.list_cost = {}  # group -> requests (pages) the last admin-list read of that group took
        self._lists = {}     # group -> (monotonic time read, {data_id: md5})
        self._lock = threading.Lock()
        self.cursor = 0
        self.requests = 0    # sent so far (for tests and the bench)

    def check(self, items, budget, max_age, stopping=lambda: False):
        """Compare the server's md5 of (some of) ``items`` with theirs.

        :param budget: the most per-key reads this call may send (>= 1); a group whose admin list takes no more
            requests than it has keys here is read by list (the caller paces cycles by what they cost).
        :param max_age: seconds for which a group list read by another poller is used instead of a new read.
        :returns: ``(checked, changed, fetched, requests)``: the items whose md5 was read, the ``(data_id, group,
            namespace)`` of those that differ, ``{key: content or None}`` for changed keys read with their
            content (the rest are read by the caller), and the requests sent.
        """
        checked, changed, fetched = [], [], {}
        sent = 0
        by_group = {}
        for item in items:
            by_group.setdefault(item.group, []).append(item)
        per_key = []
        for group in sorted(by_group):
            members = by_group[group]
            if self.list_cost.get(group, 1) <= len(members) and monotonic() >= self.list_refused_until:
                md5s, made = self._group_md5s(group, len(members), max_age)
                sent += made
                if md5s is not None:
                    for item in members:
                        checked.append(item)
                        if md5s.get(item.data_id) != item.md5:
                            changed.append((item.data_id, item.group, item.namespace))
                    continue
            per_key.extend(members)
        for item in self._rotation(per_key, budget):
            if stopping():
                break
            content = self.api.get(item.data_id, item.group)
            sent += 1
            checked.append(item)
            if md5_hex(content) != item.md5:
                changed.append((item.data_id, item.group, item.namespace))
                fetched[item.key] = content
        with self._lock:
            self.requests += sent
        return checked, changed, fetched, sent

    def _group_md5s(self, group, max_requests, max_age):
        """``(md5s, requests sent)``: the group's md5s from the admin list (a fresh enough read of another poller,
        or a new one), or None when it is refused or takes more than ``max_requests`` pages."""
        with self._lock:
            cached = self._lists.get(group)
        if cached is not None and monotonic() - cached[0] < max_age:
            return cached[1], 0
        try:
            md5s, made, pages = self.api.group_md5s(group, max_requests)
        except (NacosForbidden, NacosGone, NacosNotFound) as exc:
            self.list_refused_until = monotonic() + ADMIN_LIST_RETRY
            logger.info("config watchers: the server refuses the admin config list (%s); reading md5s key by key "
                        "(asking again in %ds)", exc, int(ADMIN_LIST_RETRY))
            return None, 1
        with self._lock:
            self.list_cost[group] = pages
            if md5s is not None:
                self._lists[group] = (monotonic(), md5s)
        return md5s, made

    def _rotation(self, items, budget):
        """Up to ``budget`` of ``items``: those not yet initialised first, then round robin."""
        if budget <= 0 or not items:
            return []
        items = sorted(items, key=lambda i: i.key)
        first = [i for i in items if i.initializing]
        rest = [i for i in items if not i.initializing]
        if rest:
            start = self.cursor % len(rest)
            rest = rest[start:] + rest[:start]
        chosen = (first + rest)[:budget]
        self.cursor += max(0, len(chosen) - len(first))
        return chosen

