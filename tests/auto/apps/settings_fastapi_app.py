"""FastAPI with a LiveModel dependency (pydantic model rebuilt on each Nacos change)."""
import logging
import os

import uvicorn
from fastapi import Depends, FastAPI
from pydantic import BaseModel

import nacos

from nacos.settings import LiveSettings
from nacos.settings.fastapi import LiveModel

logging.basicConfig(level=logging.WARNING)


class Limits(BaseModel):
    max: int = 0


class AppSettings(BaseModel):
    greeting: str = "none"
    limits: Limits = Limits()


client = nacos.NacosClient(os.environ["NACOS_SERVER"], namespace=os.environ.get("NACOS_NAMESPACE", ""),
                           username=os.environ.get("NACOS_USERNAME"), password=os.environ.get("NACOS_PASSWORD"))
live = LiveSettings(client, os.environ["SETTINGS_SOURCES"].split(","))
current = LiveModel(live, AppSettings)
app = FastAPI()


@app.get("/")
def index(cfg: AppSettings = Depends(current)):
    return {"greeting": cfg.greeting, "limit": cfg.limits.max}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["APP_PORT"]), log_level="warning")
