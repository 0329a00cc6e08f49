#!/usr/bin/env bash
# The whole issue-6 comparison in one command: for every model of MODELS, (re)start it with
# ../shared/llm/serve.sh (OpenAI API on :PORT, Ollama API on :OLLAMA_PORT), run
# bench/quality.py over the cases with the single config and the loop for every K of KS
# through that entry's provider, then print one merged report (quality.py --report) over all
# the JSON-lines files written. The server is stopped again when the script exits.
#
#   bash bench/quality_all.sh
#   MODELS="qwen2.5-coder-0.5b:openai" KS=1 CASES="0[1-5]_*" bash bench/quality_all.sh
#
# Time, on 2 cores with the 1.5B model: about 25 s per single-shot case and up to a few
# minutes per loop case (more with larger K); the 0.5B model is about 2.5x faster. With the
# defaults (82 cases, single + K 1,2,4, two models) expect a few hours; SPLIT=dev measures
# the half to tune on only (bench/cases/README.md). Models must have been set up first (bash ../shared/llm/setup.sh, LLM_MODELS=... for the 0.5B one).
#
# Environment:
#   MODELS       space-separated model:provider entries (provider: ollama or openai)
#                (default "qwen2.5-coder-1.5b:ollama qwen2.5-coder-0.5b:openai")
#   KS           candidates per round of the loop configs (default 1,2,4)
#   CASES        case folder glob (default *)
#   SPLIT        dev, reported or all (default all): which half of the cases
#   TIMEOUT      agentfix budget per case in seconds (default 300)
#   OUT          output folder (default bench/out-YYYY-MM-DD): <model>-<provider>.jsonl,
#                <model>-<provider>.md, traces-<model>-<provider>/, report.md
#   CASE_PYTHON  interpreter that runs the cases' tests (default: $OUT/casevenv/bin/python,
#                a plain venv with pytest, created when missing)
#   PYTHON       interpreter that runs quality.py (default .venv/bin/python)
#   LLM_HOME     passed on to serve.sh (where setup.sh put the venv and models)
#   PORT         OpenAI API port of serve.sh (default 8080)
#   OLLAMA_PORT  Ollama API port of serve.sh's shim (default 11434)
#   LLM_THREADS  passed on to serve.sh (use 1 when other CPU-heavy work runs)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

MODELS="${MODELS:-qwen2.5-coder-1.5b:ollama qwen2.5-coder-0.5b:openai}"
KS="${KS:-1,2,4}"
OUT="${OUT:-bench/out-$(date +%F)}"
PYTHON="${PYTHON:-.venv/bin/python}"
SERVE="../shared/llm/serve.sh"
export PORT="${PORT:-8080}"
export OLLAMA_PORT="${OLLAMA_PORT:-11434}"
if [ -n "${LLM_HOME:-}" ]; then export LLM_HOME; fi

[ -f "$SERVE" ] || { echo "quality_all.sh: $SERVE not found" >&2; exit 1; }
[ -x "$PYTHON" ] || { echo "quality_all.sh: no interpreter at $PYTHON (set PYTHON)" >&2; exit 1; }
mkdir -p "$OUT"

if [ -z "${CASE_PYTHON:-}" ]; then
  CASE_PYTHON="$OUT/casevenv/bin/python"
  if [ ! -x "$CASE_PYTHON" ]; then
    echo "creating $OUT/casevenv (pytest only) for the cases' tests" >&2
    python3 -m venv "$OUT/casevenv"
    "$OUT/casevenv/bin/pip" install -q pytest
  fi
fi

trap 'bash "$SERVE" stop >/dev/null || true' EXIT

written=()
for entry in $MODELS; do
  model="${entry%%:*}"
  provider="${entry#*:}"
  case "$provider" in
    ollama) base_url="http://127.0.0.1:$OLLAMA_PORT" ;;
    openai) base_url="http://127.0.0.1:$PORT/v1" ;;
    *) echo "quality_all.sh: bad entry $entry (want model:ollama or model:openai)" >&2; exit 1 ;;
  esac
  name="$model-$provider"
  echo "=== $name: starting the model" >&2
  bash "$SERVE" stop >&2
  LLM_MODEL="$model" bash "$SERVE" >&2
  echo "=== $name: running bench/quality.py" >&2
  "$PYTHON" bench/quality.py --provider "$provider" --base-url "$base_url" --model "$model" \
    --configs single,loop --k "$KS" --timeout "${TIMEOUT:-300}" --python "$CASE_PYTHON" \
    --cases "${CASES:-*}" --split "${SPLIT:-all}" --out "$OUT/$name.jsonl" --traces "$OUT/traces-$name" \
    | tee "$OUT/$name.md"
  written+=("$OUT/$name.jsonl")
done

echo "=== merged report" >&2
"$PYTHON" bench/quality.py --report "${written[@]}" --split "${SPLIT:-all}" | tee "$OUT/report.md"
