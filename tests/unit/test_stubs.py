"""The .pyi stubs cover the public surface they describe."""
import ast
import io
import os

import nacos
import nacos.exception

ROOT = os.path.dirname(os.path.abspath(nacos.__file__))


def _stub_names(module, cls=None):
    tree = ast.parse(io.open(os.path.join(ROOT, module), encoding="utf-8").read())
    body = tree.body
    names = set()
    if cls:
        node = [n for n in body if isinstance(n, ast.ClassDef) and n.name == cls][0]
        for base in node.bases:  # the stub's own base classes (NacosClient's config and naming calls)
            if isinstance(base, ast.Name) and any(isinstance(n, ast.ClassDef) and n.name == base.id for n in body):
                names |= _stub_names(module, base.id)
        body = node.body
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign if hasattr(ast, "AnnAssign") else ()):
            names.add(node.target.id)
    return names


def test_every_public_client_method_has_a_stub():
    if not hasattr(ast, "AnnAssign"):
        return  # the stubs use Python 3 syntax; checked on Python 3
    stubbed = _stub_names("client.pyi", "NacosClient")
    public = set(n for n in dir(nacos.NacosClient) if not n.startswith("_"))
    assert sorted(public - stubbed) == []
    for service in ("ConfigService", "NamingService"):  # client.config, client.naming
        cls = getattr(nacos.client, service)
        public = set(n for n in dir(cls) if not n.startswith("_"))
        assert sorted(public - _stub_names("client.pyi", service)) == [], service


def test_every_exception_has_a_stub():
    if not hasattr(ast, "AnnAssign"):
        return
    stubbed = _stub_names("exception.pyi")
    public = set(n for n in nacos.exception.__all__)
    assert sorted(public - stubbed) == []


def test_every_settings_name_has_a_stub():
    if not hasattr(ast, "AnnAssign"):
        return
    import nacos.settings.live
    for module, names in (("settings/live.pyi", ["Source", "Change", "LiveSettings", "flatten", "nest"]),
                          ("settings/parsers.pyi", ["detect_format", "parse", "parse_properties",
                                                    "normalize_format", "FORMATS"]),
                          ("settings/flask.pyi", ["bind", "config_key"]),
                          ("settings/django.pyi", ["load_into", "RESTART_REQUIRED"]),
                          ("settings/fastapi.pyi", ["LiveModel", "settings_source"])):
        assert sorted(set(names) - _stub_names(module)) == [], module
    public = set(n for n in dir(nacos.settings.live.LiveSettings) if not n.startswith("_"))
    public -= set(["keys", "items", "values"])  # Mapping's own
    assert sorted(public - _stub_names("settings/live.pyi", "LiveSettings")) == []
