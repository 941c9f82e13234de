"""`tinyweb train --dry-run`: how much (GPU) memory a run needs, before it starts.

Parameters are counted on the meta device (no weights are loaded, only config.json), then
memory is summed from what QLoRA training actually holds:

- weights: NF4 linear layers at 0.5 byte/param + block scales (64-weight blocks; 8-bit
  scales with double quantisation, fp32 without); 8-bit linears at 1 byte; everything else
  (embeddings, norms, lm_head) in fp32, because prepare_model_for_kbit_training upcasts them;
- LoRA weights, gradients and optimizer state in fp32 (8-bit AdamW: 2 bytes/param of state);
- activations kept for backward: per layer and token about 10*hidden + 4*intermediate values
  (plus LoRA dropout copies), only the layer inputs with gradient checkpointing (+ one layer
  recomputed); the logits in compute dtype plus their fp32 copy and gradient (big vocabularies
  make this the largest single item at long sequences);
- on CUDA: the CUDA context and allocator slack (~0.45 GB + 8 %).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tinyweb.model.options import TrainOptions

GB = 2**30


@dataclass
class MemoryEstimate:
    model: str
    device: str
    quant: str
    parameters: int
    trainable: int
    parts: dict = field(default_factory=dict)
    """Bytes per item (weights, lora, optimizer, activations, logits, overhead)."""

    @property
    def total_bytes(self) -> int:
        return int(sum(self.parts.values()))

    @property
    def total_gb(self) -> float:
        return self.total_bytes / GB

    def fits(self, gb: float) -> bool:
        return self.total_bytes <= gb * GB


def _meta_model(config):
    import torch
    from transformers import AutoModelForCausalLM

    with torch.device("meta"):
        return AutoModelForCausalLM.from_config(config)


def _config(options: TrainOptions):
    from transformers import AutoConfig, LlamaConfig

    from tinyweb.model.build import TrainError, model_source, unknown_model_message

    if options.init == "tiny":
        from tinyweb.model.tiny import TINY_SIZES

        preset = TINY_SIZES[options.tiny_size]
        return LlamaConfig(
            vocab_size=options.vocab_size + 8,
            hidden_size=preset.hidden_size,
            intermediate_size=preset.intermediate_size,
            num_hidden_layers=preset.layers,
            num_attention_heads=preset.heads,
            num_key_value_heads=preset.heads,
            max_position_embeddings=options.max_seq_len,
            tie_word_embeddings=True,
        )
    try:
        return AutoConfig.from_pretrained(options.base_model, **model_source(options.base_model))
    except (OSError, ValueError) as exc:
        raise TrainError(unknown_model_message(options.base_model, exc)) from None


def estimate_memory(options: TrainOptions, device: str | None = None) -> MemoryEstimate:
    """Estimate peak training memory for the options on device (cuda or cpu; default: --device, else cuda).

    The default is a GPU even on a machine without one: a dry run is how a user plans for a card.
    """
    import torch

    device = device or options.device or "cuda"
    config = _config(options)
    model = _meta_model(config)
    text = config.get_text_config() if hasattr(config, "get_text_config") else config
    hidden, layers = text.hidden_size, text.num_hidden_layers
    intermediate = getattr(text, "intermediate_size", 4 * hidden)
    vocab = text.vocab_size

    linear_params, lora_params, other_params, seen = 0, 0, 0, set()
    head = model.get_output_embeddings()
    for module in model.modules():
        if isinstance(module, torch.nn.Linear) and module is not head:
            linear_params += module.weight.numel()
            lora_params += options.lora_r * (module.in_features + module.out_features)
            seen.add(id(module.weight))
    total = 0
    for p in model.parameters():  # tied weights appear once
        total += p.numel()
        if id(p) not in seen:
            other_params += p.numel()

    compute_bytes = 4 if device == "cpu" else 2
    tokens = options.batch_size * options.max_seq_len
    checkpointing = options.gradient_checkpointing if options.gradient_checkpointing is not None else device == "cuda"
    parts: dict[str, float] = {}
    if options.init == "tiny":
        trainable = total
        parts["weights"] = total * 4
        parts["gradients"] = total * 4
        parts["optimizer"] = total * 8
        compute_bytes = 4
    else:
        trainable = lora_params
        if options.quant == "4bit":
            parts["weights"] = linear_params * (0.5 + 1 / 64 + 4 / (64 * 256)) + other_params * 4
        elif options.quant == "8bit":
            parts["weights"] = linear_params * 1.0 + other_params * 4
        else:
            parts["weights"] = (linear_params + other_params) * compute_bytes
        parts["lora weights + gradients"] = lora_params * 8
        eight_bit = device == "cuda" and options.quant != "none"
        parts["optimizer"] = lora_params * (2 if eight_bit else 8)
    per_token_layer = 10 * hidden + 4 * intermediate + (4 * hidden + intermediate if options.lora_dropout else 0)
    if checkpointing:
        parts["activations"] = tokens * compute_bytes * (layers * hidden + per_token_layer)
    else:
        parts["activations"] = tokens * compute_bytes * layers * per_token_layer
    parts["logits"] = tokens * vocab * (compute_bytes + 4 + 4)
    if device == "cuda":
        subtotal = sum(parts.values())
        parts["CUDA context + allocator"] = 0.45 * GB + 0.08 * subtotal
    name = options.base_model or f"tiny ({options.tiny_size})"
    quant = "none (full training)" if options.init else options.quant
    return MemoryEstimate(model=name, device=device, quant=quant, parameters=total, trainable=trainable, parts=parts)
