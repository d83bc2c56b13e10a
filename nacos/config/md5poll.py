"""Change detection for servers without the v1 listener (the Nacos 3.x v3 API has no HTTP long poll): read the
md5 of the watched keys every ``config_poll_interval`` seconds and report those that differ from what the
watchers have, as a long-poll answer would.

Two ways to read md5s, chosen per group and cycle by what costs fewer requests:

* the admin list (``GET /v3/admin/cs/config/list``): the md5 of up to 500 configs of a group per request; needs
  an identity that may use the admin API when auth is on. A group whose list takes more requests than it has
  watched keys is read key by key instead.
* per-key reads (``GET /v3/client/cs/config``): one request per key, which also brings the content.

Every cycle of one poller sends at most ``config_poll_budget * config_poll_interval / pollers`` requests; keys
not reached wait for the next cycle (round robin), new keys go first. So a client with <= 50 keys sees a change
within about a second with the defaults, and 10,000 keys cost the server at most ``config_poll_budget``
requests per second (about 20 per second with the admin list).
"""
from __future__ import absolute_import

import logging

from .api import md5_hex
from ..compat import monotonic
from ..exception import NacosForbidden, NacosGone, NacosNotFound

logger = logging.getLogger(__name__)

#: after the admin list was refused (no admin identity), per-key reads only for this long
ADMIN_LIST_RETRY = 600.0


class Md5Poll(object):
    """The md5 reading of one :class:`~nacos.config.watcher.WatcherPool` (shared by its pollers).

    :param api: the client's :class:`~nacos.config.api.ConfigAPI`.
    """

    def __init__(self, api):
        self.api = api
        self.list_refused_until = 0.0
        self.list_cost = {}  # group -> requests the last admin-list pass of that group took
        self.cursor = 0
        self.requests = 0    # sent so far (for tests and the bench)

    def check(self, items, budget, stopping=lambda: False):
        """Compare the server's md5 of (some of) ``items`` with theirs.

        :param budget: the most requests this call may send (>= 1).
        :returns: ``(checked, changed, fetched)``: the items whose md5 was read, the ``(data_id, group,
            namespace)`` of those that differ, and ``{key: content or None}`` for changed keys read with their
            content (the rest are read by the caller).
        """
        checked, changed, fetched = [], [], {}
        by_group = {}
        for item in items:
            by_group.setdefault(item.group, []).append(item)
        per_key = []
        for group in sorted(by_group):
            members = by_group[group]
            cost = self.list_cost.get(group, 1)
            if budget >= cost and cost <= len(members) and monotonic() >= self.list_refused_until:
                md5s = self._group_md5s(group, min(budget, len(members)))
                budget -= self.list_cost.get(group, 1) if md5s is not None else 1
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
            self.requests += 1
            checked.append(item)
            if md5_hex(content) != item.md5:
                changed.append((item.data_id, item.group, item.namespace))
                fetched[item.key] = content
        return checked, changed, fetched

    def _group_md5s(self, group, max_requests):
        """The group's md5s from the admin list, or None when it is refused or would take more than
        ``max_requests`` requests (then its keys are read one by one)."""
        try:
            md5s, made, pages = self.api.group_md5s(group, max_requests)
        except (NacosForbidden, NacosGone, NacosNotFound) as exc:
            self.requests += 1
            self.list_refused_until = monotonic() + ADMIN_LIST_RETRY
            logger.info("config watchers: the server refuses the admin config list (%s); reading md5s key by key "
                        "(asking again in %ds)", exc, int(ADMIN_LIST_RETRY))
            return None
        self.requests += made
        self.list_cost[group] = pages
        return md5s

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

