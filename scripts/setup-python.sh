#!/usr/bin/env bash
# Creates a Python virtual environment with CPU torch, transformers, peft and safetensors for the
# PyTorch parity test (test/interop/python-parity.test.ts), then prints how to run the test.
#
#   scripts/setup-python.sh [VENV_DIR]      default: $DOJO_VENV, else ~/.cache/dojo/pyenv
#   DOJO_PYTHON=VENV_DIR/bin/python npx vitest run test/interop/python-parity.test.ts
#
# Package indexes, tried in order:
#   1. The indexes pip is configured with (`pip config get global.extra-index-url`, space-separated).
#      On the Dojo development machine that is a local mirror with CPU builds of torch,
#      transformers, peft and safetensors (plus `global.find-links`, which pip reads by itself).
#      The first configured index is passed as --index-url and the rest as --extra-index-url, so
#      pip never waits on timeouts for an unreachable default index (many minutes otherwise);
#      from the mirror the install takes about 40 s.
#   2. Elsewhere (nothing configured, or the configured install failed): the normal index,
#      PyPI, with PyTorch's CPU wheel index as an extra index so no CUDA build (gigabytes) is pulled.
# Set PIP_INDEX_URL / PIP_EXTRA_INDEX_URL yourself to override both; pip honors them in step 2.
#
# Nothing is installed into the repository. Needs python3 >= 3.9 with the venv module.
set -euo pipefail

VENV_DIR="${1:-${DOJO_VENV:-$HOME/.cache/dojo/pyenv}}"
PYTHON="${PYTHON:-python3}"
PACKAGES=(torch transformers peft safetensors)
TORCH_CPU_INDEX="https://download.pytorch.org/whl/cpu"

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "setup-python: $PYTHON not found; install Python 3.9+ or set PYTHON=/path/to/python3" >&2
  exit 1
fi

if [ ! -x "$VENV_DIR/bin/python" ]; then
  echo "setup-python: creating $VENV_DIR"
  "$PYTHON" -m venv "$VENV_DIR"
fi
VPY="$VENV_DIR/bin/python"

installed() {
  "$VPY" -c 'import torch, transformers, peft, safetensors' >/dev/null 2>&1
}

if installed; then
  echo "setup-python: $VENV_DIR already has torch, transformers, peft and safetensors"
else
  configured="$("$VPY" -m pip config get global.extra-index-url 2>/dev/null || true)"
  if [ -z "$configured" ]; then
    configured="$("$VPY" -m pip config get global.index-url 2>/dev/null || true)"
  fi
  done_install=0
  if [ -n "$configured" ]; then
    read -r -a indexes <<<"$configured"
    args=(--index-url "${indexes[0]}")
    for extra in "${indexes[@]:1}"; do args+=(--extra-index-url "$extra"); done
    echo "setup-python: installing ${PACKAGES[*]} from the configured index(es): ${indexes[*]}"
    if "$VPY" -m pip install "${args[@]}" "${PACKAGES[@]}"; then done_install=1; fi
  fi
  if [ "$done_install" = 0 ]; then
    echo "setup-python: installing ${PACKAGES[*]} from the normal index (CPU torch from $TORCH_CPU_INDEX)"
    "$VPY" -m pip install --extra-index-url "$TORCH_CPU_INDEX" "${PACKAGES[@]}"
  fi
fi

"$VPY" -c 'import torch, transformers, peft; print("setup-python: torch", torch.__version__, "transformers", transformers.__version__, "peft", peft.__version__)'
echo "Run the parity test with:"
echo "  DOJO_PYTHON=$VPY npx vitest run test/interop/python-parity.test.ts"
