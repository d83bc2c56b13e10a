"""The configuration half of the client: wire calls (api), local files (local), watchers (watcher)."""
