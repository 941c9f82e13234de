"""`--merge`: fold a run's LoRA adapter into its base model and save a 16-bit model/ beside it.

The base is loaded unquantised (bf16, or fp16 where bf16 is missing) so the merge is exact,
not rounded through NF4; generate then loads model/ like a tiny run's.
"""

from __future__ import annotations

from pathlib import Path

from tinyweb.model.options import TrainError


def merge_adapter(run_dir: Path, dtype_name: str = "bfloat16") -> Path:
    import torch
    from peft import PeftModel

    from tinyweb.model.build import model_source, quiet_transformers, unknown_model_message
    from tinyweb.model.rundir import read_run_json

    quiet_transformers()
    run_dir = Path(run_dir)
    info = read_run_json(run_dir)
    if not (run_dir / "adapter").is_dir():
        raise TrainError(f"--merge: {run_dir} has no adapter/ to merge")
    dtype = getattr(torch, dtype_name)
    if dtype is torch.bfloat16 and torch.cuda.is_available() and not torch.cuda.is_bf16_supported():
        dtype = torch.float16
    from transformers import AutoModelForCausalLM

    try:
        base = AutoModelForCausalLM.from_pretrained(info["base_model"], dtype=dtype, **model_source(info["base_model"]))
    except (OSError, ValueError) as exc:
        raise TrainError(unknown_model_message(info["base_model"], exc)) from None
    merged = PeftModel.from_pretrained(base, run_dir / "adapter").merge_and_unload()
    target = run_dir / "model"
    merged.save_pretrained(target)
    return target
