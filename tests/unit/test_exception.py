import pickle

from nacos.exception import (NacosBadRequest, NacosException, NacosForbidden, NacosGone, NacosHTTPError,
                             NacosInvalidParam, NacosNotFound, NacosRequestException, NacosServerError,
                             NacosUnavailable, http_error, redact_url)


def test_redact_url_removes_secrets_and_userinfo():
    url = ("http://user:pw@h:8848/nacos/v1/cs/configs?dataId=a&accessToken=eyJabc&password=pw1"
           "&signature=sig%2F&Spas-Signature=x&group=g")
    red = redact_url(url)
    for secret in ("eyJabc", "pw1", "sig%2F", "user:pw"):
        assert secret not in red
    assert "dataId=a" in red and "group=g" in red and "accessToken=***" in red


def test_http_error_mapping():
    assert isinstance(http_error(400, "GET", "u", "bad"), NacosBadRequest)
    e = http_error(403, "GET", "http://h/x?accessToken=t0k", "token invalid!")
    assert isinstance(e, NacosForbidden) and str(e).startswith("Insufficient privilege.")
    assert "t0k" not in str(e) and e.status == 403 and e.method == "GET"
    assert isinstance(http_error(404, "GET", "u", ""), NacosNotFound)
    assert isinstance(http_error(503, "GET", "u", ""), NacosServerError)
    gone = http_error(410, "GET", "u", "Current API will be deprecated")
    assert isinstance(gone, NacosGone) and isinstance(gone, NacosHTTPError) and gone.status == 410
    assert type(http_error(418, "GET", "u", "")) is NacosHTTPError
    for cls in (NacosBadRequest, NacosServerError, NacosUnavailable, NacosInvalidParam):
        assert issubclass(cls, NacosException)
    assert issubclass(NacosUnavailable, NacosRequestException)
    assert issubclass(NacosInvalidParam, ValueError)


def test_server_message_is_scrubbed_and_shortened():
    e = NacosException("x", server_message='{"accessToken":"eyJsecret","tokenTtl":5}' + "a" * 2000)
    assert "eyJsecret" not in str(e)
    assert len(e.server_message) < 600


def test_exceptions_pickle():
    e = NacosUnavailable("down", attempts=[("http://a:1", "refused")], status=503, method="GET",
                         url="http://a:1/x?password=p")
    e2 = pickle.loads(pickle.dumps(e))
    assert e2.attempts == e.attempts and e2.status == 503 and "password=***" in e2.url
    p = pickle.loads(pickle.dumps(NacosInvalidParam("port", "bad", 70000)))
    assert p.argument == "port" and "port" in str(p)
