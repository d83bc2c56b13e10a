"""nacos.settings.fastapi with pydantic: a pydantic-settings source ranked among the env/init sources, and a
LiveModel that keeps its last good model when a change fails validation (embedded server or real Nacos)."""
import threading

import pytest

from nacos.settings import LiveSettings
from nacos.settings.fastapi import LiveModel, settings_source
from support.wait import settles, wait_for


def put(client, data_id, group, content):
    assert client.publish_config(data_id, group, content)
    settles(lambda: client.get_config(data_id, group), content)


def test_pydantic_settings_source(client, group, monkeypatch):
    pydantic_settings = pytest.importorskip("pydantic_settings")
    from pydantic import BaseModel
    put(client, "svc.yaml", group, "greeting: from-nacos\nlimits:\n  max: 7\n")
    live = LiveSettings(client, [("svc.yaml", group)], frozen=True)

    class Limits(BaseModel):
        max: int = 0

    class AppSettings(pydantic_settings.BaseSettings):
        model_config = pydantic_settings.SettingsConfigDict(env_prefix="APP_")
        greeting: str = "none"
        limits: Limits = Limits()

        @classmethod
        def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                       file_secret_settings):
            return (init_settings, env_settings, settings_source(live))  # env beats Nacos

    assert AppSettings().greeting == "from-nacos" and AppSettings().limits.max == 7
    monkeypatch.setenv("APP_GREETING", "from-env")
    assert AppSettings().greeting == "from-env" and AppSettings().limits.max == 7


def test_live_model_keeps_the_last_good_model(client, group, caplog):
    BaseModel = pytest.importorskip("pydantic").BaseModel

    class Limits(BaseModel):
        max: int = 0

    class AppSettings(BaseModel):
        limits: Limits = Limits()

    put(client, "model.yaml", group, "limits:\n  max: 1\n")
    live = LiveSettings(client, [("model.yaml", group)])
    try:
        model = LiveModel(live, AppSettings)
        assert model().limits.max == 1
        seen = threading.Event()
        live.on_change(lambda change: seen.set())
        client.publish_config("model.yaml", group, "limits:\n  max: lots\n")  # valid YAML, invalid model
        assert seen.wait(8.0)
        wait_for(lambda: model.error is not None, timeout=8.0)
        assert model().limits.max == 1 and live["limits.max"] == "lots"
        rejected = [r.getMessage() for r in caplog.records if "rejected" in r.getMessage()]
        assert rejected and "limits.max" in rejected[0] and "lots" not in rejected[0]  # no config content
        client.publish_config("model.yaml", group, "limits:\n  max: 2\n")
        wait_for(lambda: model().limits.max == 2, timeout=8.0)
        assert model.error is None
    finally:
        live.close()
