"""Models: tiny (offline model + tokenizer), build (base + quantisation + LoRA), train, load, merge."""
