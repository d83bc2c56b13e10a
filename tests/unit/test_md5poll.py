"""The choice between the admin list and per-key reads in md5 polling (pure logic: a fake ConfigAPI)."""
from nacos.config.api import md5_hex
from nacos.config.cache import CacheItem
from nacos.config.md5poll import Md5Poll
from nacos.exception import NacosForbidden


class FakeAPI(object):
    def __init__(self, configs, page_size=2, refuse=False):
        self.configs = configs  # (data_id, group) -> content
        self.page_size = page_size
        self.refuse = refuse
        self.calls = []

    def group_md5s(self, group, max_requests, timeout=None):
        self.calls.append(("list", group))
        if self.refuse:
            raise NacosForbidden("denied", status=403)
        keys = sorted(k for k in self.configs if k[1] == group)
        pages = max(1, -(-len(keys) // self.page_size))
        if pages > max_requests:
            return None, 1, pages
        return dict((d, md5_hex(self.configs[(d, g)])) for d, g in keys), pages, pages

    def get(self, data_id, group, timeout=None, tag=None):
        self.calls.append(("get", data_id))
        return self.configs.get((data_id, group))


def items(*keys, **known):
    out = []
    for data_id, group in keys:
        item = CacheItem(data_id, group, "", known.get(data_id))
        item.initializing = data_id not in known
        out.append(item)
    return out


def test_a_group_with_as_many_keys_as_list_pages_is_read_by_list():
    api = FakeAPI({("a", "G"): "1", ("b", "G"): "2", ("c", "G"): "3"})
    poll = Md5Poll(api)
    checked, changed, fetched, sent = poll.check(items(("a", "G"), ("b", "G"), a="1"), 10, 1.0)
    assert [c[0] for c in api.calls] == ["list"] and sent == 2  # 3 configs: 2 pages (requests) for 2 keys
    assert sorted(i.data_id for i in checked) == ["a", "b"] and [c[0] for c in changed] == ["b"]
    assert fetched == {}  # the caller reads changed keys


def test_a_big_group_with_few_watched_keys_is_read_key_by_key():
    configs = dict((("k%d" % i, "G"), str(i)) for i in range(10))
    api = FakeAPI(configs)
    poll = Md5Poll(api)
    poll.check(items(("k1", "G")), 10, 1.0)  # one key, the list would take 5 pages: one probe, then per key
    api.calls[:] = []
    checked, changed, fetched, sent = poll.check(items(("k1", "G"), k1="1"), 10, 1.0)
    assert api.calls == [("get", "k1")] and sent == 1 and changed == []


def test_a_list_read_by_one_poller_serves_another_within_max_age():
    api = FakeAPI({("a", "G"): "1", ("b", "G"): "2"})
    poll = Md5Poll(api)
    poll.check(items(("a", "G")), 10, 5.0)
    api.calls[:] = []
    _, changed, _, sent = poll.check(items(("b", "G")), 10, 5.0)
    assert api.calls == [] and sent == 0 and [c[0] for c in changed] == ["b"]


def test_a_refused_list_falls_back_to_per_key_reads_within_the_budget():
    api = FakeAPI(dict((("k%d" % i, "G"), str(i)) for i in range(5)), refuse=True)
    poll = Md5Poll(api)
    watched = items(*[("k%d" % i, "G") for i in range(5)])
    checked, changed, fetched, sent = poll.check(watched, 3, 1.0)
    assert [c[0] for c in api.calls] == ["list", "get", "get", "get"] and sent == 4
    assert len(checked) == 3 and sorted(fetched) == sorted((i.data_id, "G") for i in checked)
    api.calls[:] = []
    for item in checked:
        item.initializing = False
    poll.check(watched, 3, 1.0)  # refused lists are not asked again for a while; new keys first
    assert [c[0] for c in api.calls] == ["get", "get", "get"]
    assert set(c[1] for c in api.calls) >= set(["k3", "k4"])


def test_a_deleted_config_is_a_change_to_none():
    api = FakeAPI({}, refuse=True)
    poll = Md5Poll(api)
    _, changed, fetched, _ = poll.check(items(("gone", "G"), gone="old"), 5, 1.0)
    assert changed == [("gone", "G", "")] and fetched == {("gone", "G"): None}
