#!/bin/sh
# regen.sh - remake the reports test_diagnose.c reads: each program of src/
# built and run as ./checker --asan and --valgrind do (run.c), its stderr kept.
set -eu
cd "$(dirname "$0")"
HERE=$(pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM
SYMBOLIZER=$(command -v llvm-symbolizer || ls /usr/lib/llvm-*/bin/llvm-symbolizer 2>/dev/null | tail -1 || true)

asan_opts() {
	echo "abort_on_error=1:exitcode=0:detect_leaks=1:print_legend=0:color=never:allow_addr2line=1:quarantine_size_mb=64:mmap_limit_mb=256$1"
}

# asan NAME [full]: NAME.asan.txt; "full" keeps the whole path in frames, as
# when the work folder's name keeps the checker from stripping it.
asan() {
	strip=":strip_path_prefix=$WORK/"
	[ "${2:-}" = full ] && strip=
	cp "src/$1.c" "$WORK/"
	(cd "$WORK" && cc -fsanitize=address,undefined -fno-sanitize=object-size \
		-fno-omit-frame-pointer -g -O1 -o "$1" "$1.c" -pthread)
	(cd "$WORK" && env ASAN_OPTIONS="$(asan_opts "$strip")" \
		UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1:color=never \
		LSAN_OPTIONS=max_leaks=10:print_suppressions=0 \
		${SYMBOLIZER:+ASAN_SYMBOLIZER_PATH=$SYMBOLIZER} \
		"./$1" >/dev/null 2>"$HERE/$1.asan.txt") || true
}

# valgrind NAME [nodebug]: NAME.vg.txt, or NAME.vg-nodebug.txt built without -g.
valgrind_run() {
	out=$1.vg.txt flags="-g -O0"
	[ "${2:-}" = nodebug ] && out=$1.vg-nodebug.txt flags=-O0
	cp "src/$1.c" "$WORK/"
	(cd "$WORK" && cc $flags -o "$1" "$1.c" -pthread)
	(cd "$WORK" && valgrind -q --tool=memcheck --leak-check=full \
		--show-leak-kinds=definite --track-origins=yes --vgdb=no \
		"./$1" >/dev/null 2>"$HERE/$out") || true
}

for p in heap_write heap_read stack_write global uaf null_segv ub_null ub_overflow \
	ub_misaligned ub_shift leak leaks_many strlen_nul; do
	asan $p
done
asan double_free full
for p in heap_write heap_read uaf double_free null_segv uninit syscall_uninit leak leaks_many; do
	valgrind_run $p
done
valgrind_run strlen_nul nodebug
