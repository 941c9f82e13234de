"""The act stage: read a screen, decide an action (baseline or a run), optionally perform it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from tinyweb.act.live import ScreenOptions, target_kind
from tinyweb.act.screen import Screen
from tinyweb.errors import TinywebError


@dataclass(frozen=True)
class ActOptions:
    target: str
    """SCREENSHOT (png/jpg), URL or HTML FILE."""
    instruction: str
    """What to do, e.g. "click the Sign up button"."""
    run: Path | None = None
    """Run directory or name under WORKSPACE/runs (--run); None = the grounding baseline."""
    workspace: Path = Path("workspace")
    """Where --run names are looked up (-w)."""
    execute: bool = False
    """Perform the action on the URL/file page (--execute)."""
    out_dir: Path = Path("act-out")
    """Where --execute saves before.png and after.png (--out)."""
    screen: ScreenOptions = field(default_factory=ScreenOptions)
    pos2d: bool | None = None
    """Use the run's 2D positions (--pos2d/--no-pos2d); None = as the run was trained."""

    def __post_init__(self):
        if not self.instruction.strip():
            raise TinywebError('the instruction is empty: say what to do, e.g. "click the Sign up button"')
        kind = target_kind(self.target)
        if self.execute and kind == "image":
            raise TinywebError("--execute needs a URL or an HTML file, not a screenshot")
        if self.pos2d and self.run is None:
            raise TinywebError("--pos2d needs --run")


@dataclass
class ActResult:
    action: dict
    screen: Screen
    decided_by: str
    seconds: float
    executed: object | None = None
    """tinyweb.act.execute.Executed when --execute ran."""


def resolve_run(run: Path, workspace: Path) -> Path:
    for candidate in (Path(run), Path(workspace) / run, Path(workspace) / "runs" / run):
        if (candidate / "run.json").is_file():
            return candidate
    raise TinywebError(f"no run at {run} (looked for run.json there and under {Path(workspace) / 'runs'})")


def run_act(options: ActOptions) -> ActResult:
    started = time.perf_counter()
    actor = None
    decided_by = "baseline"
    if options.run is not None:
        from tinyweb.act.model import RunActor

        run_dir = resolve_run(options.run, options.workspace)
        actor = RunActor(run_dir, pos2d=options.pos2d)
        decided_by = f"run {run_dir}"

    def decide(screen: Screen) -> dict:
        if actor is not None:
            return actor.act(screen, options.instruction).to_dict(screen)
        from tinyweb.act.ground import ground

        return ground(screen, options.instruction).to_dict(screen)

    if options.execute:
        from tinyweb.act.execute import act_on_page

        seen: dict = {}

        def remember(screen: Screen) -> dict:
            seen["screen"] = screen
            return decide(screen)

        executed = act_on_page(options.target, remember, options.out_dir, options.screen)
        return ActResult(executed.action, seen["screen"], decided_by, time.perf_counter() - started, executed)
    from tinyweb.act.screen import read_screen

    screen = read_screen(options.target, options.screen)
    action = decide(screen)
    return ActResult(action, screen, decided_by, time.perf_counter() - started)
