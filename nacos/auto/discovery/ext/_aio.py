"""The retry loop of :meth:`nacos.auto.discovery.call.Call.run` for an event loop (Python 3 only; used by
the httpx and aiohttp adapters)."""


async def run(call, send, errors, before_send):
    """Await ``send(url)`` to the next instance until it answers or ``call.failed`` says not to try again;
    ``errors`` and ``before_send`` as for :meth:`~nacos.auto.discovery.call.Call.run`."""
    while True:
        try:
            response = await send(call.next_url())
        except errors as exc:
            if call.failed(exc, not before_send(exc)):
                continue
            raise
        call.succeeded()
        return response
