"""TrainOptions: every knob of `tinyweb train`, validated once, each error naming its flag."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from tinyweb.errors import TinywebError

QUANTS = ("4bit", "8bit", "none")
TASKS = ("page", "act")


class TrainError(TinywebError):
    pass


@dataclass(frozen=True)
class TrainOptions:
    workspace: Path = Path("workspace")
    """Workspace: prompts come from its prompts/ folder, the run goes to runs/NAME/."""
    base_model: str | None = None
    """Hub id or local path of the model to fine-tune with (Q)LoRA; None with init="tiny"."""
    init: str | None = None
    """"tiny": build a small Llama model and BPE tokenizer from the corpus, train all parameters."""
    run: str | None = None
    """Run name (runs/NAME/); default: "tiny" or the base model's last path part."""
    task: str = "page"
    """page (prompts/*.jsonl) or act (prompts/act/*.jsonl)."""
    quant: str = "4bit"
    """Base model weights: 4bit (QLoRA, NF4 + double quantisation), 8bit, or none (plain LoRA)."""
    lora_r: int = 16
    """LoRA rank."""
    lora_alpha: int = 32
    """LoRA scaling numerator (scale = alpha / r)."""
    lora_dropout: float = 0.05
    """Dropout on the LoRA branch."""
    epochs: int = 3
    """Passes over the training set (ignored when max_steps is set)."""
    max_steps: int | None = None
    """Stop after this many optimizer steps instead of after `epochs`."""
    lr: float | None = None
    """Peak learning rate; default 2e-4 for LoRA, 1e-3 for a tiny model."""
    batch_size: int = 4
    """Sequences per micro-batch."""
    grad_accum: int = 1
    """Micro-batches per optimizer step."""
    max_seq_len: int = 1024
    """Tokens per sequence; longer examples are cut (the prompt is kept)."""
    warmup_ratio: float = 0.05
    """Fraction of the steps spent warming the learning rate up (cosine decay after)."""
    weight_decay: float = 0.0
    """AdamW weight decay."""
    save_steps: int = 200
    """Write a checkpoint every this many optimizer steps (and at the last step)."""
    keep_checkpoints: int = 2
    """Checkpoints kept on disk (oldest deleted first)."""
    resume: bool = False
    """Continue from the run's latest checkpoint (optimizer, scheduler, RNG and step)."""
    merge: bool = False
    """After training, write model/ = base + adapter merged, in 16-bit."""
    dry_run: bool = False
    """Only estimate memory and trainable parameters."""
    gradient_checkpointing: bool | None = None
    """Recompute activations in the backward pass; default: on with CUDA, off on the CPU."""
    device: str | None = None
    """cpu or cuda; default: cuda when available."""
    seed: int = 0
    """Seed for initialisation, dropout and data order."""
    tiny_size: str = "small"
    """Preset of the tiny model: micro, small or base (tinyweb.model.tiny.TINY_SIZES)."""
    vocab_size: int = 4096
    """Vocabulary of the tiny model's BPE tokenizer."""
    pos2d: bool = False
    """Add 2D (x, y) position embeddings for screen tokens (act task; recorded in run.json)."""
    train_file: Path | None = None
    """Override: training JSONL (default prompts/train.jsonl or prompts/act/train.jsonl)."""
    val_file: Path | None = None
    """Override: validation JSONL (default beside the training file)."""

    def __post_init__(self):
        if (self.base_model is None) == (self.init is None):
            raise TrainError("pass exactly one of --base-model ID_OR_PATH or --init tiny")
        if self.init is not None and self.init != "tiny":
            raise TrainError("--init must be tiny")
        if self.task not in TASKS:
            raise TrainError(f"--task must be one of {', '.join(TASKS)}")
        if self.quant not in QUANTS:
            raise TrainError(f"--quant must be one of {', '.join(QUANTS)}")
        positive = {
            "--lora-r": self.lora_r,
            "--lora-alpha": self.lora_alpha,
            "--epochs": self.epochs,
            "--batch-size": self.batch_size,
            "--grad-accum": self.grad_accum,
            "--max-seq-len": self.max_seq_len,
            "--save-steps": self.save_steps,
            "--keep-checkpoints": self.keep_checkpoints,
        }
        for flag, value in positive.items():
            if value <= 0:
                raise TrainError(f"{flag} must be > 0")
        if self.max_steps is not None and self.max_steps <= 0:
            raise TrainError("--max-steps must be > 0")
        if self.lr is not None and self.lr <= 0:
            raise TrainError("--lr must be > 0")
        if not 0 <= self.lora_dropout < 1:
            raise TrainError("--lora-dropout must be in [0, 1)")
        if not 0 <= self.warmup_ratio < 1:
            raise TrainError("--warmup-ratio must be in [0, 1)")
        if self.max_seq_len < 16:
            raise TrainError("--max-seq-len must be >= 16")
        if self.device not in (None, "cpu", "cuda"):
            raise TrainError("--device must be cpu or cuda")
        if self.run is not None and (not self.run or "/" in self.run or self.run.startswith(".")):
            raise TrainError("--run must be a plain name (no slashes)")
        if self.merge and self.init:
            raise TrainError("--merge applies to LoRA runs: a tiny run already saves its full model")
        from tinyweb.model.tiny import TINY_SIZES

        if self.tiny_size not in TINY_SIZES:
            raise TrainError(f"--tiny-size must be one of {', '.join(TINY_SIZES)}")

    @property
    def run_name(self) -> str:
        if self.run:
            return self.run
        if self.init:
            return "tiny" if self.task == "page" else f"tiny-{self.task}"
        return Path(self.base_model.rstrip("/")).name or "run"

    @property
    def is_lora(self) -> bool:
        return self.init is None

    @property
    def learning_rate(self) -> float:
        if self.lr is not None:
            return self.lr
        return 2e-4 if self.is_lora else 1e-3

    @property
    def run_dir(self) -> Path:
        return Path(self.workspace) / "runs" / self.run_name

    @property
    def prompts_dir(self) -> Path:
        base = Path(self.workspace) / "prompts"
        return base if self.task == "page" else base / self.task

    @property
    def train_path(self) -> Path:
        return Path(self.train_file) if self.train_file else self.prompts_dir / "train.jsonl"

    @property
    def val_path(self) -> Path:
        if self.val_file:
            return Path(self.val_file)
        return self.train_path.with_name("val.jsonl")

    def as_dict(self) -> dict:
        return {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(self).items()}
