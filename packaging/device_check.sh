#!/usr/bin/env bash
# Exercise the real GPU path of detection and the measured check in one short command, on a machine with an
# NVIDIA (or ROCm) GPU and an environment that has llmplanner's dependencies with a CUDA build of torch:
#
#     bash packaging/device_check.sh                 # uses python3, or set PYTHON=/path/to/venv/bin/python
#     DEVICE_CHECK_LARGE=0 bash packaging/device_check.sh   # skip the 8B model
#
# Prints the versions, nvidia-smi's view, `llmplanner detect --json`, a measured check of a small model
# (OPT-125M) and of Llama-3-8B (scaled to fewer layers automatically if it does not fit), and the calibration
# they recorded (in a temporary folder, not the user's). Every step runs even if an earlier one failed; the
# exit code is the number of failed steps. Nothing is downloaded: the checks build random weights.
set -u
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
export LLMPLANNER_CONFIG_DIR=${LLMPLANNER_CONFIG_DIR:-$(mktemp -d -t llmplanner-device-check.XXXXXX)}
export HF_HUB_OFFLINE=1
failed=0

step() {
    local title=$1
    shift
    echo "===== $title"
    local t0=$SECONDS
    "$@"
    local rc=$?
    echo "===== $title: exit $rc after $((SECONDS - t0)) s"
    [ "$rc" -eq 0 ] || failed=$((failed + 1))
}

step "versions" "$PY" -c "import sys, torch, transformers; print('python', sys.version.split()[0], '| torch', \
torch.__version__, 'cuda', torch.version.cuda, 'hip', torch.version.hip, '| transformers', transformers.__version__, \
'| cuda available', torch.cuda.is_available())"
if command -v nvidia-smi >/dev/null; then
    step "nvidia-smi" nvidia-smi --query-gpu=index,name,memory.total,memory.free,driver_version,compute_cap \
        --format=csv
fi
step "detect" "$PY" -m llmplanner detect --json
step "check OPT-125M f16 on cuda" "$PY" -m llmplanner check OPT-125M --device cuda --format f16 \
    --prompt-tokens 512 --gen-tokens 64 --json
if [ "${DEVICE_CHECK_LARGE:-1}" != "0" ]; then
    step "check Llama-3-8B bf16 on cuda" "$PY" -m llmplanner check Llama-3-8B --device cuda --format bf16 \
        --prompt-tokens 512 --gen-tokens 64 --json
fi
step "calibration" "$PY" -m llmplanner check --show-calibration --json
echo "===== $failed step(s) failed; calibration folder: $LLMPLANNER_CONFIG_DIR"
exit "$failed"
