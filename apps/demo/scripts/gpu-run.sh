#!/usr/bin/env bash
# Runs the demo on a machine with an NVIDIA GPU: ONNX Runtime on CUDA in Node (and tfjs on
# tfjs-node-gpu when it is installed), and the browser runs in Chromium on the real GPU (WebGL
# through ANGLE on Vulkan, WebGPU on the GPU's adapter), then writes the report as usual.
#
# Needs (checked below, each with a one-line message):
#   - an NVIDIA driver (nvidia-smi works) with Vulkan (libvulkan1 and the driver's ICD) for Chromium;
#   - CUDA 12 and cuDNN 9 libraries on the loader path (ldconfig -p lists libcudart.so.12, libcudnn.so.9);
#   - onnxruntime-node installed with its CUDA binaries: ONNXRUNTIME_NODE_INSTALL_CUDA=v12 (this
#     repository's pnpm-workspace.yaml skips onnxruntime-node's install script; run
#     `ONNXRUNTIME_NODE_INSTALL_CUDA=v12 node node_modules/onnxruntime-node/script/install` in the
#     package folder once, or install it with npm and that variable set);
#   - Chromium (or Chrome) with a display or headless GPU access; CHROMIUM=<path> picks it.
#   - optional: @tensorflow/tfjs-node-gpu (tfjs on CUDA in Node); without it tfjs trains on wasm.
#
# Usage: apps/demo/scripts/gpu-run.sh [demo flags...]     e.g. --quick, --model mlp, --out runs/gpu
set -euo pipefail
cd "$(dirname "$0")/.."

problems=0
need() { # need <what> <command...>: runs the check, prints one line when it fails
  local what=$1; shift
  if ! "$@" >/dev/null 2>&1; then echo "gpu-run: missing: $what" >&2; problems=$((problems + 1)); fi
}
need "an NVIDIA driver (nvidia-smi)" nvidia-smi
need "CUDA 12 runtime (libcudart.so.12)" sh -c 'ldconfig -p | grep -q "libcudart.so.12"'
need "cuDNN 9 (libcudnn.so.9)" sh -c 'ldconfig -p | grep -q "libcudnn.so.9"'
need "Vulkan loader for Chromium's WebGPU (libvulkan.so.1)" sh -c 'ldconfig -p | grep -q "libvulkan.so.1"'
chromium=${CHROMIUM:-/usr/bin/chromium}
need "Chromium at $chromium (set CHROMIUM=<path>)" test -x "$chromium"
if [ "$problems" -gt 0 ]; then
  echo "gpu-run: $problems requirement(s) missing; the demo would fall back to the CPU and SwiftShader." >&2
  exit 2
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader

# --device gpu: ONNX Runtime's CUDA provider and tfjs-node-gpu in Node (each falls back to the CPU
# with a note when missing), and Chromium started with real-GPU flags instead of SwiftShader.
exec node --conditions=@anneal/source --import tsx src/main.ts --device gpu --chromium "$chromium" "$@"
