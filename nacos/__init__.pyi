from typing import Dict, Union

from .client import NacosClient as NacosClient
from .exception import NacosException as NacosException, NacosRequestException as NacosRequestException

__version__: str
DEFAULTS: Dict[str, Union[int, str]]
DEFAULT_GROUP_NAME: str
