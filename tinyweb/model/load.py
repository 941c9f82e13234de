"""load_run(run_dir): a trained run ready to generate: model (eval mode), tokenizer, run.json, CSS, format.

A run holds either model/ (a tiny model, or a merged one) or adapter/ (PEFT LoRA over
run.json's base_model, loaded the way it was trained unless `quant` says otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tinyweb.data.formats import PromptFormat, get_format
from tinyweb.model.options import TrainError


@dataclass
class LoadedRun:
    model: object
    """transformers causal LM (or PeftModel), eval mode."""
    tokenizer: object
    """The run's tokenizer (AutoTokenizer)."""
    info: dict
    """run.json."""
    framework_css: str
    """The framework.css the run was trained with ("" if the workspace had none)."""
    prompt_format: PromptFormat
    """The format the prompts were written in: prompt_format.prompt(label, tokenizer)."""
    run_dir: Path
    device: str

    def prompt(self, label: str) -> str:
        """The exact training prompt for a request."""
        return self.prompt_format.prompt(label, self.tokenizer)


def load_run(run_dir: Path, device: str | None = None, quant: str | None = None) -> LoadedRun:
    """Load runs/NAME/ for inference; device defaults to cuda when available, quant to the run's own."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from tinyweb.model.build import Device, load_base_model, pick_device, quiet_transformers
    from tinyweb.model.rundir import read_run_json

    quiet_transformers()
    run_dir = Path(run_dir)
    info = read_run_json(run_dir)
    if not (run_dir / "tokenizer").is_dir():
        raise TrainError(f"run {run_dir} has no tokenizer/: it did not finish; `tinyweb train --resume` it")
    tokenizer = AutoTokenizer.from_pretrained(run_dir / "tokenizer")
    target: Device = pick_device(device)
    if (run_dir / "model").is_dir():
        dtype = target.compute_dtype() if target.kind == "cuda" else torch.float32
        model = AutoModelForCausalLM.from_pretrained(run_dir / "model", dtype=dtype).to(target.torch_device)
    elif (run_dir / "adapter").is_dir():
        from peft import PeftModel

        base = load_base_model(info["base_model"], quant or info.get("quant") or "none", target)
        model = PeftModel.from_pretrained(base, run_dir / "adapter")
    else:
        raise TrainError(f"run {run_dir} has neither model/ nor adapter/: it did not finish; resume it")
    model.eval()
    css_path = run_dir / "framework.css"
    return LoadedRun(
        model=model,
        tokenizer=tokenizer,
        info=info,
        framework_css=css_path.read_text(encoding="utf-8") if css_path.is_file() else "",
        prompt_format=get_format(info.get("format") or "tinyweb"),
        run_dir=run_dir,
        device=target.kind,
    )
