"""Click accuracy on held-out act tasks (prompts/act/val.jsonl): the baseline, and a run if given.

A task is solved when the predicted point lies inside the target box (the ScreenSpot rule).
The screens come from prompts/act/val_screens.jsonl (written with the prompts), so evaluation
needs no browser; the run reads the same screens in the llama2d layout.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from tinyweb.act.ground import NotFound, ground
from tinyweb.act.screen import Screen
from tinyweb.act.tasks import hit
from tinyweb.errors import TinywebError

SCORED_KINDS = ("click", "type")
EXAMPLES = 5


def load_val(workspace: Path) -> tuple[list[dict], dict[str, Screen]]:
    from tinyweb.data.act_tasks import SCREENS_FILE

    directory = Path(workspace) / "prompts" / "act"
    val_path, screens_path = directory / "val.jsonl", directory / SCREENS_FILE
    if not val_path.is_file() or not screens_path.is_file():
        raise TinywebError(f"no act validation tasks in {directory}: run `tinyweb prompts --task act` first")
    tasks = []
    for number, line in enumerate(val_path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                tasks.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise TinywebError(f"{val_path}:{number}: malformed JSON ({exc.msg})") from None
    screens = {}
    for line in screens_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            screens[row["url"]] = Screen.from_dict(row["screen"])
    return tasks, screens


def evaluate_act(
    workspace: Path,
    run_dir: Path | None = None,
    limit: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    *,
    run: Path | str | None = None,
    report_dir: Path | None = None,
    device: str | None = None,
) -> dict:
    """Click accuracy of the baseline (and of a run) on the held-out act tasks; a flat metrics dict.

    `run` is an alias of `run_dir` that also takes a run name under WORKSPACE/runs. With
    `report_dir`, the metrics (and the first invalid model outputs) go to report_dir/metrics.json.
    """
    tasks, screens = load_val(Path(workspace))
    tasks = [t for t in tasks if t.get("kind") in SCORED_KINDS and t.get("url") in screens][:limit]
    if not tasks:
        raise TinywebError("no click or type tasks in prompts/act/val.jsonl to evaluate")
    run_dir = run_dir if run_dir is not None else run
    actor = None
    if run_dir is not None:
        from tinyweb.act.agent import resolve_run
        from tinyweb.act.model import RunActor

        run_dir = resolve_run(Path(run_dir), Path(workspace))
        actor = RunActor(run_dir, device=device)
    baseline = {"hits": 0, "not_found": 0, "seconds": 0.0}
    model = {"hits": 0, "invalid": 0, "seconds": 0.0, "invalid_examples": []}
    for done, task in enumerate(tasks, 1):
        screen, box = screens[task["url"]], task["target_box_1000"]
        started = time.perf_counter()
        try:
            baseline["hits"] += hit(ground(screen, task["label"]).point_1000, box)
        except NotFound:
            baseline["not_found"] += 1
        baseline["seconds"] += time.perf_counter() - started
        if actor is not None:
            started = time.perf_counter()
            try:
                model["hits"] += hit(actor.act(screen, task["label"]).point_1000, box)
            except TinywebError as exc:
                model["invalid"] += 1
                if len(model["invalid_examples"]) < EXAMPLES:
                    model["invalid_examples"].append({"instruction": task["label"], "error": str(exc)})
            model["seconds"] += time.perf_counter() - started
        if on_progress:
            on_progress(done, len(tasks))
    count = len(tasks)
    result = {
        "task": "act",
        "tasks": count,
        "pages": len({t["url"] for t in tasks}),
        "baseline_click_accuracy": baseline["hits"] / count,
        "baseline_hits": baseline["hits"],
        "baseline_not_found": baseline["not_found"],
        "run": str(run_dir) if run_dir is not None else None,
    }
    if actor is not None:
        result.update(
            run_click_accuracy=model["hits"] / count,
            run_hits=model["hits"],
            run_invalid=model["invalid"],
            run_seconds_per_task=model["seconds"] / count,
        )
    if report_dir is not None:
        report_dir = Path(report_dir)
        report_dir.mkdir(parents=True, exist_ok=True)
        path = report_dir / "metrics.json"
        details = {**result, "invalid_examples": model["invalid_examples"]}
        path.write_text(json.dumps(details, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        result["metrics"] = str(path)
    return result
