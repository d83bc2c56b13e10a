"""Exit codes of the ``nacos`` command and the mapping of client errors onto them."""
from __future__ import absolute_import

from ..exception import NacosInvalidParam, NacosRequestException

OK = 0
FAILED = 1        # not found, or the server refused / answered an error
USAGE = 2         # bad command line or settings (argparse also exits 2)
UNREACHABLE = 3   # no configured server gave a usable answer


class CliError(Exception):
    """A failure with its exit code and a one-line message for stderr."""

    def __init__(self, message, code=FAILED):
        Exception.__init__(self, message)
        self.code = code


def code_for(exc):
    """The exit code for an exception raised by the client."""
    if isinstance(exc, NacosInvalidParam):
        return USAGE
    if isinstance(exc, NacosRequestException):
        return UNREACHABLE
    return FAILED
