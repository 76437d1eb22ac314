# jacviz: `make test` and `make render` each set up everything they need.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
QUALITY ?= l
# processes per clip: each clip is rendered in shards on every core (jacviz render --jobs)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PYTEST_ARGS ?= -n 2
# how long `make sweep` explores new random cases, in seconds
SWEEP_SECONDS ?= 300
# every source file that draws; a clip depends on its own scene module and on the rest
SOURCES := $(shell find jacviz scenes -name '*.py' -not -path '*/__pycache__/*')
SHARED := $(filter-out scenes/%,$(SOURCES)) scenes/__init__.py

.PHONY: all setup test sweep render clips interactive canvases doctor clean distclean help keyframes slides gallery bench lecture
.DELETE_ON_ERROR:

all: render

help:
	@echo "make test      set up (apt packages, .venv, reveal.js) and run the tests"
	@echo "make sweep     explore new random cases of the properties and sweeps (SWEEP_SECONDS=300)"
	@echo "make render    render every scene into renders/ (QUALITY=l|m|h|p|k, default l)"
	@echo "make renders/<scene>.mp4   render one scene"
	@echo "make interactive   every scene's live canvas: renders/<scene>.html"
	@echo "make slides    one reveal.js deck of the lesson + handout.pdf in renders/slides/"
	@echo "make gallery   renders/index.html: every clip with poster, captions, command"
	@echo "make lecture   the lesson as one narrated video in renders/lecture/ (VOICE=piper|espeak|none|DIR)"
	@echo "make bench     the benchmarks (bench/results.json)"
	@echo "make doctor    list dependencies, found or missing"

setup: $(STAMPS)/venv $(STAMPS)/reveal

# Debian packages: cairo/pango headers (pycairo, manimpango), LaTeX and dvisvgm (MathTex), chromium, npm
$(STAMPS)/system: tools/system-deps.sh
	@bash tools/system-deps.sh
	@mkdir -p $(STAMPS) && touch $@

# the virtualenv, with the project editable and every package pinned
$(STAMPS)/venv: $(STAMPS)/system pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c requirements.lock -e '.[render,cluster,voice,dev]'
	@touch $@

# reveal.js from the npm registry into the per-user cache, so that the deck opens offline
$(STAMPS)/reveal: jacviz/studio/assets/package.json jacviz/studio/assets/package-lock.json $(STAMPS)/venv
	$(BIN)/python -m jacviz.studio.assets
	@touch $@

# rewritten only when QUALITY changes, so that clips re-render at the new quality
$(STAMPS)/quality: FORCE
	@mkdir -p $(STAMPS)
	@echo "$(QUALITY)" | cmp -s - $@ || echo "$(QUALITY)" > $@

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# the suite runs the same examples every time; this explores new random ones (tests/sweep.py):
# each failure with the command that shows it, a summary, exit status 1 if anything failed
sweep: setup
	$(BIN)/python tests/sweep.py --seconds $(SWEEP_SECONDS)

# the scenes come from the one registry (jacviz list --names), read once the venv exists;
# make decides which clips are stale (LIST=1: their rules only print their names); one
# jacviz run renders them all from one queue of plans and shards, so no core idles
render: setup
	@stale="$$($(MAKE) --no-print-directory -s clips LIST=1 SCENES="$$($(BIN)/jacviz list --names)")"; \
	if [ -n "$$stale" ]; then $(BIN)/jacviz render $$stale -q $(QUALITY) --jobs $(JOBS); fi

clips: $(SCENES:%=renders/%.mp4)

.SECONDEXPANSION:
renders/%.mp4: scenes/$$(subst -,_,$$*).py $(SHARED) $(STAMPS)/venv $(STAMPS)/quality
	@$(if $(LIST),echo $*,$(BIN)/jacviz render $* -q $(QUALITY) --jobs $(JOBS))

# every scene's live canvas, one self-contained HTML page each (renders/<scene>.html);
# the scenes that have one come from jacviz.studio.interactive
CANVAS_ASSETS := $(wildcard jacviz/studio/interactive_assets/*)
interactive: setup
	@$(MAKE) --no-print-directory canvases CANVASES="$$($(BIN)/python -c \
	  'from jacviz.studio.interactive import canvas_scenes; print(*canvas_scenes())')"

canvases: $(CANVASES:%=renders/%.html)

renders/%.html: scenes/$$(subst -,_,$$*).py $(SHARED) $(CANVAS_ASSETS) $(STAMPS)/venv
	$(BIN)/jacviz interactive $*

# one reveal.js deck of the whole lesson, and a PDF handout of the slides' last frames
slides: renders/slides/index.html
renders/slides/index.html: $(SOURCES) $(CANVAS_ASSETS) $(STAMPS)/venv $(STAMPS)/reveal $(STAMPS)/quality
	$(BIN)/jacviz slides -q $(QUALITY)

# renders/index.html: every clip with poster, duration, parameters, captions, command
# the lesson as one narrated video (the venv has the voice extra: piper and its voice)
VOICE ?= piper
lecture: setup
	$(BIN)/jacviz lecture -q $(QUALITY) --voice $(VOICE)

gallery: render
	$(BIN)/jacviz gallery

# speed as side-by-side ratios; writes bench/results.json (never a timed test)
bench: setup
	$(BIN)/jacviz bench

doctor:
	@if [ -x $(BIN)/python ]; then $(BIN)/python jacviz/doctor.py; else $(PY) jacviz/doctor.py; fi

clean:
	rm -rf media renders/*.mp4 renders/*.webm renders/*.mov renders/*.gif renders/*.png \
	  renders/*.srt renders/*.vtt renders/*.json renders/*.html renders/posters renders/slides renders/lecture

distclean: clean
	rm -rf $(VENV) $(STAMPS)

FORCE:

# regenerate the graphical tests' control data (then look at renders/keyframes/*.png)
keyframes: setup
	JACVIZ_UPDATE_KEYFRAMES=1 $(BIN)/python -m pytest tests/test_scenes.py -k keyframes_match -q
