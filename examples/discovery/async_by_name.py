"""Call a service by its Nacos name with httpx (sync and async) and aiohttp (Python 3.7+).

``pip install httpx aiohttp``. Like call_by_name.py: two local backends registered as ``hello`` in the Nacos
at NACOS_SERVER, or in the embedded server when that is unset.
"""
import asyncio
import os

import nacos
from nacos.auto.discovery import configure

from call_by_name import backend


async def run_async():
    from nacos.auto.discovery.ext.aiohttp import get_session
    from nacos.auto.discovery.ext.httpx import AsyncClient
    async with AsyncClient(timeout=5) as client:
        for _ in range(2):
            print("httpx async:", (await client.get("http://hello/greet?via=httpx-async")).text.strip())
    async with get_session() as session:
        for _ in range(2):
            async with session.get("http://hello/greet?via=aiohttp") as resp:
                print("aiohttp:    ", (await resp.text()).strip())


def main():
    from nacos.auto.discovery.ext.httpx import Client
    address = os.environ.get("NACOS_SERVER")
    embedded = None
    if not address:
        from nacos.testing import NacosServer
        embedded = NacosServer(push_mode="all")
        embedded.start()
        address = embedded.address
    backends = [backend("instance-1"), backend("instance-2")]
    registrar = nacos.NacosClient(address, naming_cache_dir=None)
    try:
        for server in backends:
            registrar.add_naming_instance("hello", "127.0.0.1", server.server_address[1])
        configure(server=address, client_options={"naming_cache_dir": None})
        with Client(timeout=5) as client:
            for _ in range(2):
                print("httpx:      ", client.get("http://hello/greet?via=httpx").text.strip())
        asyncio.run(run_async())
    finally:
        for server in backends:
            registrar.remove_naming_instance("hello", "127.0.0.1", server.server_address[1])
            server.shutdown()
        registrar.stop()
        if embedded is not None:
            embedded.stop()


if __name__ == "__main__":
    main()
