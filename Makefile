# The course's commands. Every target that builds needs the system libraries, so it depends on `deps`.
SWIFT ?= swift
CONFIG ?= release
BUILD_FLAGS = -c $(CONFIG)
# swift build and swift test, with the one warning every literate chapter's compile prints left out
# (Scripts/swift.sh says why).
SWIFT_RUN = SWIFT="$(SWIFT)" Scripts/swift.sh
SYSTEM_PACKAGES = libopenblas-dev libpng-dev zlib1g-dev
PKG_CONFIG_NAMES = openblas libpng zlib
ARGS ?=
# `make bench-compare`: the PyTorch reference suite (run_all.py) and a Python that has torch.
PYTORCH_BENCH ?= Scripts/pytorch_reference
TORCH_PYTHON ?= venv-torch/bin/python
COMPARE_ARGS ?= --only W1,W2,W3,W4,W5,W6,W7,GEMM --threads 1 --rounds 3

.PHONY: deps build test bench bench-compare torch-venv experiment gallery clean chapters lessons help check-all

help:
	@echo "make chapter-N [ARGS=...]   build and run chapter N (e.g. make chapter-1)"
	@echo "make chapters [ARGS=...]    build and run every chapter"
	@echo "make lesson-N               run chapter N and re-render its page (README.md) and notebook"
	@echo "make lessons                re-run every chapter and re-render every page"
	@echo "make check-N                check your answers to chapter N's exercises (Chapters/NN-*/Exercises.swift)"
	@echo "                            SOLUTIONS=1: the teacher's solutions; EXERCISES=path: another copy of the file;"
	@echo "                            ARGS=\"--json\", ARGS=\"--only 5\", ARGS=\"--time-limit 30\""
	@echo "make check-all              check every chapter's exercises (SOLUTIONS=1 for the solutions)"
	@echo "make test                   run the whole test suite"
	@echo "make bench [ARGS=...]       run the benchmarks (release build), e.g. ARGS=\"--only W1,W4 --threads 1 --json out.json\""
	@echo "make bench-compare          the benchmarks and the PyTorch suite in alternation: ratios per metric"
	@echo "                            (TORCH_PYTHON=venv-torch/bin/python PYTORCH_BENCH=Scripts/pytorch_reference COMPARE_ARGS=...)"
	@echo "make torch-venv             creates venv-torch/ with PyTorch, safetensors, onnxruntime and numpy, for bench-compare"
	@echo "                            and the export tests (CPU-only torch where a local wheel exists)"
	@echo "make experiment ARGS=\"...\"  the experiment runner, e.g. ARGS=\"run --template sparse --name my_sparse_moe\""
	@echo "make gallery [ARGS=...]     render every chart kind into .build/gallery (ARGS=\"--out dir\")"
	@echo "make build | deps | clean"

# Installs the system libraries when they are missing (apt-get, as root or through sudo).
deps:
	@if pkg-config --exists $(PKG_CONFIG_NAMES) 2>/dev/null; then :; else \
	  if command -v pkg-config >/dev/null; then \
	    echo "Installing system libraries: $(SYSTEM_PACKAGES)"; \
	  else \
	    echo "pkg-config is missing (it finds the libraries); installing it with: $(SYSTEM_PACKAGES)"; \
	  fi; \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pkg-config $(SYSTEM_PACKAGES)) || exit 1; \
	  elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then \
	    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pkg-config $(SYSTEM_PACKAGES)) || exit 1; \
	  else \
	    if command -v pkg-config >/dev/null; then \
	      echo "error: missing system libraries. Install them with your package manager, e.g."; \
	    else \
	      echo "error: pkg-config is missing, so the libraries cannot be found. Install it and them, e.g."; \
	    fi; \
	    echo "  sudo apt-get install pkg-config $(SYSTEM_PACKAGES)"; \
	    exit 1; \
	  fi; \
	fi

build: deps
	@$(SWIFT_RUN) build $(BUILD_FLAGS)

# Tests pin OpenBLAS to one thread: the test runner already runs tests in parallel. First every
# exercise checker runs on the teacher's solutions (debug build, which the tests then reuse).
test: deps
	@echo "== make check-all SOLUTIONS=1 (debug build)"
	@$(MAKE) --no-print-directory check-all SOLUTIONS=1 CONFIG=debug
	@OPENBLAS_NUM_THREADS=1 $(SWIFT_RUN) test

bench: deps
	@$(SWIFT_RUN) build $(BUILD_FLAGS) --product Benchmarks
	@$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)/Benchmarks $(ARGS)

# Alternates this suite and the PyTorch one (each workload in its own process) and prints
# Swift / PyTorch per metric; without torch it prints the set-up and the Swift table, and exits 0.
bench-compare: deps
	@$(SWIFT_RUN) build $(BUILD_FLAGS) --product Benchmarks
	@python3 Scripts/bench_compare.py --swift-bin "$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)/Benchmarks" \
	  --pytorch-dir "$(PYTORCH_BENCH)" --python "$(TORCH_PYTHON)" $(COMPARE_ARGS)

torch-venv:
	@Scripts/setup-torch-venv.sh

# make experiment ARGS="run --template sparse --name my_sparse_moe": the runner (release build).
experiment: deps
	@$(SWIFT_RUN) build $(BUILD_FLAGS) --product moe-experiment
	@$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)/moe-experiment $(ARGS)

# Renders one figure of every chart kind (default folder .build/gallery) and times the region map.
gallery: deps
	@$(SWIFT_RUN) build $(BUILD_FLAGS) --product gallery
	@$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)/gallery $(ARGS)

# make chapter-1, make chapter-12: builds the chapter in release and runs it.
chapter-%: deps
	@n=$$(Scripts/chapter-number.sh '$*') || exit 2; \
	$(SWIFT_RUN) build $(BUILD_FLAGS) --product chapter-$$n && \
	$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)/chapter-$$n $(ARGS)

# make chapters: builds everything in release and runs every chapter in order, each with the options
# of ARGS that apply to it (figures in DIR/chapter-NN with --figures DIR), then prints their wall times.
chapters: deps
	@$(SWIFT_RUN) build $(BUILD_FLAGS)
	@Scripts/run-chapters.sh "$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)" $(ARGS)

# make lesson-1, make lesson-12: runs the chapter (release) and writes its README.md and notebook.
lesson-%: deps
	@n=$$(Scripts/chapter-number.sh '$*') || exit 2; \
	$(SWIFT_RUN) build $(BUILD_FLAGS) --product chapter-$$n && \
	$(SWIFT_RUN) build $(BUILD_FLAGS) --product render-lesson && \
	bin=$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path) && \
	$$bin/render-lesson $* --binary $$bin/chapter-$$n

# make lessons: re-runs every chapter and re-renders every lesson page and notebook.
lessons: deps
	@$(SWIFT_RUN) build $(BUILD_FLAGS)
	@bin=$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path); \
	for folder in Chapters/[0-9]*-*/; do \
	  n=$$(basename $$folder | cut -d- -f1); \
	  $$bin/render-lesson $$folder --binary $$bin/chapter-$$n || exit 1; \
	done

# make check-6: builds chapter 6's exercises and runs every check, each in its own process with a time
# limit; one line per exercise, a summary, exit code 0 only when all passed. SOLUTIONS=1 checks the
# teacher's solutions; EXERCISES=path checks another copy of the file (compiled in a scratch package
# under .build/, the chapter's own file untouched). Build output goes to standard error, so that
# ARGS="--json" leaves only JSON on standard output.
SOLUTIONS ?=
EXERCISES ?=
check-%: deps
	@n=$$(Scripts/chapter-number.sh '$*') || exit 2; \
	if [ -n "$(EXERCISES)" ]; then \
	  SWIFT="$(SWIFT)" Scripts/check-exercises-file.sh $$n "$(EXERCISES)" $(CONFIG) $(ARGS); \
	else \
	  $(SWIFT_RUN) build $(BUILD_FLAGS) --product check-exercises >&2 && \
	  $$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)/check-exercises $$n $(if $(SOLUTIONS),--solutions) $(ARGS); \
	fi

# make check-all [SOLUTIONS=1]: every chapter with exercises, then one line per chapter; fails if any failed.
check-all: deps
	@$(SWIFT_RUN) build $(BUILD_FLAGS) --product check-exercises >&2
	@bin=$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path); failed=""; \
	for folder in Chapters/[0-9]*-*/; do \
	  [ -d "$$folder/Checks" ] || continue; \
	  n=$$(expr "$$(basename $$folder | cut -d- -f1)" + 0); \
	  $$bin/check-exercises $$n $(if $(SOLUTIONS),--solutions) $(ARGS) || failed="$$failed $$n"; \
	done; \
	if [ -n "$$failed" ]; then echo "chapters with exercises not passed:$$failed"; exit 1; fi; \
	echo "every exercise of every chapter passed"

# `make chapter-` and `make lesson-` with no number: the list of chapters.
chapter- lesson- check-:
	@Scripts/chapter-number.sh ''

clean:
	rm -rf .build
