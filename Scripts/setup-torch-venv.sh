#!/usr/bin/env bash
# Creates venv-torch/ (ignored by git) with PyTorch for `make bench-compare`, and with what the tests
# of `moe-experiment export` use when they find it: safetensors (the PyTorch module's loader) and
# onnxruntime with numpy (`--format onnx`).
# A CPU-only wheel is used when pip can find one without an index (a wheel folder set up with pip's
# find-links option); otherwise pip installs PyPI's torch, whose Linux build also pulls the CUDA
# libraries (several GB). For a CPU-only install from the PyTorch project's own index, see its
# "Start locally" instructions and run them with venv-torch/bin/pip.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=venv-torch
install_export_test_packages() {
  if ! "$venv/bin/python" -c "import safetensors, onnxruntime, numpy" 2>/dev/null; then
    echo "installing safetensors, onnxruntime and numpy"
    "$venv/bin/pip" install --quiet safetensors onnxruntime numpy
  fi
  "$venv/bin/python" -c "import onnxruntime; print('venv-torch: onnxruntime', onnxruntime.__version__)"
}
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import torch" 2>/dev/null; then
  echo "$venv already has torch $("$venv/bin/python" -c 'import torch; print(torch.__version__)')"
  install_export_test_packages
  exit 0
fi
python3 -m venv "$venv"
wheels=$(mktemp -d)
trap 'rm -rf "$wheels"' EXIT
if "$venv/bin/pip" download --quiet --no-index --no-deps -d "$wheels" torch 2>/dev/null \
  && ls "$wheels"/torch-*+cpu-*.whl >/dev/null 2>&1; then
  echo "installing the CPU-only wheel $(basename "$wheels"/torch-*.whl)"
  "$venv/bin/pip" install --quiet "$wheels"/torch-*.whl
else
  echo "no local CPU-only wheel: installing torch from PyPI (with its CUDA libraries)"
  "$venv/bin/pip" install --quiet torch
fi
"$venv/bin/python" -c "import torch; print('venv-torch: torch', torch.__version__)"
install_export_test_packages
