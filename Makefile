# Wukong emulator. The README's quick start is `make serve` (the cloud gateway) then `make test`.
SWIFT ?= swift
OUT ?= out
RELEASE_BIN = .build/release/wukong

.PHONY: demo test deps build release calibration calibrate clean bench-pulse bench-pulse-72 serve

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product wukong

## The main job on the embedded default: build, print the chip, render example waveforms, write a snapshot.
demo: release
	@mkdir -p $(OUT)
	$(RELEASE_BIN) chip show
	$(RELEASE_BIN) calibration show calibration/nominal.h5 | head -14
	$(RELEASE_BIN) waveform render --shape drag --duration-ns 30 --sigma-ns 7.5 --beta-ns 0.36 --amp 0.38 \
	    --if-ghz 0.1 --output $(OUT)/drag.h5 --svg $(OUT)/drag.svg
	$(RELEASE_BIN) waveform render --shape flattop-cosine --duration-ns 40 --rise-ns 5 --amp 0.3 \
	    --output $(OUT)/cz-flux.h5 --svg $(OUT)/cz-flux.svg
	$(RELEASE_BIN) waveform render --shape flattop-erf --duration-ns 200 --rise-ns 20 --amp 0.5 --if-ghz 0.05 \
	    --bandwidth-ghz 0.4 --output $(OUT)/readout.h5 --svg $(OUT)/readout.svg
	$(RELEASE_BIN) calibration nominal --output $(OUT)/snapshot.h5
	@echo "demo: outputs in $(OUT)/ (HDF5 waveforms, SVG plots, a calibration snapshot)"

## The cloud gateway on the embedded SQLite store: builds, then serves on 127.0.0.1:8080 with the shipped
## calibration; prints a first operator API key when the store is new.
GATEWAY_DB ?= .wukong/gateway.db
GATEWAY_PORT ?= 8080
GATEWAY_WORKERS ?= 2
serve: release
	$(RELEASE_BIN) serve --store sqlite:$(GATEWAY_DB) --host 127.0.0.1 --port $(GATEWAY_PORT) \
	    --workers $(GATEWAY_WORKERS) --calibration calibration/nominal.h5

## All tests (Swift Testing).
test: deps
	$(SWIFT) test --disable-xctest

## Regenerate the shipped nominal snapshot after editing calibration/device.yaml.
calibration: build
	.build/debug/wukong calibration nominal --output calibration/nominal.h5 --created-at 2024-01-06T00:00:00Z

## Calibrate the whole chip on the emulator, starting from the shipped nominal snapshot: every qubit
## (frequency, rabi, drag, readout, t1, t2) then every enabled coupler (cz), lab-grade sweeps, SVG plots.
## Not part of CI. QUICK=1 for coarse sweeps; QUBITS=0,1,6,7 (and COUPLERS=...) for a part of the chip.
CAL_OUT ?= $(OUT)/calibrated.h5
calibrate: release
	@mkdir -p $(OUT)
	$(RELEASE_BIN) calibrate --calibration calibration/nominal.h5 --output $(CAL_OUT) --plots $(OUT)/calibration-plots \
	    $(if $(QUICK),--quick) $(if $(QUBITS),--qubits $(QUBITS)) $(if $(COUPLERS),--couplers $(COUPLERS))

## Pulse-level benchmark against QuTiP and Qiskit Dynamics (throw-away virtualenv .venv-pulse).
bench-pulse: deps
	scripts/bench/pulse.sh $(OUT)

## The 72-qubit GHZ ladder on the pulse path (MPS state, calibrated CZs): stage times, P(all 0)+P(all 1),
## leakage, bond dimension. The first run calibrates the path's 71 CZs into $(OUT)/ghz72-calibrated.h5.
bench-pulse-72: deps
	scripts/bench/pulse-ghz72.sh $(OUT)

## Time per shot batch of the pulse backend (GHZ-5, 1000 shots, with and without firmware in the loop).
.PHONY: bench-pulse-backend
bench-pulse-backend: deps
	scripts/bench/pulse-backend.sh

clean:
	rm -rf .build $(OUT)

## Gate-level benchmark against Aer, Qulacs, qsim and Lightning (QUICK=1 for ≤ 20 qubits); see scripts/bench/gate.sh.
.PHONY: bench validate
bench: deps
	scripts/bench/gate.sh

## Gate-level validation against Qiskit Aer (amplitudes to 1e-10, chi-squared sampling); exits non-zero on failure.
validate: deps
	scripts/validate/gate_vs_aer.sh
