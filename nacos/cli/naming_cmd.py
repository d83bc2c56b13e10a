"""``nacos naming get|register|deregister|watch``: service instances from the shell."""
from __future__ import absolute_import

import json
import threading
import time

from . import common, output
from .codes import FAILED, OK, CliError
from .progress import Progress

DEFAULT_GROUP = "DEFAULT_GROUP"
COLUMNS = ["IP", "PORT", "CLUSTER", "WEIGHT", "HEALTHY", "ENABLED", "EPHEMERAL", "METADATA"]


def add_parser(subparsers):
    """Register ``naming`` and its subcommands."""
    sub = common.command(subparsers, "naming", "list services; list, register and watch the instances of one")
    p = sub("ls", ls, "list the services of a group of the namespace (one page, or --all)")
    p.add_argument("--group", "-g", default=DEFAULT_GROUP, help="group (default DEFAULT_GROUP)")
    p.add_argument("--page", type=int, default=1, help="page number (default 1)")
    p.add_argument("--page-size", type=int, default=100, help="services per page, at most 500 (default 100)")
    p.add_argument("--all", action="store_true", help="every page")
    p = sub("get", get, "list the instances of a service (exit 1 when it has none)")
    _service(p)
    p.add_argument("--healthy-only", action="store_true", help="only healthy instances")
    p = sub("register", register,
            "register an ephemeral instance and keep it alive with heartbeats until Ctrl-C (or SIGTERM), "
            "then deregister it")
    _instance(p)
    p.add_argument("--weight", type=float, default=1.0, help="weight (default 1.0)")
    p.add_argument("--metadata", "-m", action="append", default=[], metavar="KEY=VALUE",
                   help="instance metadata, repeatable")
    p = sub("deregister", deregister, "remove an instance")
    _instance(p)
    p.add_argument("--persistent", action="store_true", help="the instance is persistent (not ephemeral)")
    p = sub("watch", watch, "print the instances now and at every change, until Ctrl-C")
    _service(p)


def _service(parser):
    parser.add_argument("service", metavar="SERVICE")
    parser.add_argument("--group", "-g", default=DEFAULT_GROUP, help="group (default DEFAULT_GROUP)")
    parser.add_argument("--cluster", "-c", default=None, help="only this cluster")


def _instance(parser):
    _service(parser)
    parser.add_argument("ip", metavar="IP")
    parser.add_argument("port", metavar="PORT", type=int)


def _row(host):
    return [host.get("ip"), host.get("port"), host.get("clusterName"), host.get("weight"), host.get("healthy"),
            host.get("enabled"), host.get("ephemeral"), json.dumps(host.get("metadata") or {}, sort_keys=True)]


def _hosts_out(hosts):
    output.table(COLUMNS, sorted((_row(h) for h in hosts), key=lambda row: (row[0], row[1])))


def ls(client, args):
    with Progress(args, u"listing services") as progress:
        page = client.list_naming_services(args.page, args.page_size, args.group)
        names = list(page["doms"])
        while args.all and page["doms"] and len(names) < page["count"]:
            progress.update(u"listing services: %d of %d" % (len(names), page["count"]))
            args.page += 1
            page = client.list_naming_services(args.page, args.page_size, args.group)
            names.extend(page["doms"])
    if args.json:
        output.emit_json({"group": args.group, "count": page["count"], "services": names})
    else:
        output.table(["SERVICE", "GROUP"], [[name, args.group] for name in names])
        if len(names) < page["count"]:
            output.write(u"(%d of %d services; --all for every page)\n" % (len(names), page["count"]))
    return OK


def get(client, args):
    info = client.list_naming_instance(args.service, clusters=args.cluster, group_name=args.group,
                                       healthy_only=args.healthy_only)
    hosts = info.get("hosts") or []
    if args.json:
        output.emit_json(hosts)
    elif hosts:
        _hosts_out(hosts)
    if not hosts:
        raise CliError("service %s (group %s) has no %sinstances"
                       % (args.service, args.group, "healthy " if args.healthy_only else ""), FAILED)
    return OK


def _metadata(pairs):
    metadata = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CliError("--metadata: expected KEY=VALUE, got %r" % (pair,), 2)
        metadata[key] = value
    return metadata


def _said(args, what, **fields):
    if args.json:
        record = {"event": what, "service": args.service, "group": args.group, "ip": args.ip, "port": args.port}
        record.update(fields)
        output.emit_json(record)
    else:
        output.write(u"%s %s:%d in %s (group %s)%s\n"
                     % (what, args.ip, args.port, args.service, args.group,
                        "".join(u", %s %s" % item for item in sorted(fields.items()))))


def register(client, args):
    metadata = _metadata(args.metadata)
    client.add_naming_instance(args.service, args.ip, args.port, cluster_name=args.cluster, weight=args.weight,
                               metadata=metadata, group_name=args.group)
    _said(args, "registered", until="Ctrl-C")
    try:
        common.wait_for_interrupt()
    finally:
        client.remove_naming_instance(args.service, args.ip, args.port, cluster_name=args.cluster,
                                      group_name=args.group)
        _said(args, "deregistered")
    return OK


def deregister(client, args):
    client.remove_naming_instance(args.service, args.ip, args.port, cluster_name=args.cluster,
                                  ephemeral=not args.persistent, group_name=args.group)
    _said(args, "deregistered")
    return OK


def watch(client, args):
    lock = threading.Lock()

    def changed(event):
        hosts = event.get("hosts") or []
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
        with lock:
            if args.json:
                output.emit_json({"time": stamp, "service": args.service, "group": args.group, "hosts": hosts})
                return
            healthy = len([h for h in hosts if h.get("healthy")])
            output.write(u"--- %s %s (group %s): %d instances, %d healthy\n"
                         % (stamp, args.service, args.group, len(hosts), healthy))
            if hosts:
                _hosts_out(hosts)

    client.list_naming_instance(args.service, clusters=args.cluster, group_name=args.group)  # fails early (exit 3)
    client.subscribe(args.service, changed, cluster_name=args.cluster, group_name=args.group)
    common.wait_for_interrupt()
    return OK
