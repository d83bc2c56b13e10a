"""``python -m nacos.auto.registration [options] app.py``: the launcher (:mod:`nacos.auto.cli`); the
console script ``nacos-register`` calls :func:`main`. ``import nacos.auto.registration.enabled`` is the
import trigger."""
from __future__ import absolute_import

from ..args import build_parser  # noqa: F401
from ..cli import main  # noqa: F401
