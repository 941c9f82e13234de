"""tinyweb: build the smallest useful web-dev LLM, end to end."""

__version__ = "0.1.0"
