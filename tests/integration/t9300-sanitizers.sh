#!/bin/sh
# t9300-sanitizers.sh - --asan and --valgrind: the solutions still pass, memory
# bugs fail with an explanation that names their line, a leak is told without
# failing.
. "$(dirname "$0")/lib.sh"

use_private_workdir

# grade_and_read OUT ARGS...: grade ARGS into OUT (JSON), then, read once (python is
# slow to start): OUT.sum with "run STATUS full|partial" and a line
# "ID STATUS VERDICT" per test, OUT.diag with the tests' explanations.
grade_and_read() {
	grade "$@"
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
with open(sys.argv[1] + ".sum", "w") as f:
    full = d["score"] == d["max_score"] > 0
    print("run", d["status"], "full" if full else "partial", file=f)
    for t in d["tests"]:
        print(t["id"], t["status"], t.get("verdict") or "-", file=f)
with open(sys.argv[1] + ".diag", "w") as f:
    print("\n".join(t["diagnosis"] for t in d["tests"] if t.get("diagnosis")), file=f)' "$1"
}

passes() {
	[ "$rc" -eq 0 ] && grep -qx "run pass full" "$1.sum"
}

# failed_by_memory OUT TEST: the run failed, TEST with a runtime error.
failed_by_memory() {
	[ "$rc" -eq 1 ] && grep -qx "run fail partial" "$1.sum" &&
		grep -qx "$2 fail runtime_error" "$1.sum"
}

diagnosis_has() {
	grep -qF -- "$2" "$1.diag"
}

nothing_explained() {
	! grep -q . "$1.diag"
}

# bug NAME LESSON: a readable copy of the lesson's solution with the patch
# $TMP/NAME.patch applied (the diff is the bug); prints its folder.
bug() {
	dst="$TMP/bug-$1"
	cp -r "$ROOT/solutions/$2" "$dst"
	if ! patch --quiet --directory="$dst" -p0 <"$TMP/$1.patch" >&2; then
		echo "t9300: $1.patch no longer applies to solutions/$2" >&2
		return 1
	fi
	chmod -R a+rX "$dst"
	echo "$dst"
}

# line_of FILE TEXT: the number of the first line of FILE holding TEXT.
line_of() {
	grep -nF -- "$2" "$1" | head -1 | cut -d: -f1
}

# ---- the solutions pass, instrumented: a server, a UDP server, a client ----
# Every test with --asan; under valgrind, slower by far, one test that
# matters for memory: threads, the largest datagram, a lost reply.

for L in "lesson03 dos_a_la_vez" "lesson05 grande" "lesson06 respuesta_perdida"; do
	set -- $L
	SOL=$(public_copy "$ROOT/solutions/$1")
	for how in asan valgrind; do
		out="$TMP/sol-$1-$how.json"
		if [ $how = asan ]; then
			grade_and_read "$out" "$1" --dir "$SOL" --asan
		else
			grade_and_read "$out" "$1" --dir "$SOL" --valgrind --test "$2"
		fi
		check "$1: the solution gets 100% with --$how" passes "$out"
		check "$1: nothing to explain with --$how" nothing_explained "$out"
	done
done

# ---- lesson03 with memory bugs: each fails with --asan ----
# (without --asan they may well pass: freed memory and a byte past a block
# usually hold on long enough for the answers to be right)

# The thread frees its client, then still reads the client's socket.
cat >"$TMP/uaf.patch" <<'EOF'
--- servidor.c
+++ servidor.c
@@ -158,10 +158,10 @@
             break;
         }
     }
-    if (close(c->fd) == -1)
-        perror("servidor: close");
     printf("Cliente %s desconectado\n", c->nombre);
     free(c);                                     /* el hilo libera lo suyo */
+    if (close(c->fd) == -1)
+        perror("servidor: close");
     return NULL;
 }
 
EOF
# Each piece received is copied to a block of exactly n bytes, then ended
# with a '\0' one byte past it.
cat >"$TMP/overflow.patch" <<'EOF'
--- servidor.c
+++ servidor.c
@@ -152,7 +152,11 @@
         }
         if (n == 0)                              /* el cliente cerró */
             break;
-        memcpy(respuesta + LARGO_PREFIJO, datos, (size_t)n);
+        char *copia = malloc((size_t)n);         /* justo n bytes */
+        memcpy(copia, datos, (size_t)n);
+        copia[n] = '\0';                         /* para tratarlo como cadena */
+        memcpy(respuesta + LARGO_PREFIJO, copia, (size_t)n);
+        free(copia);
         if (enviar_todo(c->fd, respuesta, LARGO_PREFIJO + (size_t)n) == -1) {
             perror("servidor: send");
             break;
EOF
UAF=$(bug uaf lesson03)
OVERFLOW=$(bug overflow lesson03)
uaf_line=$(line_of "$UAF/servidor.c" "if (close(c->fd) == -1)")
free_line=$(line_of "$UAF/servidor.c" "free(c);")
overflow_line=$(line_of "$OVERFLOW/servidor.c" "copia[n] = '\\0';")
alloc_line=$(line_of "$OVERFLOW/servidor.c" "char *copia = malloc((size_t)n);")
check "the bugs' lines are found" test -n "$uaf_line" -a -n "$free_line" -a -n "$overflow_line" \
	-a -n "$alloc_line"

# The freed client is read when a client leaves: in cliente_impaciente five
# leave before the last one is served.
out="$TMP/uaf-asan.json"
grade_and_read "$out" lesson03 --dir "$UAF" --asan --test cliente_impaciente
check "use after free: fails with --asan, as a runtime error" failed_by_memory "$out" cliente_impaciente
check "use after free: explained at servidor.c:$uaf_line" diagnosis_has "$out" "servidor.c:$uaf_line"
check "use after free: the line itself is shown" diagnosis_has "$out" "if (close(c->fd) == -1)"
check "use after free: where it was freed" diagnosis_has "$out" "servidor.c:$free_line"

out="$TMP/overflow-asan.json"
grade_and_read "$out" lesson03 --dir "$OVERFLOW" --asan --test eco
check "heap overflow: fails with --asan, as a runtime error" failed_by_memory "$out" eco
check "heap overflow: explained at servidor.c:$overflow_line" diagnosis_has "$out" \
	"servidor.c:$overflow_line"
check "heap overflow: the line itself is shown" diagnosis_has "$out" "copia[n] = '\\0';"
check "heap overflow: where the block was reserved" diagnosis_has "$out" "servidor.c:$alloc_line"

# valgrind does not stop the program: the answers may be right, the test fails all the same.
out="$TMP/uaf-valgrind.json"
grade_and_read "$out" lesson03 --dir "$UAF" --valgrind --test cliente_impaciente
check "use after free: fails with --valgrind, as a runtime error" failed_by_memory "$out" cliente_impaciente
check "use after free: valgrind's explanation names servidor.c:$uaf_line" diagnosis_has "$out" \
	"servidor.c:$uaf_line"

# ---- a leak is told, and fails nothing ----
# A server never ends by itself: the checker kills it, and neither tool
# looks for leaks then. A client does end: lesson06's never frees the reply
# it expects for each message.
cat >"$TMP/leak.patch" <<'EOF'
--- cliente.c
+++ cliente.c
@@ -215,7 +215,6 @@
             fprintf(stderr, "cliente: sin respuesta en %d ms; reenvío (intento %d de %d)\n",
                     ESPERA_MS, intento + 1, INTENTOS);
     }
-    free(esperada);
     if (n == 0)
         fprintf(stderr, "cliente: el servidor no respondió tras %d intentos de %d ms: "
                 "el mensaje o su respuesta se perdieron\n", INTENTOS, ESPERA_MS);
EOF
LEAK=$(bug leak lesson06)
leak_line=$(line_of "$LEAK/cliente.c" "char *esperada = malloc(")
check "the leak's line is found" test -n "$leak_line"
hows=valgrind
# LeakSanitizer needs ptrace, which Yama may keep for root alone.
[ "$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)" -ge 2 ] ||
	hows="asan valgrind"
for how in $hows; do
	out="$TMP/leak-$how.json"
	grade_and_read "$out" lesson06 --dir "$LEAK" --$how --test mensajes_por_defecto
	check "leak with --$how: the test still passes" passes "$out"
	check "leak with --$how: explained at cliente.c:$leak_line" diagnosis_has "$out" \
		"cliente.c:$leak_line"
	check "leak with --$how: the line itself is shown" diagnosis_has "$out" \
		"char *esperada = malloc(LARGO_PREFIJO + largo);"
done

# ---- the human report ----

human="$TMP/overflow-human.txt"
"$CHECKER" lesson03 --dir "$OVERFLOW" --asan --test eco --lang en >"$human" 2>&1 || true
check "human report: the explanation block" grep -qF "What the memory check found:" "$human"
check "human report: the bug's line" grep -qF "servidor.c:$overflow_line" "$human"
check "human report: no raw report without -v" sh -c "! grep -q 'ERROR: AddressSanitizer' \"$human\""
check "human report: the line to run again keeps --asan" \
	grep -qE -- "\./checker lesson03 --seed [0-9]+ .*--asan" "$human"
"$CHECKER" lesson03 --dir "$OVERFLOW" --asan --test eco --lang en -v >"$human.v" 2>&1 || true
check "human report with -v: the raw report too" grep -qF "ERROR: AddressSanitizer" "$human.v"
check "human report with -v: still the explanation" grep -qF "What the memory check found:" \
	"$human.v"

check_no_leftovers
finish
