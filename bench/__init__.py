"""Benchmarks: this SDK side by side with nacos-sdk-python 2.0.11 and raw baselines (``python -m bench``)."""
