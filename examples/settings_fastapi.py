"""FastAPI with a pydantic model that follows Nacos (docs/settings.md). Python 3.

    NACOS_SERVER=127.0.0.1:8848 uvicorn examples.settings_fastapi:app
"""
import os

from fastapi import Depends, FastAPI
from pydantic import BaseModel

import nacos
from nacos.settings import LiveSettings
from nacos.settings.fastapi import LiveModel


class Database(BaseModel):
    host: str = "localhost"
    port: int = 5432


class AppSettings(BaseModel):
    greeting: str = "hello"
    db: Database = Database()


client = nacos.NacosClient(os.environ.get("NACOS_SERVER", "127.0.0.1:8848"))
live = LiveSettings(client, ["shared.properties", "api.yaml"])   # api.yaml overrides shared.properties
app_settings = LiveModel(live, AppSettings)   # rebuilt on each change; an invalid change keeps the last model
app = FastAPI()


@app.get("/")
def index(cfg: AppSettings = Depends(app_settings)):
    return {"greeting": cfg.greeting, "db": "%s:%d" % (cfg.db.host, cfg.db.port)}

# With pydantic-settings, rank Nacos among the other sources instead:
#
#     from nacos.settings.fastapi import settings_source
#     class AppSettings(BaseSettings):
#         @classmethod
#         def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
#                                        file_secret_settings):
#             return (init_settings, env_settings, settings_source(live))   # env beats Nacos
