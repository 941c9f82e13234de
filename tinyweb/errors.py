"""Domain errors: core code raises these, the CLI prints them as one red line."""


class TinywebError(Exception):
    """An error a user can cause and fix; its message is the whole explanation."""


class BrowserNotFound(TinywebError):
    pass


class WorkspaceError(TinywebError):
    pass


class MissingDependency(TinywebError):
    pass


def require(module: str, extra: str):
    """Import an optional dependency or fail with the extra that installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependency(
            f"{module} is not installed: pip install 'tinyweb[{extra}]' (or run `make setup`)"
        ) from exc
