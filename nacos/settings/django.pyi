from typing import Any, FrozenSet, Iterable, MutableMapping, Optional

from .live import LiveSettings

RESTART_REQUIRED: FrozenSet[str]

def load_into(namespace: MutableMapping[str, Any], client: Any, sources: Optional[Iterable[Any]] = ...,
              prefix: Optional[str] = ..., frozen: bool = ..., settings: Optional[LiveSettings] = ...) -> LiveSettings: ...
