"""``python -m nacos``: the ``nacos`` command (nacos/cli)."""
from __future__ import absolute_import

import sys

from nacos.cli import main

if __name__ == "__main__":
    sys.exit(main())
