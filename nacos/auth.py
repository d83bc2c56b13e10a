"""Credentials (legacy names), the username/password token manager and the AK/SK signers.

* :class:`TokenManager` logs in with ``POST {context}/v1/auth/login`` (credentials in the form body, never in
  a URL), caches the access token and refreshes it before ``tokenTtl`` runs out, or at once after the server
  says the token is invalid or expired.
* :func:`sign_config` and :func:`sign_naming` implement the two Spas signing schemes (HMAC-SHA1, base64).
"""
from __future__ import absolute_import

import base64
import hashlib
import hmac
import logging
import time

from .compat import monotonic, to_bytes
from .exception import NacosForbidden, NacosResponseError, NacosUnavailable
from .forksafe import ForkSafeLock

logger = logging.getLogger(__name__)

__all__ = ["Credentials", "CredentialsProvider", "StaticCredentialsProvider", "TokenManager",
           "sign", "sign_config", "sign_naming"]


class Credentials(object):
    """An access key, its secret and an optional STS security token (legacy ``nacos.auth``)."""

    def __init__(self, access_key_id, access_key_secret, security_token=None):
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.security_token = security_token

    def get_access_key_id(self):
        return self.access_key_id

    def get_access_key_secret(self):
        return self.access_key_secret

    def get_security_token(self):
        return self.security_token

    def __repr__(self):
        return "Credentials(access_key_id=%r, access_key_secret=***, security_token=%s)" % (
            self.access_key_id, "***" if self.security_token else None)


class CredentialsProvider(object):
    """Base class: ``get_credentials()`` returns a :class:`Credentials` (called before every signed request,
    so a provider may rotate STS tokens)."""

    def get_credentials(self):
        raise NotImplementedError


class StaticCredentialsProvider(CredentialsProvider):
    def __init__(self, access_key_id="", access_key_secret="", security_token=""):
        self.credentials = Credentials(access_key_id, access_key_secret, security_token)

    def get_credentials(self):
        return self.credentials


def sign(data, secret):
    """``base64(HMAC-SHA1(secret, data))`` as text."""
    digest = hmac.new(to_bytes(secret), to_bytes(data), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii").strip()


def _timestamp():
    return str(int(time.time() * 1000))


def sign_config(credentials, tenant, group, timestamp=None):
    """Headers for a config (``/cs/``) request: Spas-AccessKey, Timestamp, Spas-Signature[, Spas-SecurityToken].

    The signed string is ``tenant+group+ts`` when both are present, ``group+ts`` or ``tenant+ts`` when one
    is, and ``ts`` otherwise.
    """
    ts = timestamp or _timestamp()
    parts = [p for p in (tenant, group) if p]
    resource = "+".join(parts + [ts])
    headers = {
        "Spas-AccessKey": credentials.access_key_id,
        "Timestamp": ts,
        "Spas-Signature": sign(resource, credentials.access_key_secret),
    }
    if credentials.security_token:
        headers["Spas-SecurityToken"] = credentials.security_token
    return headers


def sign_naming(credentials, service_name, group_name, timestamp=None):
    """Query parameters for a naming (``/ns/``) request: ak, data, signature[, Spas-SecurityToken].

    ``data`` is ``ts@@group@@service`` (``ts@@service`` when the name is already grouped or no group is
    given, ``ts`` without a service).
    """
    ts = timestamp or _timestamp()
    if service_name:
        if "@@" in service_name or not group_name:
            data = ts + "@@" + service_name
        else:
            data = ts + "@@" + group_name + "@@" + service_name
    else:
        data = ts
    params = {"ak": credentials.access_key_id, "data": data,
              "signature": sign(data, credentials.access_key_secret)}
    if credentials.security_token:
        params["Spas-SecurityToken"] = credentials.security_token
    return params


_TOKEN_REJECTED = ("token invalid", "token expired", "token is invalid", "token is expired", "invalid token")


def is_token_rejection(body):
    """True when a 403 body says the access token (not the user's rights) is the problem."""
    text = (body or "").lower()
    return any(marker in text for marker in _TOKEN_REJECTED)


#: seconds a thread waits for another thread's login before it raises NacosLockTimeout (a login is bounded by
#: the transport's timeouts, so only a stuck holder or a lock inherited across a fork makes anyone wait this long)
LOGIN_LOCK_TIMEOUT = 120.0


class TokenManager(object):
    """Holds the access token for a username/password pair.

    ``login`` is a callable ``login(form) -> Response`` supplied by the transport (it posts to
    ``/v1/auth/login`` through the normal rotation, without auth injection).
    """

    #: refresh this share of the TTL before it runs out (Java 1.4: ttl/10) ...
    REFRESH_RATIO = 0.1
    #: ... but at least this many seconds (up to half the TTL), so short TTLs leave time for a request
    REFRESH_MARGIN = 5.0

    def __init__(self, username, password, login):
        self.username = username
        self._password = password
        self._login = login
        # held for a whole login: a waiter gives up (NacosLockTimeout) rather than hang behind a stuck holder
        self._lock = ForkSafeLock("token manager", timeout=LOGIN_LOCK_TIMEOUT)
        self.token = None
        self.token_ttl = None
        self._expires_at = 0.0
        self.refreshes = 0
        self.failures = 0

    def valid(self):
        return self.token is not None and monotonic() < self._expires_at

    def get_token(self, force_refresh=False):
        """Return a valid token, logging in when there is none or it is about to expire."""
        if not force_refresh and self.valid():
            return self.token
        with self._lock:
            if not force_refresh and self.valid():
                return self.token
            self._do_login()
            return self.token

    def invalidate(self, token):
        """Forget ``token`` (when the server rejected it), unless another thread already replaced it."""
        with self._lock:
            if self.token == token:
                self._expires_at = 0.0

    def _do_login(self):
        try:
            resp = self._login({"username": self.username, "password": self._password})
        except NacosForbidden as exc:
            self.failures += 1
            raise NacosForbidden("login failed for user %r: %s" % (self.username, exc.server_message),
                                 status=exc.status, method=exc.method, url=exc.url)
        except NacosUnavailable as exc:
            self.failures += 1
            if exc.attempts and all(reason.startswith("HTTP 5") for _, reason in exc.attempts):
                raise NacosUnavailable(
                    "login failed for user %r: every server answered the login with HTTP %s (Nacos 3.x answers "
                    "500 to an unknown user or a wrong password)" % (self.username, exc.status),
                    attempts=exc.attempts, status=exc.status, method=exc.method, url=exc.url)
            raise
        except Exception:
            self.failures += 1
            raise
        data = resp.json()
        token = data.get("accessToken") if isinstance(data, dict) else None
        if not token:
            self.failures += 1
            raise NacosResponseError("login answer has no accessToken", status=resp.status,
                                     method="POST", url=resp.url)
        try:
            ttl = float(data.get("tokenTtl") or 18000)
        except (TypeError, ValueError):
            ttl = 18000.0
        self.token = token
        self.token_ttl = ttl
        margin = max(ttl * self.REFRESH_RATIO, min(ttl * 0.5, self.REFRESH_MARGIN))
        self._expires_at = monotonic() + ttl - margin
        self.refreshes += 1
        logger.info("logged in to nacos as %r; token valid for %ss", self.username, int(ttl))
