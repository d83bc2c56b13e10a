"""The service-discovery half of the client: wire calls (api), managed heartbeats, subscriptions."""
