"""Normalising naming answers to the legacy dict shapes, whatever the server version answered.

1.4 answers ``dom``, ungrouped host ``serviceName`` and ``valid``; 2.x answers ``name`` grouped, ``groupName``
and no ``valid``; r-nacos has its own small differences. Callers always get every key of both.
"""
from __future__ import absolute_import

from ..compat import string_types


def _grouped(name, group_name):
    return name if "@@" in name else "%s@@%s" % (group_name, name)


def normalize_host(host, service_name, group_name):
    host = dict(host)
    healthy = bool(host.get("healthy", host.get("valid", True)))
    host["healthy"] = healthy
    host.setdefault("valid", healthy)
    host.setdefault("marked", False)
    host["enabled"] = bool(host.get("enabled", True))
    host["ephemeral"] = bool(host.get("ephemeral", True))
    try:
        host["weight"] = float(host.get("weight", 1.0))
    except (TypeError, ValueError):
        host["weight"] = 1.0
    try:
        host["port"] = int(host.get("port", 0))
    except (TypeError, ValueError):
        host["port"] = 0
    metadata = host.get("metadata")
    host["metadata"] = metadata if isinstance(metadata, dict) else {}
    host.setdefault("clusterName", "DEFAULT")
    host["serviceName"] = _grouped(host.get("serviceName") or service_name, group_name)
    if not host.get("instanceId"):
        host["instanceId"] = "%s#%s#%s#%s" % (host.get("ip"), host["port"], host["clusterName"],
                                              host["serviceName"])
    return host


def normalize_service_info(data, service_name, group_name, clusters=""):
    """A ServiceInfo dict with every legacy key (``name`` grouped, ``dom`` bare, ``hosts`` normalised)."""
    info = dict(data) if isinstance(data, dict) else {}
    info["name"] = _grouped(info.get("name") or info.get("dom") or service_name, group_name)
    info["groupName"] = info.get("groupName") or group_name
    info["dom"] = info["name"].split("@@", 1)[1]
    if not isinstance(info.get("clusters"), string_types):
        info["clusters"] = clusters or ""
    info.setdefault("cacheMillis", 10000)
    hosts = info.get("hosts")
    info["hosts"] = [normalize_host(h, service_name, group_name) for h in hosts if isinstance(h, dict)] \
        if isinstance(hosts, list) else []
    info.setdefault("lastRefTime", 0)
    info.setdefault("checksum", "")
    if "allIPs" not in info and "allIps" in info:  # Nacos 3.x spells it allIps
        info["allIPs"] = info["allIps"]
    info.setdefault("allIPs", False)
    info.setdefault("reachProtectionThreshold", False)
    info["valid"] = bool(info.get("valid", True))
    return info


def normalize_instance(data, service_name, group_name):
    """``GET /v1/ns/instance`` answer with every legacy key."""
    inst = dict(data) if isinstance(data, dict) else {}
    inst.setdefault("service", _grouped(service_name, group_name))
    metadata = inst.get("metadata")
    inst["metadata"] = metadata if isinstance(metadata, dict) else {}
    inst["healthy"] = bool(inst.get("healthy", True))
    inst.setdefault("clusterName", "DEFAULT")
    return inst
