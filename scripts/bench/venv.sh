# Sourced by scripts/bench/gate.sh and scripts/validate/gate_vs_aer.sh: creates the throw-away
# virtualenv .venv-bench (git-ignored) with the reference simulators from PyPI, pinned to the
# versions measured here. A package that fails to install is reported and left out; the
# variable BENCH_TOOLS then lists the tools that import. Re-running is cheap (a stamp file).
VENV="${VENV:-.venv-bench}"
BENCH_PINS=(
  "numpy==2.4.6" "scipy==1.17.1" "h5py==3.16.0"
  "qiskit==2.6.2" "qiskit-aer==0.18.2"
  "qulacs==0.6.14"
  "cirq-core==1.7.0" "qsimcirq==0.22.1"
  "pennylane==0.45.1" "pennylane-lightning==0.45.0"
)
bench_venv() {
  local stamp="$VENV/.wukong-pins"
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip >/dev/null
  fi
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${BENCH_PINS[*]}" ]; then
    local pin
    for pin in "${BENCH_PINS[@]}"; do
      "$VENV/bin/pip" install -q "$pin" >/dev/null 2>&1 || echo "venv: pip install $pin FAILED; continuing without it" >&2
    done
    echo "${BENCH_PINS[*]}" > "$stamp"
  fi
  PY="$VENV/bin/python"
  BENCH_TOOLS=""
  local tool module
  for tool in aer:qiskit_aer qulacs:qulacs qsim:qsimcirq lightning:pennylane_lightning; do
    module="${tool#*:}"
    if "$PY" -c "import $module" >/dev/null 2>&1; then
      BENCH_TOOLS="${BENCH_TOOLS:+$BENCH_TOOLS,}${tool%%:*}"
    else
      echo "venv: $module does not import; ${tool%%:*} is left out" >&2
    fi
  done
  export PY BENCH_TOOLS
}
