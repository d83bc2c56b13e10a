"""Per-client counters, gauges and latency histograms, and their Prometheus text rendering.

Cheap on the hot path: a counter bump is one dict update under a lock; nothing is allocated per request beyond
that. ``client.metrics()`` returns a plain snapshot dict; :func:`prometheus_text` renders the same figures in the
Prometheus text exposition format (no prometheus_client dependency).

Metric names are stable; see docs/observability.md for the list.
"""
from __future__ import absolute_import

import bisect

from .compat import string_types
from .forksafe import ForkSafeLock

#: latency histogram buckets, seconds
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

_HELP = {}


def describe(name, kind, text):
    """Register a metric's type (counter/gauge/histogram) and help text (module level, once)."""
    _HELP[name] = (kind, text)


class _Histogram(object):
    __slots__ = ("counts", "total", "count")

    def __init__(self):
        self.counts = [0] * (len(BUCKETS) + 1)
        self.total = 0.0
        self.count = 0


class Metrics(object):
    """A registry of labelled counters, histograms and gauges (callables read at snapshot time)."""

    def __init__(self):
        self._lock = ForkSafeLock("metrics")
        self._counters = {}
        self._histograms = {}
        self._gauges = {}

    def inc(self, name, labels=(), amount=1):
        key = (name, labels)
        with self._lock:
            self._counters[key] = self._counters.get(key, 0) + amount

    def observe(self, name, seconds, labels=()):
        key = (name, labels)
        index = bisect.bisect_left(BUCKETS, seconds)
        with self._lock:
            hist = self._histograms.get(key)
            if hist is None:
                hist = self._histograms[key] = _Histogram()
            hist.counts[index] += 1
            hist.total += seconds
            hist.count += 1

    def gauge(self, name, fn, labels=()):
        """Register ``fn()`` as the value of gauge ``name`` (replacing an earlier one with the same labels)."""
        with self._lock:
            self._gauges[(name, labels)] = fn

    def remove_gauges(self, name):
        with self._lock:
            for key in [k for k in self._gauges if k[0] == name]:
                del self._gauges[key]

    def counter(self, name, labels=()):
        with self._lock:
            return self._counters.get((name, labels), 0)

    def snapshot(self):
        """``{name: [{"labels": {...}, "value": v}]}`` with histograms as
        ``{"count", "sum", "buckets": {le: cumulative}}``."""
        with self._lock:
            counters = list(self._counters.items())
            hists = [(k, list(h.counts), h.total, h.count) for k, h in self._histograms.items()]
            gauges = list(self._gauges.items())
        out = {}
        for (name, labels), value in counters:
            out.setdefault(name, []).append({"labels": dict(labels), "value": value})
        for (name, labels), counts, total, count in hists:
            cumulative, buckets = 0, {}
            for le, n in zip(BUCKETS + (float("inf"),), counts):
                cumulative += n
                buckets[le] = cumulative
            out.setdefault(name, []).append(
                {"labels": dict(labels), "value": {"count": count, "sum": total, "buckets": buckets}})
        for (name, labels), fn in gauges:
            try:
                value = fn()
            except Exception:  # noqa: BLE001 - a broken gauge must not break the snapshot
                continue
            out.setdefault(name, []).append({"labels": dict(labels), "value": value})
        for series in out.values():
            series.sort(key=lambda s: sorted(s["labels"].items()))
        return out


def _escape(value):
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(labels, extra=None):
    items = sorted(labels.items())
    if extra:
        items.append(extra)
    if not items:
        return ""
    return "{" + ",".join('%s="%s"' % (k, _escape(str(v))) for k, v in items) + "}"


def _number(value):
    if value == float("inf"):
        return "+Inf"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def render(snapshot, extra_labels=None):
    """Prometheus text format (version 0.0.4) for a :meth:`Metrics.snapshot`."""
    lines = []
    for name in sorted(snapshot):
        series = snapshot[name]
        kind, text = _HELP.get(name, ("gauge" if not name.endswith("_total") else "counter", name))
        lines.append("# HELP %s %s" % (name, text))
        lines.append("# TYPE %s %s" % (name, kind))
        for s in series:
            labels = dict(s["labels"])
            if extra_labels:
                labels.update(extra_labels)
            value = s["value"]
            if kind == "histogram":
                for le, n in sorted(value["buckets"].items()):
                    lines.append("%s_bucket%s %d" % (name, _labels(labels, ("le", _number(float(le)))), n))
                lines.append("%s_sum%s %s" % (name, _labels(labels), _number(float(value["sum"]))))
                lines.append("%s_count%s %d" % (name, _labels(labels), value["count"]))
            elif isinstance(value, string_types):
                lines.append("%s%s 1" % (name, _labels(labels, ("value", value))))
            else:
                lines.append("%s%s %s" % (name, _labels(labels), _number(value)))
    return "\n".join(lines) + "\n"


def prometheus_text(client, extra_labels=None):
    """The client's metrics in the Prometheus text exposition format."""
    return render(client.metrics(), extra_labels)


CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def wsgi_app(client_or_getter):
    """A WSGI app answering GET with the Prometheus text of a client (or of ``getter()``, which may return
    None before the client exists). Mount it wherever you like, e.g. under ``/nacos/metrics``."""
    def app(environ, start_response):
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"), ("Content-Length", "0")])
            return [b""]
        body = _body(client_or_getter)
        start_response("200 OK", [("Content-Type", CONTENT_TYPE), ("Content-Length", str(len(body)))])
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else body]
    return app


def _body(client_or_getter):
    client = client_or_getter() if callable(client_or_getter) and not hasattr(client_or_getter, "metrics") \
        else client_or_getter
    return (prometheus_text(client) if client is not None else "").encode("utf-8")


class NullMetrics(Metrics):
    """A registry that records nothing (option ``metrics=False``): every call is a no-op."""

    def inc(self, name, labels=(), amount=1):
        pass

    def observe(self, name, seconds, labels=()):
        pass

    def gauge(self, name, fn, labels=()):
        pass


def register_collector(client, registry=None):
    """With prometheus_client installed: register a collector that exposes the client's figures in
    ``registry`` (default: prometheus_client's global REGISTRY). Returns the collector."""
    from prometheus_client.core import (REGISTRY, CounterMetricFamily, GaugeMetricFamily,
                                        HistogramMetricFamily)

    class NacosCollector(object):
        def collect(self):
            for name, series in sorted(client.metrics().items()):
                kind, text = _HELP.get(name, ("gauge", name))
                labels = sorted(set(k for s in series for k in s["labels"]))
                if kind == "histogram":
                    family = HistogramMetricFamily(name, text, labels=labels)
                    for s in series:
                        value = s["value"]
                        buckets = [(_number(float(le)), n) for le, n in sorted(value["buckets"].items())]
                        family.add_metric([str(s["labels"].get(k, "")) for k in labels], buckets,
                                          value["sum"])
                elif kind == "counter":
                    family = CounterMetricFamily(name[:-len("_total")] if name.endswith("_total") else name,
                                                 text, labels=labels)
                    for s in series:
                        family.add_metric([str(s["labels"].get(k, "")) for k in labels], s["value"])
                else:
                    if any(isinstance(s["value"], string_types) for s in series):
                        labels = labels + ["value"]
                    family = GaugeMetricFamily(name, text, labels=labels)
                    for s in series:
                        value = s["value"]
                        values = [str(s["labels"].get(k, "")) for k in labels if k != "value"]
                        if isinstance(value, string_types):
                            family.add_metric(values + [value], 1)
                        else:
                            family.add_metric(values, value)
                yield family

    collector = NacosCollector()
    (registry or REGISTRY).register(collector)
    return collector


# ------------------------------------------------------------------------------ transport-level metrics
describe("nacos_requests_total", "counter", "Requests to Nacos servers by endpoint kind and outcome.")
describe("nacos_request_seconds", "histogram", "Latency of requests to Nacos servers by endpoint kind.")
describe("nacos_server_rotations_total", "counter", "Moves to another server after a failure.")
describe("nacos_current_server", "gauge", "The server requests go to first (value label).")
describe("nacos_token_refreshes_total", "counter", "Successful logins (token refreshes).")
describe("nacos_login_failures_total", "counter", "Failed logins.")

describe("nacos_config_get_total", "counter", "get_config answers by source: failover, server, snapshot, "
         "not_found.")
describe("nacos_config_watched_keys", "gauge", "Config keys with at least one watcher.")
describe("nacos_config_long_polls_in_flight", "gauge", "Long polls being sent or held by a server.")
describe("nacos_config_changes_total", "counter", "Config changes seen by the watchers.")
describe("nacos_config_callback_seconds", "histogram", "Duration of watcher callbacks.")
describe("nacos_config_callback_errors_total", "counter", "Watcher callbacks that raised.")
describe("nacos_config_notify_delay_seconds", "histogram", "From a change being known to its callback starting.")
describe("nacos_naming_managed_instances", "gauge", "Instances kept alive by managed heartbeats.")
describe("nacos_naming_beats_total", "counter", "Heartbeats sent, by outcome (ok, failed).")
describe("nacos_naming_reregistrations_total", "counter", "Re-registrations after beat code 20404.")
describe("nacos_naming_beat_lateness_seconds", "histogram", "How late beats were sent after they were due.")
describe("nacos_naming_subscriptions", "gauge", "Subscribed services.")
describe("nacos_naming_push_packets_total", "counter", "UDP push packets by outcome (received, acked, "
         "rejected).")
describe("nacos_naming_polls_total", "counter", "Subscription polls by outcome (ok, failed).")
describe("nacos_naming_empty_updates_suppressed_total", "counter", "Updates ignored by push-empty protection.")
describe("nacos_naming_disk_cache_reads_total", "counter", "Service lists served from the naming disk cache.")

describe("nacos_discovery_resolutions_total", "counter", "Service-name URL resolutions by result: hit (from "
         "the subscription cache) or miss (looked up in Nacos), per service.")
describe("nacos_discovery_lookup_seconds", "histogram", "Time to look a service up in Nacos on a cache miss.")
describe("nacos_discovery_picks_total", "counter", "Instances picked for requests, per service and instance.")
describe("nacos_discovery_retries_total", "counter", "Requests sent again to another instance, per service.")
describe("nacos_discovery_no_instance_total", "counter", "Requests that found no usable instance, per service.")
describe("nacos_discovery_instances_sitting_out", "gauge", "Instances skipped after a failure (until their TTL).")

_KINDS = (
    ("/v1/cs/configs/listener", "config_listen"),
    ("/v1/cs/configs", "config"),
    ("/v1/ns/instance/beat", "naming_beat"),
    ("/v1/ns/instance/list", "naming_list"),
    ("/v1/ns/instance", "naming_instance"),
    ("/v1/ns/service", "naming_service"),
    ("/v1/auth/", "auth"),
    # the Nacos 3.x v3 API (a v3 beat is a POST to /v3/client/ns/instance: the transport labels it naming_beat)
    ("/v3/client/cs/config", "config"),
    ("/v3/admin/cs/config", "config"),
    ("/v3/client/ns/instance/list", "naming_list"),
    ("/v3/client/ns/instance", "naming_instance"),
    ("/v3/admin/ns/instance", "naming_instance"),
    ("/v3/admin/ns/service", "naming_service"),
    ("/v3/auth/", "auth"),
)


def endpoint_kind(path):
    """A small fixed set of label values for request paths."""
    for prefix, kind in _KINDS:
        if path.startswith(prefix):
            return kind
    return "other"
