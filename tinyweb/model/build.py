"""The model and tokenizer a run trains: tiny from scratch, or a base model (4-bit, 8-bit or full) + LoRA.

QLoRA as in the paper: NF4 weights with double quantisation, bf16 compute (fp16 where the GPU
lacks bf16, fp32 on the CPU where bf16 is ~30x slower), prepare_model_for_kbit_training, LoRA
on every linear layer, gradient checkpointing on CUDA (off on the CPU: slow for small models).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tinyweb.model.options import TrainError, TrainOptions


@dataclass
class Device:
    kind: str
    """cpu or cuda."""
    index: int = 0
    """CUDA device of this process (accelerate's local process index)."""

    @property
    def torch_device(self):
        import torch

        return torch.device("cuda", self.index) if self.kind == "cuda" else torch.device("cpu")

    def compute_dtype(self):
        import torch

        if self.kind != "cuda":
            return torch.float32
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16


def pick_device(requested: str | None, local_index: int = 0) -> Device:
    import torch

    if requested == "cuda" and not torch.cuda.is_available():
        raise TrainError("--device cuda: no CUDA GPU is visible to torch")
    kind = requested or ("cuda" if torch.cuda.is_available() else "cpu")
    return Device(kind, local_index)


def quiet_transformers() -> None:
    """No weight-loading progress bars or per-call library warnings: the CLI draws its own progress."""
    import logging as std_logging

    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    # bitsandbytes logs "MatMul8bitLt: inputs will be cast ... to float16" on every 8-bit matmul
    std_logging.getLogger("bitsandbytes").setLevel(std_logging.ERROR)


def hub_reachable(timeout_s: float = 3.0) -> bool:
    """Can we open a connection to the Hugging Face hub (HF_ENDPOINT)? A quick check, no request."""
    import os
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    try:
        socket.create_connection((parts.hostname, parts.port or 443), timeout=timeout_s).close()
    except OSError:
        return False
    return True


def model_source(base_model: str) -> dict:
    """from_pretrained kwargs: local paths and cached models load without network; offline, fail at once.

    Without this, an uncached hub id offline spends ~40 s in HTTP retries before failing.
    """
    import os

    if Path(base_model).exists():
        return {}
    from huggingface_hub import try_to_load_from_cache

    try:
        cached = try_to_load_from_cache(base_model, "config.json")
    except ValueError:  # not a valid repo id either
        raise TrainError(unknown_model_message(base_model, None)) from None
    if isinstance(cached, str):
        return {"local_files_only": True}
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on") or not hub_reachable():
        raise TrainError(unknown_model_message(base_model, None))
    return {}


def load_base_tokenizer(base_model: str):
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(base_model, **model_source(base_model))
    except (OSError, ValueError) as exc:
        raise TrainError(unknown_model_message(base_model, exc)) from None
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token or tokenizer.unk_token
    return tokenizer


def unknown_model_message(base_model: str, exc: Exception | None) -> str:
    if Path(base_model).exists() and exc is not None:
        return f"cannot load base model from {base_model}: {str(exc).splitlines()[0]}"
    return (
        f"unknown base model {base_model!r}: not a local directory and not in the Hugging Face cache "
        "(offline?). Download it once with network (`hf download ID`), pass a local path, or use --init tiny"
    )


def quantization_config(quant: str, compute_dtype):
    from transformers import BitsAndBytesConfig

    if quant == "4bit":
        return BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=compute_dtype,
        )
    if quant == "8bit":
        return BitsAndBytesConfig(load_in_8bit=True)
    return None


def load_base_model(base_model: str, quant: str, device: Device):
    """The base model on the device: quantised through bitsandbytes, or in the compute dtype."""
    from transformers import AutoModelForCausalLM

    dtype = device.compute_dtype()
    kwargs = {"dtype": dtype, **model_source(base_model)}
    if quant != "none":
        from tinyweb.errors import require

        require("bitsandbytes", "ml")
        kwargs["quantization_config"] = quantization_config(quant, dtype)
    if device.kind == "cuda":
        kwargs["device_map"] = {"": device.index}
    try:
        model = AutoModelForCausalLM.from_pretrained(base_model, **kwargs)
    except (OSError, ValueError) as exc:
        raise TrainError(unknown_model_message(base_model, exc)) from None
    if device.kind != "cuda" and quant == "none":
        model.to(device.torch_device)
    return model


def lora_config(options: TrainOptions):
    from peft import LoraConfig

    return LoraConfig(
        r=options.lora_r,
        lora_alpha=options.lora_alpha,
        lora_dropout=options.lora_dropout,
        target_modules="all-linear",
        bias="none",
        task_type="CAUSAL_LM",
    )


def gradient_checkpointing_on(options: TrainOptions, device: Device) -> bool:
    if options.gradient_checkpointing is not None:
        return options.gradient_checkpointing
    return device.kind == "cuda"


def add_lora(model, options: TrainOptions, device: Device):
    """prepare_model_for_kbit_training (quantised bases) + LoRA adapters on all linear layers."""
    from peft import get_peft_model, prepare_model_for_kbit_training

    checkpointing = gradient_checkpointing_on(options, device)
    if options.quant != "none":
        model = prepare_model_for_kbit_training(
            model, use_gradient_checkpointing=checkpointing, gradient_checkpointing_kwargs={"use_reentrant": False}
        )
    elif checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        model.enable_input_require_grads()
    if checkpointing:
        model.config.use_cache = False
    if device.kind == "cpu":
        keep_4bit_weights_trainable(model)
    return get_peft_model(model, lora_config(options))


def keep_4bit_weights_trainable(model) -> None:
    """Stop bitsandbytes' CPU inference repacking of 4-bit weights during training.

    bitsandbytes 0.50 repacks a Linear4bit's weight for its AVX512-BF16 kernel the first time it
    runs in eval mode without grad (our per-epoch eval) and never unpacks it when training resumes;
    that kernel (gemv_4bit) has no autograd, so every later backward silently drops the gradient
    through the base layers (torch only warns "an autograd kernel was not registered"). Turning the
    fast path off keeps training exact; inference-only loads (load_run) keep it.
    """
    for module in model.modules():
        if hasattr(module, "support_avx512bf16_for_cpu"):
            module.support_avx512bf16_for_cpu = False


def make_optimizer(params, options: TrainOptions, device: Device):
    """Paged 8-bit AdamW on CUDA with a quantised base (QLoRA); torch AdamW elsewhere."""
    import torch

    params = [p for p in params if p.requires_grad]
    if device.kind == "cuda" and options.quant != "none":
        import bitsandbytes as bnb

        return bnb.optim.PagedAdamW8bit(params, lr=options.learning_rate, weight_decay=options.weight_decay)
    return torch.optim.AdamW(params, lr=options.learning_rate, weight_decay=options.weight_decay)


def count_parameters(model) -> tuple[int, int]:
    """(trainable, total) parameters; 4-bit weights count as their logical size."""
    trainable = total = 0
    for p in model.parameters():
        n = p.numel()
        if p.__class__.__name__ == "Params4bit":
            n *= 2  # two 4-bit weights per stored byte
        total += n
        trainable += n if p.requires_grad else 0
    return trainable, total
