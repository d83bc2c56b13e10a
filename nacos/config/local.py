"""Failover and snapshot files of the config part (legacy layout, see docs/config.md).

Both are flat directories of files named ``dataId+group+namespace`` (``get_configs`` pages use
``+group+namespace``). :mod:`nacos.files` makes the names safe (nothing can leave the base directory), reads
read-only and writes atomically. ``failover_base``/``snapshot_base`` are read from the live options on every
use, so ``set_options`` takes effect at once; None disables the directory.
"""
from __future__ import absolute_import

import hashlib
import logging
import os

from .. import files
from .. import params as P
from ..compat import to_bytes
from ..forksafe import ForkSafeLock

logger = logging.getLogger(__name__)


def key(data_id, group, namespace):
    """The legacy file key ``dataId+group+namespace``."""
    return P.group_key(data_id, group, namespace)


def page_key(group, namespace, page_no=1, page_size=1000):
    """File key of a ``get_configs`` page: legacy ``+group+namespace`` for the default first page; other
    pages get ``+<page_no>-<page_size>`` appended so that two pages never share a file."""
    base = P.group_key("", group, namespace)
    if page_no == 1 and page_size == 1000:
        return base
    return "%s+%d-%d" % (base, page_no, page_size)


def read_text(base, file_key):
    """Content of ``base/file_key`` as text, or None (missing, unreadable or unsafe)."""
    if not base:
        return None
    data = files.read_file(base, file_key)
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        logger.warning("%s in %s is not UTF-8; invalid bytes replaced", file_key, base)
        return data.decode("utf-8", "replace")


_saved = {}  # (base, file_key) -> md5 of what this process last wrote or found there
_saved_lock = ForkSafeLock("local files")
_SAVED_MAX = 100000


def save(base, file_key, content):
    """Write ``content`` to ``base/file_key`` unless it already holds exactly that (saves an fsync). What
    this process wrote is remembered (md5), so an unchanged get_config costs one ``stat``, not a read.
    Errors are logged, never raised: a snapshot is a best-effort cache."""
    if not base:
        return
    data = to_bytes(content)
    digest = hashlib.md5(data).digest()
    slot = (base, file_key)
    try:
        if _saved.get(slot) == digest and os.path.exists(os.path.join(base, files.safe_name(file_key))):
            return
        if files.read_file(base, file_key) != data:
            files.save_file(base, file_key, data)
        with _saved_lock:
            if len(_saved) >= _SAVED_MAX:
                _saved.clear()
            _saved[slot] = digest
    except (IOError, OSError, ValueError) as exc:
        logger.error("cannot write %s in %s: %s", file_key, base, exc)


def delete(base, file_key):
    if base:
        _saved.pop((base, file_key), None)
        files.delete_file(base, file_key)


def snapshot_base(options, no_snapshot=None):
    """The snapshot directory to use, or None when snapshots are off (``no_snapshot`` or no base)."""
    if no_snapshot is None:
        no_snapshot = options["no_snapshot"]
    return None if no_snapshot else options["snapshot_base"]


class FailoverScan(object):
    """One pass over the failover directory (one ``listdir``), answering "is there a failover file for this
    key and what does it hold" cheaply for thousands of keys: only listed names are opened."""

    def __init__(self, base):
        self.base = base
        self.names = frozenset()
        if base:
            try:
                self.names = frozenset(os.listdir(base))
            except OSError:
                pass  # missing directory: no failover files

    def content(self, file_key):
        """The failover content for ``file_key`` or None."""
        if not self.names:
            return None
        try:
            name = files.safe_name(file_key)
        except files.UnsafePath:
            return None
        if name not in self.names and file_key not in self.names:
            return None
        return read_text(self.base, file_key)
