"""The workspace directory: where every artifact of every stage lives."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from tinyweb import __version__
from tinyweb.errors import WorkspaceError

DEFAULT_WORKSPACE = Path("workspace")


@dataclass(frozen=True)
class Workspace:
    root: Path

    @classmethod
    def create(cls, root: Path) -> Workspace:
        root = Path(root)
        if root.exists() and not root.is_dir():
            raise WorkspaceError(f"workspace {root} exists and is not a directory")
        root.mkdir(parents=True, exist_ok=True)
        return cls(root)

    @classmethod
    def open(cls, root: Path) -> Workspace:
        """An existing workspace; a clear error when there is none."""
        root = Path(root)
        if not (root / "pages.db").is_file():
            raise WorkspaceError(
                f"no workspace at {root} (no pages.db): run `tinyweb embed` or `tinyweb crawl` first, "
                "or pass -w WORKSPACE"
            )
        return cls(root)

    @property
    def db_path(self) -> Path:
        return self.root / "pages.db"

    @property
    def topics_path(self) -> Path:
        return self.root / "topics.json"

    @property
    def framework_css(self) -> Path:
        return self.root / "framework.css"

    @property
    def framework_json(self) -> Path:
        return self.root / "framework.json"

    @property
    def prompts_dir(self) -> Path:
        return self.root / "prompts"

    @property
    def runs_dir(self) -> Path:
        return self.root / "runs"

    def run_dir(self, name: str) -> Path:
        return self.runs_dir / name

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    def manifest_path(self, stage: str) -> Path:
        return self.root / f"{stage}.json"

    def write_manifest(self, stage: str, options: dict, inputs: list[str], summary: dict) -> Path:
        """Record what made a stage's output: options, inputs with hashes, version."""
        manifest = {
            "stage": stage,
            "tinyweb_version": __version__,
            "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "options": options,
            "inputs": [{"source": src, "sha256": file_sha256(src)} for src in inputs],
            "summary": summary,
        }
        path = self.manifest_path(stage)
        path.write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")
        return path


def file_sha256(source: str) -> str | None:
    """Hash of a local input; None for URLs (their content is hashed in the store)."""
    path = Path(source)
    if "://" in source or not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()
