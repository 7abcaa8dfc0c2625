# heapscope: `make run` (build + demo) and `make test` (build + every test) on Debian 12.
# Missing Debian packages are installed with apt-get when run as root; otherwise the exact
# apt-get line is printed and make stops.

BUILD       ?= build
ASAN_BUILD  ?= build-asan
FUZZ_BUILD  ?= build-fuzz
JOBS        ?= 2
FUZZ_SECONDS ?= 60
CMAKE_FLAGS ?=

PACKAGES := g++ cmake ninja-build pkg-config ccache qt6-base-dev qt6-svg-dev libgraphviz-dev \
            libsqlite3-dev libzstd-dev zlib1g-dev python3 xvfb xauth
FUZZ_PACKAGES := clang-14 libclang-rt-14-dev
DEMO := resources/demo
FUZZ_SEEDS := tiny-py311.pickle single-py311.pickle ties-py36.pickle ties-py39.pickle \
              hostile-values-py312.pickle hostile-values-p0-py312.pickle \
              hostile-values-p1-py312.pickle empty-py311.pickle batch1001-py311.pickle

export QT_QPA_PLATFORM ?= offscreen

.PHONY: all deps fuzz-deps configure build run test asan fuzz bench format clean

all: build

define ensure_packages
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	  else \
	    echo "Missing packages. Run as root:"; \
	    echo "  apt-get update && apt-get install -y --no-install-recommends$$missing"; \
	    exit 1; \
	  fi; \
	fi
endef

deps:
	$(call ensure_packages,$(PACKAGES))

fuzz-deps: deps
	$(call ensure_packages,$(FUZZ_PACKAGES))

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# The window on the bundled demo; without a display, the same demo exported to files.
DEMO_FILES = $(wildcard $(DEMO)/demo-after.pickle $(DEMO)/demo-before.pickle $(DEMO)/demo-native.zst $(DEMO)/demo-recorder.hsr)
DEMO_OUT   = $(BUILD)/demo

run: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  echo "== heapscope on the bundled demo: $(DEMO_FILES)"; \
	  env -u QT_QPA_PLATFORM $(BUILD)/bin/heapscope $(DEMO_FILES); \
	else \
	  echo "== No display (DISPLAY and WAYLAND_DISPLAY are not set), so no window."; \
	  echo "== Writing the headless export of the same demo to $(DEMO_OUT)/ instead:"; \
	  mkdir -p $(DEMO_OUT) && \
	  for f in $(DEMO_FILES); do \
	    n=$$(basename $$f); n=$${n%.*}; \
	    $(BUILD)/bin/heapscope export $$f --view flamegraph -o $(DEMO_OUT)/$$n-flamegraph.svg && \
	    $(BUILD)/bin/heapscope export $$f --view flamegraph --bottom-up -o $(DEMO_OUT)/$$n-bottom-up.png && \
	    $(BUILD)/bin/heapscope export $$f --view flamegraph -o $(DEMO_OUT)/$$n-flamegraph.pdf && \
	    $(BUILD)/bin/heapscope export $$f --view top-sites -o $(DEMO_OUT)/$$n-top-sites.csv || exit 1; \
	  done; \
	  ls -l $(DEMO_OUT); \
	  echo; $(BUILD)/bin/heapscope stats $(DEMO)/demo-after.pickle --limit 5; \
	  echo "== With a display, 'make run' opens the window on these files."; \
	fi

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The model and importer tests under AddressSanitizer + UndefinedBehaviorSanitizer.
asan: deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DHEAPSCOPE_SANITIZE=ON \
	      -DHEAPSCOPE_CORE_ONLY=ON $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && \
	  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  ctest --output-on-failure -j $(JOBS)

# libFuzzer on the pickle reader (clang), for FUZZ_SECONDS, starting from the test dumps.
fuzz: fuzz-deps
	cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	      -DCMAKE_CXX_COMPILER=clang++-14 -DHEAPSCOPE_FUZZ=ON
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	mkdir -p $(FUZZ_BUILD)/corpus
	cp $(addprefix tests/data/tracemalloc/,$(FUZZ_SEEDS)) $(FUZZ_BUILD)/corpus/
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  $(FUZZ_BUILD)/bin/fuzz_pickle -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	  -rss_limit_mb=2048 -print_final_stats=1 $(FUZZ_BUILD)/corpus
	mkdir -p $(FUZZ_BUILD)/corpus-heaptrack
	cp tests/data/heaptrack/seeds/* $(FUZZ_BUILD)/corpus-heaptrack/
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  $(FUZZ_BUILD)/bin/fuzz_heaptrack -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	  -rss_limit_mb=2048 -print_final_stats=1 $(FUZZ_BUILD)/corpus-heaptrack
	mkdir -p $(FUZZ_BUILD)/corpus-hsr
	cp tests/data/recorder/seeds/* $(FUZZ_BUILD)/corpus-hsr/
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  $(FUZZ_BUILD)/bin/fuzz_hsr -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	  -rss_limit_mb=2048 -print_final_stats=1 $(FUZZ_BUILD)/corpus-hsr

BENCH_PYTHON ?= python3

bench: build
	$(BUILD)/bin/bench_tracemalloc --python $(BENCH_PYTHON)
	$(BUILD)/bin/bench_heaptrack
	$(BUILD)/bin/bench_graph --python $(BENCH_PYTHON)
	$(BUILD)/bin/bench_flamegraph
	$(BUILD)/bin/bench_timeline
	$(BUILD)/bin/bench_window

format:
	$(call ensure_packages,clang-format)
	find app model importers views tests -name '*.cpp' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
