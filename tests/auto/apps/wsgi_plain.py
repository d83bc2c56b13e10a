"""A bare WSGI callable (for ``nacos-register wsgi_plain:application``)."""


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"plain ok"]
