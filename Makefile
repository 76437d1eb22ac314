# jacviz: `make test` and `make render` each set up everything they need.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
QUALITY ?= l
PYTEST_ARGS ?= -n 2

# the scenes, in lesson order (tests check this against scenes/__init__.py)
SCENE_NAMES := jacobian-grid local-linearity level-sets composition path-sums two-way tiny-network
SCENE_DEPS := scenes/__init__.py scenes/base.py scenes/style.py $(wildcard jacviz/*.py) \
              $(STAMPS)/venv $(STAMPS)/quality

.PHONY: all setup test render doctor clean distclean help keyframes slides gallery bench
.DELETE_ON_ERROR:

all: render

help:
	@echo "make test      set up (apt packages, .venv) and run the tests"
	@echo "make render    render every scene into renders/ (QUALITY=l|m|h|p|k, default l)"
	@echo "make renders/<scene>.mp4   render one scene"
	@echo "make slides    one reveal.js deck of the lesson + handout.pdf in renders/slides/"
	@echo "make gallery   renders/index.html: every clip with poster, captions, command"
	@echo "make doctor    list dependencies, found or missing"

setup: $(STAMPS)/venv

# Debian packages: cairo/pango headers (pycairo, manimpango), LaTeX and dvisvgm (MathTex)
$(STAMPS)/system: tools/system-deps.sh
	@bash tools/system-deps.sh
	@mkdir -p $(STAMPS) && touch $@

# the virtualenv, with the project editable and every package pinned
$(STAMPS)/venv: $(STAMPS)/system pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c requirements.lock -e '.[render,dev]'
	@touch $@

# rewritten only when QUALITY changes, so that clips re-render at the new quality
$(STAMPS)/quality: FORCE
	@mkdir -p $(STAMPS)
	@echo "$(QUALITY)" | cmp -s - $@ || echo "$(QUALITY)" > $@

test: setup $(STAMPS)/reveal
	$(BIN)/python -m pytest $(PYTEST_ARGS)

render: $(SCENE_NAMES:%=renders/%.mp4)

define scene_rule
renders/$(1).mp4: scenes/$(subst -,_,$(1)).py $(SCENE_DEPS)
	$(BIN)/jacviz render $(1) -q $(QUALITY)
endef
$(foreach s,$(SCENE_NAMES),$(eval $(call scene_rule,$(s))))

# reveal.js from the npm registry, so that the deck opens offline
$(STAMPS)/reveal: tools/slides/package.json tools/slides/package-lock.json $(STAMPS)/system
	cd tools/slides && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

SCENE_SOURCES := $(foreach s,$(SCENE_NAMES),scenes/$(subst -,_,$(s)).py)

# one reveal.js deck of the whole lesson, and a PDF handout of the slides' last frames
slides: renders/slides/index.html
renders/slides/index.html: $(SCENE_SOURCES) $(SCENE_DEPS) $(STAMPS)/reveal
	$(BIN)/jacviz slides -q $(QUALITY)

# renders/index.html: every clip with poster, duration, parameters, captions, command
gallery: render
	$(BIN)/jacviz gallery

# speed as side-by-side ratios; writes bench/results.json (never a timed test)
bench: setup
	$(BIN)/jacviz bench

doctor:
	@if [ -x $(BIN)/python ]; then $(BIN)/python jacviz/doctor.py; else $(PY) jacviz/doctor.py; fi

clean:
	rm -rf media renders/*.mp4 renders/*.webm renders/*.mov renders/*.gif renders/*.png \
	  renders/*.srt renders/*.vtt renders/*.json renders/posters renders/slides renders/index.html

distclean: clean
	rm -rf $(VENV) $(STAMPS)

FORCE:

# regenerate the graphical tests' control data (then look at renders/keyframes/*.png)
keyframes: setup
	JACVIZ_UPDATE_KEYFRAMES=1 $(BIN)/python -m pytest tests/test_scenes.py -k keyframes_match -q
