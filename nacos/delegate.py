"""Thin delegates: the legacy methods of :class:`~nacos.NacosClient` that call its services.

``delegate_to(NacosClient, "config", ConfigService)`` gives the client one method per public method of the
service, with the *same* parameter names, order and defaults (so ``inspect`` on Python 2.7 and 3 shows the
legacy signature, and positional calls keep working) and the same docstring; its body is one call,
``self.config.<name>(...)``. Public properties are delegated the same way (reading, and setting when the
service's property has a setter). Names the client already has are left alone.
"""
from __future__ import absolute_import

import inspect
import sys

_PY2 = sys.version_info[0] == 2


def _argspec(fn):
    if _PY2:  # pragma: no cover - exercised on 2.7 only
        spec = inspect.getargspec(fn)
        return spec.args, spec.varargs, spec.keywords, spec.defaults
    spec = inspect.getfullargspec(fn)
    if spec.kwonlyargs:
        raise TypeError("keyword-only parameters cannot be delegated on Python 2: %s" % fn.__name__)
    return spec.args, spec.varargs, spec.varkw, spec.defaults


def _method(attr, name, fn):
    """``def name(self, <fn's parameters>): return self.<attr>.<name>(<them>)``."""
    args, varargs, varkw, defaults = _argspec(fn)
    args = args[1:]  # self
    defaults = tuple(defaults or ())
    first_default = len(args) - len(defaults)
    params, passed = ["self"], []
    for i, arg in enumerate(args):
        params.append(arg if i < first_default else "%s=__defaults[%d]" % (arg, i - first_default))
        passed.append(arg)
    if varargs:
        params.append("*" + varargs)
        passed.append("*" + varargs)
    if varkw:
        params.append("**" + varkw)
        passed.append("**" + varkw)
    source = "def %s(%s):\n    return self.%s.%s(%s)\n" % (name, ", ".join(params), attr, name, ", ".join(passed))
    namespace = {"__defaults": defaults}
    exec(compile(source, "<delegate %s.%s>" % (attr, name), "exec"), namespace)
    method = namespace[name]
    method.__doc__ = fn.__doc__
    return method


def _property(attr, name, prop):
    def fget(self):
        return getattr(getattr(self, attr), name)

    fset = None
    if prop.fset is not None:
        def fset(self, value):
            setattr(getattr(self, attr), name, value)
    return property(fget, fset, doc=prop.__doc__)


def delegate_to(target, attr, service_cls):
    """Give ``target`` (a class) a delegate for every public method and property of ``service_cls``, reaching
    the service through the instance attribute ``attr``. Returns the delegated names."""
    done = []
    for name in sorted(dir(service_cls)):
        if name.startswith("_") or hasattr(target, name):
            continue
        member = inspect.getattr_static(service_cls, name) if hasattr(inspect, "getattr_static") else None
        if member is None:  # Python 2.7: look through the class dicts
            member = next(vars(k)[name] for k in inspect.getmro(service_cls) if name in vars(k))
        if isinstance(member, property):
            setattr(target, name, _property(attr, name, member))
        elif inspect.isfunction(member):
            delegate = _method(attr, name, member)
            delegate.__module__ = target.__module__
            setattr(target, name, delegate)
        else:
            continue
        done.append(name)
    return done
