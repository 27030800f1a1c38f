# Makefile - build ./checker, its catalogues and tests; install Debian deps when missing.

CC ?= cc
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g
CFLAGS ?= -O2
CPPFLAGS += -I/usr/include/cjson
LDLIBS := -lcjson -lseccomp -lcurl -larchive -lpcap

SRC := $(filter-out src/main.c,$(wildcard src/*.c))
OBJ := $(SRC:src/%.c=build/obj/%.o)
ASAN_OBJ := $(SRC:src/%.c=build/asan/%.o)
UNIT := $(patsubst tests/unit/%.c,build/unit/%,$(wildcard tests/unit/test_*.c))
LANGS := es en
MO := $(LANGS:%=build/locale/%/LC_MESSAGES/checker.mo)

# Debian packages: what building needs, and what the tests need besides.
BUILD_DEPS := gcc make libc6-dev libcjson-dev libseccomp-dev libcurl4-openssl-dev libarchive-dev libpcap-dev gettext uidmap
# What the reports' by-hand recipes run (nc, and python3 where nc cannot).
LEARNER_DEPS := netcat-openbsd python3
TEST_DEPS := $(BUILD_DEPS) libcmocka-dev clang libclang-rt-14-dev python3 python3-jsonschema netcat-openbsd iproute2 patch util-linux procps libarchive-tools chromium tmux valgrind groff-base

# Integration tests by number: tests/integration/t0300-lesson03.sh is `make t0300`.
TNUMS := $(foreach f,$(wildcard tests/integration/t[0-9][0-9][0-9][0-9]-*.sh),\
	$(firstword $(subst -, ,$(notdir $(f)))))

FUZZ_OBJ := $(SRC:src/%.c=build/fuzz/%.o)
FUZZERS := build/fuzz/fuzz_spec build/fuzz/fuzz_escape
FUZZ_SECONDS ?= 15
FUZZ_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -g -O1
.SECONDARY: $(FUZZ_OBJ)

.PHONY: all demo check unit integration asan fuzz fuzz-check deps deps-learner deps-test clean pot gradescope fairness $(TNUMS)

all: deps checker $(MO)

checker: build/obj/main.o $(OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

build/obj/%.o: src/%.c $(wildcard src/*.h src/*.def) | build/obj
	$(CC) $(CFLAGS_BASE) $(CFLAGS) $(CPPFLAGS) -c -o $@ $<

build/asan/checker: build/asan/main.o $(ASAN_OBJ)
	$(CC) -fsanitize=address,undefined -o $@ $^ $(LDLIBS)

build/asan/%.o: src/%.c $(wildcard src/*.h src/*.def) | build/asan
	$(CC) $(CFLAGS_BASE) -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
		-fno-sanitize-recover=all $(CPPFLAGS) -c -o $@ $<

build/locale/%/LC_MESSAGES/checker.mo: locale/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# libFuzzer targets (clang), over the same sources with coverage.
build/fuzz/%.o: src/%.c $(wildcard src/*.h src/*.def) | build/fuzz
	clang $(CFLAGS_BASE) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(CPPFLAGS) -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ)
	clang $(CFLAGS_BASE) $(FUZZ_FLAGS) -fsanitize=fuzzer $(CPPFLAGS) -o $@ $^ $(LDLIBS)

# A bounded run of each fuzzer from the seed corpus kept in the repository;
# what they find goes to build/, never into the seed corpus.
fuzz-check: deps-test $(FUZZERS)
	@for f in spec escape; do \
		mkdir -p build/fuzz/found-$$f && \
		build/fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -timeout=5 -rss_limit_mb=2048 \
			-print_final_stats=0 build/fuzz/found-$$f tests/fuzz/corpus/$$f 2>build/fuzz/$$f.log \
		&& echo "fuzz_$$f: $(FUZZ_SECONDS) s without a crash" \
		|| { tail -40 build/fuzz/$$f.log; exit 1; }; \
	done

# Longer runs: make fuzz FUZZ_SECONDS=3600
fuzz: FUZZ_SECONDS = 600
fuzz: fuzz-check

build/obj build/asan build/unit build/fuzz:
	mkdir -p $@

# The message catalogue template, from the _() and N_() calls in src/.
pot:
	xgettext -L C --from-code=UTF-8 -k_ -kN_ -kngettext:1,2 --add-comments=TRANSLATORS: \
		--package-name=checker -o locale/checker.pot src/*.c src/*.def
	msgmerge --update --backup=none locale/es.po locale/checker.pot
	@# English is the msgids themselves: its catalogue is made, never edited.
	msginit --no-translator --no-wrap -l en_US.UTF-8 -i locale/checker.pot -o locale/en.po

# Install what is missing (as root), or say exactly what to run.
deps:
	@./tools/deps.sh $(BUILD_DEPS)

deps-learner:
	@./tools/deps.sh $(LEARNER_DEPS)

deps-test:
	@./tools/deps.sh $(TEST_DEPS)

demo: all deps-learner
	@./tools/demo.sh

build/unit/%: tests/unit/%.c $(OBJ) | build/unit
	$(CC) $(CFLAGS_BASE) -O0 $(CPPFLAGS) -o $@ $< $(filter-out build/obj/$(*:test_%=%).o,$(OBJ)) $(LDLIBS) -lcmocka

unit: deps-test $(UNIT)
	@for t in $(UNIT); do $$t || exit 1; done

integration: deps-test checker $(MO)
	@./tests/integration/run.sh

asan: deps-test build/asan/checker $(MO)
	@CHECKER=build/asan/checker CHECKER_SANITIZED=1 ./tests/integration/run.sh

$(TNUMS): deps-test checker $(MO)
	@./tests/integration/run.sh $@

check: deps-test all unit fuzz-check integration asan
	@echo "make check: all suites passed"

# Gradescope's autograder: make gradescope LESSONS=lesson03,lesson05 (or all)
# [ALLOW_WEAK=1: grade even where only a weak isolation tier can be had]
# gives build/gradescope.zip: the checker's sources, the lessons' specs and
# files, setup.sh and run_autograder. No solutions and no tests go in it.
LESSONS ?= all
gradescope:
	@./tools/deps.sh libarchive-tools
	@for l in $$(echo '$(LESSONS)' | tr ',' ' '); do \
		[ "$$l" = all ] || [ -f "lessons/$$l/spec.json" ] || \
		{ echo "make gradescope: no lesson $$l (LESSONS=lesson03,lesson05 or all)" >&2; exit 2; }; \
	done
	@rm -rf build/gradescope build/gradescope.zip && mkdir -p build/gradescope/tools
	@cp -r Makefile src lessons locale build/gradescope/
	@cp tools/deps.sh build/gradescope/tools/
	@cp tools/gradescope/setup.sh tools/gradescope/run_autograder build/gradescope/
	@echo '$(LESSONS)' >build/gradescope/lessons.txt
	@if [ -n "$(ALLOW_WEAK)" ]; then echo --allow-weak; fi >build/gradescope/flags.txt
	@cd build/gradescope && bsdtar --format zip -cf ../gradescope.zip \
		setup.sh run_autograder lessons.txt flags.txt Makefile src lessons locale tools
	@echo "build/gradescope.zip: upload it as the autograder (lessons: $(LESSONS))"

clean:
	rm -rf build checker

# The benchmark: make bench writes bench/results.md and bench/results.json;
# make bench BENCH_SIZE=tiny BENCH_OUT=DIR is the quick run make check makes.
BENCH_SIZE ?= full
BENCH_OUT ?= bench
.PHONY: bench
# Correct programs under load (tools/fairness.sh): not part of check.
fairness: deps-test all $(MO)
	@./tools/fairness.sh

bench: all build/bench/box_bench build/bench/baseline build/bench/rss_probe.so
	@python3 bench/bench.py --size $(BENCH_SIZE) --out $(BENCH_OUT)

build/bench/box_bench: bench/box_bench.c $(OBJ) | build/bench
	$(CC) $(CFLAGS_BASE) $(CFLAGS) $(CPPFLAGS) -o $@ $< $(OBJ) $(LDLIBS)

build/bench/baseline: bench/baseline.c | build/bench
	$(CC) $(CFLAGS_BASE) $(CFLAGS) -o $@ $<

build/bench/rss_probe.so: bench/rss_probe.c | build/bench
	$(CC) $(CFLAGS_BASE) $(CFLAGS) -shared -fPIC -o $@ $<

build/bench:
	mkdir -p $@
