from typing import Any, Callable, Dict, Generic, Optional, Type, TypeVar

from .live import LiveSettings

_M = TypeVar("_M")

class LiveModel(Generic[_M]):
    settings: LiveSettings
    model_cls: Type[_M]
    error: Optional[BaseException]
    def __init__(self, settings: Optional[LiveSettings] = ..., model_cls: Optional[Type[_M]] = ...) -> None: ...
    @property
    def model(self) -> _M: ...
    def __call__(self) -> _M: ...

def settings_source(settings: Optional[LiveSettings] = ...) -> Callable[[], Dict[str, Any]]: ...
