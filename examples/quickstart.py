"""Quickstart: publish a config, read it back, register an instance and list it.

Uses the Nacos at NACOS_SERVER_ADDR (e.g. 127.0.0.1:8848); when it is unset, starts the embedded
Nacos-compatible server that ships with the package (nacos.testing) and uses that.
Runs on Python 2.7 and 3.6+.
"""
from __future__ import print_function

import os
import sys

import nacos


def main():
    address = os.environ.get("NACOS_SERVER_ADDR")
    server = None
    if not address:
        from nacos.testing import NacosServer
        server = NacosServer()
        server.start()
        address = server.address
        print("NACOS_SERVER_ADDR is not set: started the embedded server at %s" % address)
    try:
        run(address)
    finally:
        if server is not None:
            server.stop()
    return 0


def run(address):
    namespace = os.environ.get("NACOS_NAMESPACE", "")
    with nacos.NacosClient(address, namespace=namespace,
                           username=os.environ.get("NACOS_USERNAME"),
                           password=os.environ.get("NACOS_PASSWORD"),
                           snapshot_base=None, failover_base=None) as client:
        print("nacos-http-client %s talking to %s" % (nacos.__version__, address))

        print("publish_config('quickstart.yaml', 'DEFAULT_GROUP', ...) ->",
              client.publish_config("quickstart.yaml", "DEFAULT_GROUP", "greeting: hello\n", config_type="yaml"))
        print("get_config('quickstart.yaml', 'DEFAULT_GROUP') -> %r" %
              client.get_config("quickstart.yaml", "DEFAULT_GROUP"))

        print("add_naming_instance('quickstart-svc', '127.0.0.1', 8080) ->",
              client.add_naming_instance("quickstart-svc", "127.0.0.1", 8080, metadata={"version": "1"}))
        hosts = client.list_naming_instance("quickstart-svc")["hosts"]
        for host in hosts:
            print("  instance %s:%s healthy=%s weight=%s metadata=%s" % (
                host["ip"], host["port"], host["healthy"], host["weight"], host["metadata"]))

        client.remove_naming_instance("quickstart-svc", "127.0.0.1", 8080)
        client.remove_config("quickstart.yaml", "DEFAULT_GROUP")
        print("cleaned up; done")


if __name__ == "__main__":
    sys.exit(main())
