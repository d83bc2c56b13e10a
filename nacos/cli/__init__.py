"""The ``nacos`` command (and ``python -m nacos``): config from the shell, for people who run Nacos.

Built on the public client only (:class:`nacos.NacosClient`). Nothing here is imported by ``import nacos``.
Exit codes: 0 ok, 1 not found or failed, 2 usage, 3 cannot reach any server (docs/cli.md).
"""
from __future__ import absolute_import


def main(argv=None):
    """Run the command line; returns the exit code."""
    from .main import main as run
    return run(argv)
