"""The settings loader: every flag, every env var, both yaml layouts, precedence, and clear errors."""
import os

import pytest

from nacos.auto import fields
from nacos.auto.cli import build_parser
from nacos.auto.config import SettingsError, load_settings

# one valid raw value per key, and what it becomes
SAMPLES = {
    "nacos.server": ("10.0.0.5:8848,10.0.0.6:8848", ["10.0.0.5:8848", "10.0.0.6:8848"]),
    "nacos.namespace": ("dev-1", "dev-1"),
    "nacos.username": ("alice", "alice"),
    "nacos.password": ("pw", "pw"),
    "nacos.access_key": ("AK1", "AK1"),
    "nacos.secret_key": ("SK1", "SK1"),
    "nacos.context_path": ("api/", "/api"),
    "nacos.tls_verify": ("no", False),
    "service.name": ("orders", "orders"),
    "service.port": ("8081", 8081),
    "service.ip": ("10.1.1.1", "10.1.1.1"),
    "service.group": ("G2", "G2"),
    "service.cluster": ("east", "east"),
    "service.weight": ("2.5", 2.5),
    "service.metadata": ("a=1,b=2", {"a": "1", "b": "2"}),
    "registration.auto_register": ("false", False),
    "registration.register_on_startup": ("false", False),
    "registration.register_on_request": ("false", False),
    "registration.retry_times": ("7", 7),
    "registration.retry_interval": ("0.5", 0.5),
    "registration.retry_max_interval": ("20", 20.0),
    "heartbeat.interval": ("1.5", 1.5),
    "heartbeat.timeout": ("4", 4.0),
    "shutdown.graceful": ("false", False),
    "shutdown.timeout": ("9", 9.0),
    "shutdown.deregister": ("false", False),
    "logging.level": ("debug", "DEBUG"),
    "logging.file": ("/tmp/x.log", "/tmp/x.log"),
    "logging.metrics_path": ("/nacos/metrics", "/nacos/metrics"),
    "discovery.empty_protection": ("false", False),
    "discovery.strategy": ("weighted-random", "weighted_random"),
    "discovery.retries": ("4", 4),
    "discovery.group": ("G9", "G9"),
    "discovery.namespace": ("ns9", "ns9"),
    "discovery.cluster": ("a,b", ["a", "b"]),
    "discovery.metadata": ('{"zone": "z1"}', {"zone": "z1"}),
    "config.sources": ("app.yaml:G1,extra.yaml?", [
        {"data_id": "app.yaml", "group": "G1", "required": True, "format": None, "key": None},
        {"data_id": "extra.yaml", "group": "DEFAULT_GROUP", "required": False, "format": None, "key": None}]),
    "config.prefix": ("app", "app"),
    "config.frozen": ("true", True),
}
BAD = {"nacos.server": ",", "nacos.namespace": "bad ns!", "service.name": "a@@b", "service.port": "70000",
       "service.ip": "not.an.ip", "service.group": "x" * 200, "service.cluster": "no_underscore",
       "service.weight": "heavy", "service.metadata": "novalue", "registration.auto_register": "maybe",
       "registration.retry_times": "-1", "registration.retry_interval": "-2", "heartbeat.interval": "0",
       "heartbeat.timeout": "fast", "registration.retry_max_interval": "0", "shutdown.timeout": "0",
       "logging.level": "LOUD",
       "discovery.strategy": "fastest", "discovery.retries": "1.5", "config.sources": "a b"}


def test_every_key_has_a_sample_and_an_env_var():
    assert sorted(SAMPLES) == sorted(f.key for f in fields.FIELDS)
    assert all(f.env and f.env.startswith("NACOS_") for f in fields.FIELDS)


def test_defaults(tmpdir):
    s = load_settings(env={}, cwd=str(tmpdir))
    assert s.nacos.server == ["127.0.0.1:8848"] and s.nacos.namespace == ""
    assert s.service.port is None and s.service.ip is None and s.service.name is None
    assert s.service.group == "DEFAULT_GROUP" and s.service.cluster == "DEFAULT" and s.service.weight == 1.0
    assert s.registration.register_on_startup and s.registration.register_on_request
    assert s.discovery.group == "DEFAULT_GROUP" and s.file is None
    assert set(s.sources.values()) <= {"default", "default (service.group)", "default (nacos.namespace)"}


@pytest.mark.parametrize("field", fields.FIELDS, ids=lambda f: f.key)
def test_every_env_var(field, tmpdir):
    raw, expected = SAMPLES[field.key]
    s = load_settings(env={field.env: raw}, cwd=str(tmpdir))
    assert s.get(field.key) == expected
    assert s.sources[field.key] == "env %s" % field.env


@pytest.mark.parametrize("field", [f for f in fields.FIELDS if f.flag], ids=lambda f: f.flag)
def test_every_flag(field, tmpdir):
    raw, expected = SAMPLES[field.key]
    if field.flag_kind == "bool":
        argv = ["--no-" + field.flag[2:]] if expected is False else [field.flag]
        other = [field.flag] if expected is False else ["--no-" + field.flag[2:]]
        assert load_settings(cli_args=other, env={}, cwd=str(tmpdir)).get(field.key) is (not expected)
    elif field.flag_kind == "append":
        argv = [field.flag, raw]
    else:
        argv = [field.flag, raw]
    s = load_settings(cli_args=argv, env={}, cwd=str(tmpdir))
    assert s.get(field.key) == expected
    assert s.sources[field.key] == "cli %s" % field.flag


def test_repeated_flags_accumulate(tmpdir):
    s = load_settings(cli_args=["--metadata", "a=1", "--metadata", "b=x=y", "--nacos-server", "h1:1",
                                "--nacos-server", "h2:2,h3:3"], env={}, cwd=str(tmpdir))
    assert s.service.metadata == {"a": "1", "b": "x=y"}
    assert s.nacos.server == ["h1:1", "h2:2", "h3:3"]


def test_register_on_request_alone_turns_startup_off(tmpdir):
    s = load_settings(cli_args=["--register-on-request"], env={}, cwd=str(tmpdir))
    assert s.registration.register_on_request and not s.registration.register_on_startup
    s = load_settings(cli_args=["--register-on-request", "--register-on-startup"], env={}, cwd=str(tmpdir))
    assert s.registration.register_on_startup


TOP = """
nacos:
  server: file-host:8848
  namespace: file-ns
service:
  name: file-name
  port: 7000
  metadata: {k: v, n: 1}
registration: {retry_times: 9}
heartbeat: {interval: 2}
discovery: {strategy: random}
"""
NESTED = """
nacos:
  server: file-host:8848
  namespace: file-ns
  service:
    name: file-name
    port: 7000
    metadata: {k: v, n: 1}
  registration: {retry_times: 9}
  heartbeat: {interval: 2}
  discovery: {strategy: random}
"""


@pytest.mark.parametrize("layout", [TOP, NESTED], ids=["top-level", "nested"])
@pytest.mark.parametrize("name", ["nacos.yaml", "nacos.yml", "application.yaml", "application.yml"])
def test_file_layouts_and_names(tmpdir, layout, name):
    tmpdir.join(name).write(layout)
    s = load_settings(env={}, cwd=str(tmpdir))
    assert s.file == os.path.join(str(tmpdir), name)
    assert s.nacos.server == ["file-host:8848"] and s.nacos.namespace == "file-ns"
    assert s.service.name == "file-name" and s.service.port == 7000
    assert s.service.metadata == {"k": "v", "n": "1"}
    assert s.registration.retry_times == 9 and s.heartbeat.interval == 2.0
    assert s.discovery.strategy == "random" and s.discovery.namespace == "file-ns"
    assert s.sources["service.port"] == "file %s" % s.file


def test_nacos_yaml_wins_over_application_yaml(tmpdir):
    tmpdir.join("application.yaml").write("service: {port: 1}\n")
    tmpdir.join("nacos.yaml").write("service: {port: 2}\n")
    assert load_settings(env={}, cwd=str(tmpdir)).service.port == 2


def test_precedence_cli_over_env_over_file_over_default(tmpdir):
    tmpdir.join("nacos.yaml").write("service: {port: 1000, name: f, group: FG, cluster: fc}\n")
    env = {"NACOS_SERVICE_PORT": "2000", "NACOS_SERVICE_NAME": "e", "NACOS_SERVICE_GROUP": "EG"}
    s = load_settings(cli_args=["--service-port", "3000"], env=env, cwd=str(tmpdir))
    assert s.service.port == 3000 and s.sources["service.port"] == "cli --service-port"
    assert s.service.name == "e" and s.sources["service.name"] == "env NACOS_SERVICE_NAME"
    assert s.service.cluster == "fc" and s.sources["service.cluster"].startswith("file ")
    assert s.service.weight == 1.0 and s.sources["service.weight"] == "default"
    assert s.discovery.group == "EG"  # follows service.group unless set


@pytest.mark.parametrize("key", sorted(BAD))
def test_bad_values_name_key_and_source(tmpdir, key):
    field = fields.BY_KEY[key]
    with pytest.raises(SettingsError) as info:
        load_settings(env={field.env: BAD[key]}, cwd=str(tmpdir))
    assert str(info.value).startswith("invalid %s from env %s: " % (key, field.env))
    if field.flag and field.flag_kind != "bool":
        with pytest.raises(SettingsError) as info:
            load_settings(cli_args=[field.flag, BAD[key]], env={}, cwd=str(tmpdir))
        assert "from cli %s" % field.flag in str(info.value)


def test_bad_file_values_and_keys(tmpdir):
    path = tmpdir.join("nacos.yaml")
    path.write("service: {port: abc}\n")
    with pytest.raises(SettingsError) as info:
        load_settings(env={}, cwd=str(tmpdir))
    assert "invalid service.port from file %s" % path in str(info.value)
    path.write("service: {prot: 1}\n")
    with pytest.raises(SettingsError) as info:
        load_settings(env={}, cwd=str(tmpdir))
    assert "service.prot" in str(info.value) and "unknown key" in str(info.value)
    path.write("service: [1, 2]\n")
    with pytest.raises(SettingsError):
        load_settings(env={}, cwd=str(tmpdir))
    path.write("service: {port: [\n")
    with pytest.raises(SettingsError) as info:
        load_settings(env={}, cwd=str(tmpdir))
    assert "cannot read it" in str(info.value)


def test_application_yaml_tolerates_foreign_keys_and_serving_python_keys(tmpdir):
    tmpdir.join("application.yaml").write("spring: {x: 1}\nservice: {port: 5, other: 1}\n")
    assert load_settings(env={}, cwd=str(tmpdir)).service.port == 5
    tmpdir.join("nacos.yaml").write("nacos:\n  group: LOOKUP\n  advanced: {cache_dir: x}\n"
                                    "  service: {enabled: true, port: 6}\n")
    s = load_settings(env={}, cwd=str(tmpdir))
    assert s.service.port == 6 and s.discovery.group == "LOOKUP"


def test_dict_cli_args_and_masking(tmpdir):
    s = load_settings(cli_args={"nacos.password": "hunter2", "nacos.server": "h:1",
                                "nacos.secret_key": "s3cr3t"}, env={}, cwd=str(tmpdir))
    assert s.nacos.password == "hunter2"
    text = s.dump() + repr(s)
    assert "hunter2" not in text and "s3cr3t" not in text and "******" in text
    assert s.as_dict(mask=False)["nacos"]["password"] == "hunter2"
    kwargs = s.client_kwargs()
    assert kwargs["password"] == "hunter2" and kwargs["server_addresses"] == "h:1"
    with pytest.raises(SettingsError):
        load_settings(cli_args={"service.nope": 1}, env={}, cwd=str(tmpdir))
    with pytest.raises(SettingsError) as info:  # credentials belong in username/password
        load_settings(cli_args={"nacos.server": "http://u:pw@h:1"}, env={}, cwd=str(tmpdir))
    assert "user info is not allowed" in str(info.value)


def test_parser_has_a_flag_for_every_flagged_field_and_its_help_names_env_and_key():
    text = build_parser().format_help()
    for field in fields.FIELDS:
        if field.flag:
            assert field.flag in text and field.env in text
    for flag in ("--no-auto-register", "--dry-run", "--show-config", "--username", "--access-key"):
        assert flag in text


def test_the_example_file_loads():
    example = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                           "examples", "auto", "nacos.yaml")
    s = load_settings(env={}, config_file=example)
    assert s.service.name == "hello" and s.logging.level == "INFO" and s.service.metadata == {"version": "1"}


def test_config_sources_from_the_yaml_file_both_forms(tmpdir):
    tmpdir.join("nacos.yaml").write(
        "config:\n  sources:\n    - {data_id: shared.properties, group: SHARED}\n"
        "    - {dataId: app.yaml, required: false, format: yaml}\n    - \"flags.json:F\"\n  prefix: app\n")
    s = load_settings(env={}, cwd=str(tmpdir))
    assert [(c["data_id"], c["group"], c["required"], c["format"]) for c in s.config.sources] == [
        ("shared.properties", "SHARED", True, None), ("app.yaml", "DEFAULT_GROUP", False, "yaml"),
        ("flags.json", "F", True, None)]
    assert s.config.prefix == "app" and s.config.frozen is False
    env = load_settings(env={"NACOS_CONFIG_SOURCES": "x.yaml"}, cwd=str(tmpdir))  # env beats the file
    assert [c["data_id"] for c in env.config.sources] == ["x.yaml"]
    tmpdir.join("nacos.yaml").write("config:\n  sources:\n    - {data_id: a.yaml, colour: red}\n")
    with pytest.raises(SettingsError) as info:
        load_settings(env={}, cwd=str(tmpdir))
    assert "config.sources" in str(info.value) and "colour" in str(info.value)
