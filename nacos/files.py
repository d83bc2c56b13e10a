"""Local files: failover, snapshot and cache files (legacy module name).

* Names stay the legacy flat ``dataId+group+namespace`` so existing failover files keep working; a name
  longer than 255 bytes is shortened to its start plus a hash (``%~<sha256>``), so long keys have files too.
* No key can leave its base directory: separators, NUL, ``.``/``..`` and (on Windows) reserved characters are
  percent-encoded, and the resolved path is checked to be inside the base.
* Writes are atomic: a temporary file in the same directory, flushed and fsync'd, then renamed over the
  target. A reader sees the old content or the new one, never a half-written file, also with several
  processes writing at once (the last rename wins).
* Reads open the file read-only, so read-only failover files work.
"""
from __future__ import absolute_import

import errno
import hashlib
import logging
import os
import re
import sys

from .compat import PY2, text_type, to_bytes

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

use_fcntl = fcntl is not None  # legacy name

logger = logging.getLogger(__name__)

_WINDOWS = sys.platform.startswith("win")
_UNSAFE = re.compile(u'[\x00-\x1f\x7f/\\\\%<>:"|?*]' if _WINDOWS else u"[\x00-\x1f\x7f/\\\\%]")
_TEMP_PREFIX = ".nacos-tmp-"
NAME_MAX = 255  # bytes in one file name (ext4, xfs, btrfs, APFS)
_LONG_MARK = u"%~"  # never in an encoded name, whose "%" is always followed by two hex digits


class UnsafePath(ValueError):
    """A key that would resolve outside its base directory."""


def safe_name(key):
    """The file name for ``key``: unsafe characters percent-encoded; ``.`` and ``..`` refused."""
    if isinstance(key, bytes) and not isinstance(key, text_type):
        key = key.decode("utf-8")
    name = _UNSAFE.sub(lambda m: "%%%02X" % ord(m.group(0)), key)
    if name in ("", ".", "..") or name.startswith(_TEMP_PREFIX):
        raise UnsafePath("refusing file name %r" % (key,))
    return _fit(name)


def _fit(name):
    """``name``, or for one longer than NAME_MAX bytes: its start, ``%~`` and the sha256 of the whole name,
    so that every key (a dataId may be 256 characters, each up to 3 UTF-8 bytes) has a file."""
    raw = name.encode("utf-8")
    if len(raw) <= NAME_MAX:
        return name
    digest = hashlib.sha256(raw).hexdigest()
    head = raw[:NAME_MAX - len(_LONG_MARK) - len(digest)].decode("utf-8", "ignore")
    return head + _LONG_MARK + digest


def path_for(base, key):
    """The path of ``key`` inside ``base``; raises :class:`UnsafePath` if it would leave ``base``."""
    name = safe_name(key)
    base_real = os.path.realpath(base)
    path = os.path.join(base_real, name)
    if os.path.dirname(os.path.realpath(path)) != base_real:
        raise UnsafePath("%r resolves outside %r" % (key, base))
    return path


def _legacy_path(base, key):
    """The raw legacy path (no encoding) when it is a plain file name; else None."""
    if not key or "/" in key or "\\" in key or "\x00" in key or key in (".", ".."):
        return None
    return os.path.join(base, key)


def read_file_str(base, key):
    """Content of ``base/key`` as text, or None when the file is missing or unreadable (legacy)."""
    content = read_file(base, key)
    return content.decode("utf-8") if content is not None else None


def read_file(base, key):
    """Content of ``base/key`` as bytes, or None when missing; read-only open, never writes.

    ``safe_name`` makes the key one plain file name (no separator, never ``.``/``..``), so the path cannot
    name anything outside ``base``; reading needs no ``realpath`` (that check guards writes)."""
    try:
        path = os.path.join(base, safe_name(key))
    except UnsafePath as exc:
        logger.warning("not reading %s", exc)
        return None
    candidates = [path]
    legacy = _legacy_path(base, key)
    if legacy is not None and legacy != path:
        candidates.append(legacy)
    for candidate in candidates:
        try:
            with open(candidate, "rb") as fp:
                return fp.read()
        except (IOError, OSError) as exc:
            if exc.errno not in (errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG):
                logger.error("cannot read %s: %s", candidate, exc)
    return None


def mtime(base, key):
    """Modification time of ``base/key`` or None."""
    try:
        return os.stat(path_for(base, key)).st_mtime
    except (UnsafePath, OSError):
        return None


def save_file(base, key, content):
    """Atomically write ``content`` (text or bytes) to ``base/key``, creating ``base`` if needed."""
    path = path_for(base, key)
    _makedirs(os.path.dirname(path))
    data = to_bytes(content)
    import tempfile  # on the first write, not on import
    fd, tmp = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=os.path.dirname(path))
    try:
        with os.fdopen(fd, "wb") as fp:
            fp.write(data)
            fp.flush()
            os.fsync(fp.fileno())
        _replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def delete_file(base, key):
    """Remove ``base/key``; a missing file is not an error."""
    try:
        path = path_for(base, key)
    except UnsafePath as exc:
        logger.warning("not deleting %s", exc)
        return
    try:
        os.remove(path)
    except OSError as exc:
        if exc.errno != errno.ENOENT:
            logger.error("cannot delete %s: %s", path, exc)


def lock_file(f):
    """Take an exclusive advisory lock on an open file (POSIX; a no-op elsewhere). Legacy helper."""
    if fcntl is not None:
        fcntl.flock(f, fcntl.LOCK_EX)


def _makedirs(path):
    try:
        os.makedirs(path)
    except OSError as exc:
        if exc.errno != errno.EEXIST or not os.path.isdir(path):
            raise


if not PY2:
    _replace = os.replace
elif _WINDOWS:  # pragma: no cover - Python 2 on Windows has no atomic replace
    def _replace(src, dst):
        try:
            os.rename(src, dst)
        except OSError:
            os.remove(dst)
            os.rename(src, dst)
else:  # pragma: no cover - Python 2 on POSIX: rename replaces atomically
    _replace = os.rename
