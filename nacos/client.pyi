from typing import Any, Callable, Dict, FrozenSet, List, Optional, Sequence, Tuple, Union

from .auth import CredentialsProvider
from .exception import NacosException as NacosException
from .exception import NacosRequestException as NacosRequestException

# legacy re-exports from modules without stubs (nacos.files, listener, params, task, timer, commons)
delete_file: Any
read_file_str: Any
save_file: Any
Event: Any
SimpleListenerManager: Any
group_key: Any
is_valid: Any
parse_key: Any
HeartbeatInfo: Any
HeartbeatTask: Any
NacosTimer: Any
NacosTimerManager: Any
SubscribedLocalInstance: Any
synchronized_with_attr: Any
python_version_bellow: Any

VERSION: str
DEFAULTS: Dict[str, Union[int, str]]
OPTIONS: FrozenSet[str]
DEFAULT_GROUP_NAME: str
DEFAULT_NAMESPACE: str
ADDRESS_SERVER_TIMEOUT: int
WORD_SEPARATOR: str
LINE_SEPARATOR: str
DEBUG: bool

def process_common_config_params(data_id: str, group: Optional[str]) -> Tuple[str, str]: ...
def parse_pulling_result(result: bytes) -> List[List[str]]: ...
def parse_nacos_server_addr(server_addr: str) -> Tuple[str, int]: ...
def truncate(ori_str: Optional[str], length: int = ...) -> str: ...

class WatcherWrap:
    callback: Callable[[Dict[str, Any]], Any]
    last_md5: Optional[str]
    watch_key: str
    def __init__(self, key: str, callback: Callable[[Dict[str, Any]], Any],
                 last_md5: Optional[str] = ...) -> None: ...

_Metadata = Union[Dict[str, Any], str, None]
_ConfigCallback = Callable[[Dict[str, Any]], Any]

class _NotifyQueue:
    def put(self, item: Tuple[str, Optional[str], Optional[str]], block: bool = ...,
            timeout: Optional[float] = ...) -> None: ...
    def put_nowait(self, item: Tuple[str, Optional[str], Optional[str]], block: bool = ...,
                   timeout: Optional[float] = ...) -> None: ...

class _ConfigCalls:
    def get_config(self, data_id: str, group: Optional[str], timeout: Optional[float] = ...,
                   no_snapshot: Optional[bool] = ...) -> Optional[str]: ...
    def get_configs(self, timeout: Optional[float] = ..., no_snapshot: Optional[bool] = ..., group: str = ...,
                    page_no: int = ..., page_size: int = ...) -> Dict[str, Any]: ...
    def publish_config(self, data_id: str, group: Optional[str], content: Union[str, bytes],
                       app_name: Optional[str] = ..., config_type: Optional[str] = ...,
                       timeout: Optional[float] = ..., tag: Optional[str] = ...,
                       cas_md5: Optional[str] = ...) -> bool: ...
    def remove_config(self, data_id: str, group: Optional[str], timeout: Optional[float] = ...) -> bool: ...
    def add_config_watcher(self, data_id: str, group: Optional[str], cb: _ConfigCallback,
                           content: Optional[str] = ...) -> None: ...
    def add_config_watchers(self, data_id: str, group: Optional[str], cb_list: Sequence[_ConfigCallback],
                            content: Optional[str] = ...) -> None: ...
    def remove_config_watcher(self, data_id: str, group: Optional[str], cb: _ConfigCallback,
                              remove_all: bool = ...) -> None: ...
    @property
    def notify_queue(self) -> _NotifyQueue: ...
    @property
    def watcher_mapping(self) -> Dict[str, List[WatcherWrap]]: ...

class _NamingCalls:
    def add_naming_instance(self, service_name: str, ip: str, port: int, cluster_name: Optional[str] = ...,
                            weight: float = ..., metadata: _Metadata = ..., enable: bool = ...,
                            healthy: bool = ..., ephemeral: bool = ..., group_name: Optional[str] = ...,
                            heartbeat_interval: Optional[float] = ...) -> bool: ...
    def remove_naming_instance(self, service_name: str, ip: str, port: int, cluster_name: Optional[str] = ...,
                               ephemeral: bool = ..., group_name: Optional[str] = ...) -> bool: ...
    def modify_naming_instance(self, service_name: str, ip: str, port: int, cluster_name: Optional[str] = ...,
                               weight: Optional[float] = ..., metadata: _Metadata = ...,
                               enable: Optional[bool] = ..., ephemeral: bool = ...,
                               group_name: Optional[str] = ...) -> bool: ...
    def list_naming_instance(self, service_name: str, clusters: Union[str, Sequence[str], None] = ...,
                             namespace_id: Optional[str] = ..., group_name: Optional[str] = ...,
                             healthy_only: bool = ...) -> Dict[str, Any]: ...
    def get_naming_instance(self, service_name: str, ip: str, port: int, cluster_name: Optional[str] = ...,
                            group_name: Optional[str] = ...) -> Dict[str, Any]: ...
    def send_heartbeat(self, service_name: str, ip: str, port: int, cluster_name: Optional[str] = ...,
                       weight: float = ..., metadata: _Metadata = ..., ephemeral: bool = ...,
                       group_name: Optional[str] = ...) -> Dict[str, Any]: ...
    def subscribe(self, *args: Any, **kwargs: Any) -> None: ...
    def unsubscribe(self, service_name: str, listener_name: Any = ..., group_name: Optional[str] = ...,
                    listener_fn: Any = ...) -> int: ...
    def stop_subscribe(self) -> None: ...
    def list_naming_services(self, page_no: int = ..., page_size: int = ...,
                             group_name: Optional[str] = ...) -> Dict[str, Any]: ...

class ConfigService(_ConfigCalls):
    """``client.config``: config calls and watchers (the client's config methods delegate here)."""
    namespace: str

class NamingService(_NamingCalls):
    """``client.naming``: instances, heartbeats and subscriptions (the client's naming methods delegate here)."""
    namespace: str

class NacosClient(_ConfigCalls, _NamingCalls):
    config: ConfigService
    naming: NamingService
    namespace: str
    endpoint: Optional[str]
    username: Optional[str]
    password: Optional[str]
    credentials_provider: Optional[CredentialsProvider]
    default_timeout: float
    pulling_timeout: float
    pulling_config_size: int
    callback_thread_num: int
    failover_base: Optional[str]
    snapshot_base: Optional[str]
    no_snapshot: bool
    proxies: Optional[Dict[str, str]]
    context_path: str
    tls_verify: Union[bool, str]
    tls_cert: Union[str, Tuple[str, str], None]
    address_refresh_interval: float
    retry_window: float
    naming_cache_dir: Optional[str]
    managed_heartbeat: bool
    heartbeat_interval: Optional[float]
    deregister_on_stop: bool
    push_empty_protection: bool
    udp_push: bool
    user_agent: Optional[str]
    metrics_enabled: bool
    api_version: str
    api_recheck_interval: float
    config_poll_interval: float
    config_poll_budget: float
    naming_poll_interval: float
    def __init__(self, server_addresses: Optional[str] = ..., endpoint: Optional[str] = ...,
                 namespace: Optional[str] = ..., ak: Optional[str] = ..., sk: Optional[str] = ...,
                 username: Optional[str] = ..., password: Optional[str] = ..., logDir: Optional[str] = ...,
                 log_level: Union[int, str, None] = ..., log_rotation_backup_count: Optional[int] = ...,
                 credentials_provider: Optional[CredentialsProvider] = ..., **options: Any) -> None: ...
    def set_options(self, **kwargs: Any) -> None: ...
    def options(self) -> Dict[str, Any]: ...
    def metrics(self) -> Dict[str, List[Dict[str, Any]]]: ...
    @property
    def api_dialects(self) -> Dict[str, Dict[str, str]]: ...
    def api_dialect(self, family: str = ...) -> str: ...
    @property
    def server_list(self) -> List[Tuple[str, int]]: ...
    @property
    def current_server(self) -> Tuple[str, int]: ...
    @current_server.setter
    def current_server(self, value: Union[Tuple[str, int], str]) -> None: ...
    @property
    def server_offset(self) -> int: ...
    def get_server(self) -> Tuple[str, int]: ...
    def change_server(self) -> None: ...
    @property
    def auth_enabled(self) -> Optional[bool]: ...
    @property
    def token(self) -> Optional[str]: ...
    @property
    def token_ttl(self) -> Optional[float]: ...
    def get_access_token(self, force_refresh: bool = ...) -> Optional[str]: ...
    @staticmethod
    def get_md5(content: Union[str, bytes, None]) -> Optional[str]: ...
    @staticmethod
    def set_debugging() -> None: ...
    @staticmethod
    def _inject_version_info(headers: Dict[str, str]) -> None: ...
    def _inject_auth_info(self, headers: Dict[str, str], params: Dict[str, Any], data: Optional[Dict[str, Any]],
                          module: str = ...) -> None: ...
    # lifecycle
    def stop(self, timeout: float = ...) -> None: ...
    def close(self, timeout: float = ...) -> None: ...
    def __enter__(self) -> "NacosClient": ...
    def __exit__(self, *exc_info: Any) -> None: ...
