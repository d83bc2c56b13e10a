"""Users, tokens and the 2.x ``AuthFilter`` decision.

Tokens are opaque JWT-looking strings kept in a table with their expiry. When
auth is enabled a request is accepted with a valid token in the ``accessToken``
parameter or an ``Authorization: Bearer <token>`` header, or with raw
``username``/``password`` parameters (as 2.x accepts). Failures are 403 with the
Spring error JSON and ``user not found!`` / ``token invalid!`` / ``token expired!``.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import base64
import binascii
import json
import os
import threading
import time

from . import errors


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class AuthManager(object):
    """User table plus issued tokens."""

    def __init__(self, users=None, token_ttl=18000):
        self.users = dict(users) if users else {"nacos": "nacos"}
        self.token_ttl = token_ttl
        self._lock = threading.Lock()
        self._tokens = {}

    def wipe(self):
        """Forget every issued token."""
        with self._lock:
            self._tokens = {}

    def expire_all(self):
        """Make every issued token expired."""
        with self._lock:
            for token in self._tokens:
                self._tokens[token] = (self._tokens[token][0], 0.0)

    def authenticate(self, username, password):
        """True when the credentials match a user."""
        return bool(username) and username in self.users and self.users[username] == (password or "")

    def login(self, username, password):
        """The login answer dict, or raise 403 ``user not found!`` (plain text, as 2.x)."""
        if not self.authenticate(username, password):
            raise errors.plain(403, "user not found!")
        expires = time.time() + self.token_ttl
        header = _b64(b'{"alg":"HS256"}')
        claims = _b64(json.dumps({"sub": username, "exp": int(expires)}).encode("utf-8"))
        token = "%s.%s.%s" % (header, claims, binascii.hexlify(os.urandom(16)).decode("ascii"))
        with self._lock:
            self._tokens[token] = (username, expires)
        return {"accessToken": token, "tokenTtl": int(self.token_ttl),
                "globalAdmin": username == "nacos", "username": username}

    def has_admin(self):
        """Whether a global admin (the user ``nacos``) exists."""
        with self._lock:
            return "nacos" in self.users

    def create_admin(self, password):
        """3.x ``POST /v3/auth/user/admin``: add the user ``nacos``; False when it exists already."""
        with self._lock:
            if "nacos" in self.users:
                return False
            self.users["nacos"] = password
        return True

    def login_with_token(self, token):
        """3.x login with a token instead of a password: the login answer for that token's user (``tokenTtl`` =
        the seconds left); raises ``Denied`` for a bad or expired token."""
        username = self.check_token(token)
        with self._lock:
            expires = self._tokens[token][1]
        return {"accessToken": token, "tokenTtl": max(int(expires - time.time()), 0),
                "globalAdmin": username == "nacos", "username": username}

    def check_token(self, token):
        """The token's user, or raise 403 ``token invalid!``/``token expired!`` (message only)."""
        with self._lock:
            found = self._tokens.get(token)
        if found is None:
            raise Denied("token invalid!")
        if found[1] <= time.time():
            raise Denied("token expired!")
        return found[0]

    def check_request(self, req, v3=False, admin=False):
        """Apply the auth filter to ``req``; raises the 403 Spring JSON on failure.

        ``v3``: the 3.x wording (``Code: 401, Message: token invalid!.``), the token also read from an
        ``accessToken`` header; ``admin``: only a global admin passes (``Code: 403, Message: authorization
        failed!.``), as 3.1 answers ``/v3/admin/ns/ops/metrics`` to a user without the admin role.
        """
        token = request_token(req, v3)
        try:
            if token:
                username = self.check_token(token)
            else:
                username = req.param("username")
                if not username or not self.authenticate(username, req.param("password")):
                    raise Denied("User not found! Please check user exist or password is right!" if v3
                                  else "user not found!")
        except Denied as exc:
            if v3:
                raise _v3_denied("Code: 401, Message: %s." % exc.message, req.path)
            raise errors.spring_error(403, exc.message, req.path)
        if admin and username != "nacos":
            raise _v3_denied("Code: 403, Message: authorization failed!.", req.path)
        return username


def _v3_denied(message, path):
    exc = errors.spring_error(403, message, path)
    exc.response.content_type = "application/json"  # 3.x: no charset
    return exc


def request_token(req, v3=False):
    """The token of a request: ``Authorization: Bearer``, else the ``accessToken`` parameter (and on 3.x the
    ``accessToken`` header)."""
    token = None
    authz = req.headers.get("authorization", "")
    if authz.startswith("Bearer "):
        token = authz[len("Bearer "):].strip()
    if not token:
        token = req.param("accessToken")
    if not token and v3:
        token = req.headers.get("accesstoken")
    return token


class Denied(Exception):
    def __init__(self, message):
        Exception.__init__(self, message)
        self.message = message
