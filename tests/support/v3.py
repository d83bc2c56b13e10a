"""The 3.x answer envelope, checked the way the embedded server's v3 tests expect it."""


def envelope(r, status=200, code=0, message="success"):
    """Assert ``r`` is a JSON ``{code, message, data}`` answer with ``status``, ``code`` and ``message``; its data."""
    assert r.status_code == status
    assert r.headers["Content-Type"] == "application/json"
    body = r.json()
    assert set(body) == set(["code", "message", "data"])
    assert (body["code"], body["message"]) == (code, message)
    return body["data"]
