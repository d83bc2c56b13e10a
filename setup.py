"""nacos-http-client: a drop-in, synchronous Nacos v1 HTTP client for Python 2.7 and 3.6+."""
import io
import os
import re

from setuptools import find_packages, setup

HERE = os.path.abspath(os.path.dirname(__file__))


def read(*parts):
    with io.open(os.path.join(HERE, *parts), encoding="utf-8") as fp:
        return fp.read()


VERSION = re.search(r'^__version__ = "([^"]+)"', read("nacos", "_version.py"), re.M).group(1)

TEST_REQUIRES = [
    "pytest>=4.6,<5; python_version<'3'",
    "pytest>=6; python_version>='3'",
    "hypothesis<5; python_version<'3'",
    "hypothesis>=6; python_version>='3'",
    "prometheus_client; python_version>='3'",
    # real apps under real servers (tests/auto), and the discovery adapters' clients
    "flask<2; python_version<'3'",
    "flask; python_version>='3'",
    "django<2; python_version<'3'",
    "django; python_version>='3'",
    "gunicorn<20; python_version<'3'",
    "gunicorn; python_version>='3'",
    "fastapi; python_version>='3.7'",
    "uvicorn; python_version>='3.7'",
    "httpx; python_version>='3.8'",
    "aiohttp; python_version>='3.8'",
    "pydantic-settings; python_version>='3.8'",  # nacos.settings.fastapi's settings source (tests/py3)
]

setup(
    name="nacos-http-client",
    version=VERSION,
    description="Drop-in synchronous Nacos v1 HTTP client: config, watchers, naming, managed heartbeats, "
                "zero-code registration and service-name HTTP adapters. Python 2.7 and 3.6+.",
    long_description=read("README.md"),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    packages=find_packages(include=["nacos", "nacos.*"]),
    package_data={"nacos": ["py.typed", "*.pyi", "**/*.pyi"]},
    include_package_data=True,
    python_requires=">=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*, !=3.4.*, !=3.5.*",
    install_requires=[
        "requests>=2.20,<3",
        "urllib3>=1.21.1,<3",
        "pyyaml>=3.13",
        "ipaddress>=1.0.16; python_version<'3'",  # urllib3 needs it to match certificates for IP addresses
    ],
    extras_require={
        "test": TEST_REQUIRES,
        "flask": ["flask>=1.1"],
        "django": ["django>=1.11"],
        "fastapi": ["fastapi; python_version>='3.7'", "uvicorn; python_version>='3.7'"],
        "httpx": ["httpx; python_version>='3.7'"],
        "aiohttp": ["aiohttp; python_version>='3.7'"],
        "settings": ["tomli; python_version>='3.7' and python_version<'3.11'"],  # TOML sources before 3.11
        "pydantic": ["pydantic-settings; python_version>='3.8'"],
    },
    entry_points={"console_scripts": ["nacos = nacos.cli:main", "nacos-register = nacos.auto.cli:main"]},
    classifiers=[
        "Development Status :: 4 - Beta",
        "License :: OSI Approved :: Apache Software License",
        "Programming Language :: Python :: 2",
        "Programming Language :: Python :: 2.7",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.6",
        "Programming Language :: Python :: 3.7",
        "Programming Language :: Python :: 3.8",
        "Programming Language :: Python :: 3.9",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
        "Typing :: Typed",
    ],
)
