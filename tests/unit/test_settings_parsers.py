# -*- coding: utf-8 -*-
"""Typed config parsing (nacos.settings.parsers): detection order, each format, errors naming the line."""
import pickle
import sys

import pytest

from nacos.exception import NacosConfigParseError, NacosException, NacosInvalidParam
from nacos.settings import Change, detect_format, flatten, nest, parse
from nacos.settings.parsers import parse_properties


def test_detection_order_server_type_then_extension_then_argument():
    assert detect_format("app.yaml", "json") == "json"          # the server's type wins
    assert detect_format("app.yaml", "text") == "yaml"          # "text" is Nacos's default: says nothing
    assert detect_format("app.yml", None) == "yaml"
    assert detect_format("app.properties", "") == "properties"
    assert detect_format("app.TOML") == "toml"
    assert detect_format("app", None, "yaml") == "yaml"         # the explicit argument when nothing else tells
    assert detect_format("app.json", None, "yaml") == "json"
    assert detect_format("app", "xml") == "text"
    assert detect_format("app.v2", None) == "text"
    with pytest.raises(NacosInvalidParam) as info:
        detect_format("app", None, "ini")
    assert info.value.argument == "format"


def test_json_yaml_text():
    assert parse('{"a": {"b": 1}, "c": [1, 2]}', "json") == {"a": {"b": 1}, "c": [1, 2]}
    assert parse("a:\n  b: 1\nc: [1, 2]\nd: héllo\n", "yaml") == {"a": {"b": 1}, "c": [1, 2], "d": u"héllo"}
    assert parse("", "yaml") == {}
    assert parse("just text", "text") == "just text"
    assert parse("x", "txt") == "x"


def test_properties_java_semantics():
    text = "\n".join([
        "# comment", "! also a comment", "  ",
        "a=1", "b : 2", "c 3", "d\t= 4 ", "e=", "f",
        "long = one, \\", "       two, \\", "       three",
        "esc=tab\\there\\nnew\\u00e9\\=x", "key\\ with\\:colon = v",
        "db.host=h1", "a=override",
        "backslash=ends\\\\",
    ])
    assert parse_properties(text) == {
        "a": "override", "b": "2", "c": "3", "d": "4 ", "e": "", "f": "", "long": "one, two, three",
        "esc": u"tab\there\nnew\u00e9=x", "key with:colon": "v", "db.host": "h1", "backslash": "ends\\"}
    assert parse("x.y=1\n", "properties") == {"x.y": "1"}


@pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib is 3.11+ (tomli/toml otherwise)")
def test_toml():
    parsed = parse('title = "t"\n[db]\nhost = "h"\nport = 5432\n', "toml")
    assert parsed == {"title": "t", "db": {"host": "h", "port": 5432}}
    with pytest.raises(NacosConfigParseError) as info:
        parse('a = 1\nb = = 2\n', "toml", "app.toml", "G")
    assert info.value.line == 2


@pytest.mark.parametrize("fmt, content, line", [
    ("json", '{\n  "a": 1,\n  "b": \n}', 4),
    ("yaml", "a: 1\nb: [1, 2\nc: 3\n", 3),
    ("yaml", "a: 1\n  b: 2\n", 2),
    ("properties", "a=1\nb=\\u12x4\n", 2),
])
def test_errors_name_data_id_group_type_and_line(fmt, content, line):
    with pytest.raises(NacosConfigParseError) as info:
        parse(content, fmt, "app." + fmt, "G1")
    exc = info.value
    assert isinstance(exc, NacosException)
    assert (exc.data_id, exc.group, exc.config_type, exc.line) == ("app." + fmt, "G1", fmt, line)
    assert "app.%s" % fmt in str(exc) and "G1" in str(exc) and "line %d" % line in str(exc)
    again = pickle.loads(pickle.dumps(exc))
    assert str(again) == str(exc) and again.line == line


def test_a_document_that_is_not_a_mapping_is_an_error():
    with pytest.raises(NacosConfigParseError) as info:
        parse("- a\n- b\n", "yaml", "list.yaml", "G")
    assert "mapping" in str(info.value)


def test_flatten_nest_and_change():
    flat = flatten({"db": {"host": "h", "port": 1}, "tags": [1], "empty": {}})
    assert flat == {"db.host": "h", "db.port": 1, "tags": [1], "empty": {}}
    assert nest(flat) == {"db": {"host": "h", "port": 1}, "tags": [1], "empty": {}}
    change = Change({"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 20, "d": 4}, ("x", "G"))
    assert change.added == {"d": 4} and change.removed == {"c": 3} and change.modified == {"b": (2, 20)}
    assert change.keys == ["b", "c", "d"] and change
    assert not Change({"a": 1}, {"a": 1})
