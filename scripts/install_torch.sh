#!/usr/bin/env bash
# Install torch before everything else: a CUDA build where a GPU driver is present,
# the CPU build otherwise (from TORCH_INDEX when given). Does nothing if torch imports.
set -euo pipefail
PY=$1; SPEC=${2:-torch}; INDEX=${3:-}
if "$PY" -c "import torch" 2>/dev/null; then
  echo "torch $("$PY" -c 'import torch; print(torch.__version__)') already installed"
  exit 0
fi
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi >/dev/null 2>&1; then
  echo "GPU found: installing $SPEC with CUDA"
  "$PY" -m pip install -q "$SPEC"
elif [ -n "$INDEX" ]; then
  echo "no GPU: installing $SPEC (CPU) from $INDEX"
  "$PY" -m pip install -q "$SPEC" --index-url "$INDEX" || "$PY" -m pip install -q "$SPEC"
else
  echo "no GPU: installing $SPEC"
  "$PY" -m pip install -q "$SPEC"
fi
