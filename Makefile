# The two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
BUILD_PACKAGES := pkg-config libjson-c-dev libopenblas-dev libpcre2-dev
EDITOR_PACKAGES := neovim emacs-nox elpa-eglot elpa-lsp-mode vim-nox vim-ale tmux
SWIFT ?= swift
BIN := .build/release/clinic-lsp
EXAMPLES := $(wildcard examples/*.clinic)
VENV := training/.venv

.PHONY: run test deps editor-deps build release test-swift test-editors test-fuzz fuzz bench bench-bigdoc train train-gpu fixtures clean

run: deps release
	$(BIN) extract --format text $(EXAMPLES)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) test-editors
	$(MAKE) test-fuzz

# Installs missing Debian packages when run as root; otherwise prints the apt-get line to run.
deps:
	@./scripts/ensure-debian-packages $(BUILD_PACKAGES)

editor-deps:
	@./scripts/ensure-debian-packages $(EDITOR_PACKAGES)

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

test-editors: build
	@./editors/test/run-all

# libFuzzer targets with the address sanitizer (Fuzz/, docs/FUZZING.md): a 20 s smoke of each in make test,
# 60 s each in make fuzz (FUZZ_SECONDS=600 make fuzz for a long run). A crash fails the target.
FUZZ_SECONDS ?= 60
test-fuzz:
	SWIFT=$(SWIFT) ./Fuzz/run 20

fuzz:
	SWIFT=$(SWIFT) ./Fuzz/run $(FUZZ_SECONDS)

bench: release
	./bench/run

# Big documents (issue 12): checks each target and prints the measured figures; exits 1 if one is missed.
bench-bigdoc: release
	python3 bench/bigdoc.py

$(VENV)/.installed: training/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q -r training/requirements.txt
	touch $@

# The shipped model's recipe, 36.6 min on 2 CPU cores: the previous shipped model (6 layers, commit 2b54ab0,
# itself make train-gpu's output on the terse generator) fine-tuned for one epoch on 7,000 notes of the
# broadened generator, embeddings and layer 0 frozen. It replaces model/ (git checkout model brings it back).
STAGE1 := training/work/stage1
STAGE1_COMMIT := 2b54ab0
train: $(VENV)/.installed
	mkdir -p $(STAGE1)
	for f in config.json model.safetensors vocab.txt tokenizer_config.json; do \
		git show $(STAGE1_COMMIT):model/$$f > $(STAGE1)/$$f || exit 1; done
	$(VENV)/bin/python training/train.py --base $(STAGE1) --out model --train-notes 7000 --epochs 1 --lr 8e-5 \
		--data-seed 2 --freeze-embeddings --freeze-layers 1

# From the base encoder: 6 layers, 12,000 notes x 4 epochs; 3.9 min on a GPU, hours on 2 CPU cores.
train-gpu: $(VENV)/.installed
	$(VENV)/bin/python training/train.py --out model

fixtures: $(VENV)/.installed
	$(VENV)/bin/python training/make_parity_fixtures.py --out Tests/QAEngineTests/Fixtures
	$(VENV)/bin/python training/make_int8_fixtures.py --fixtures Tests/QAEngineTests/Fixtures

clean:
	rm -rf .build
