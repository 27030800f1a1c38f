/* test_diagnose.c - unit tests for explaining sanitizer and valgrind reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/diagnose.c"

/* Real reports, made by tests/unit/data/diagnose/regen.sh from the programs
 * in src/ there: NAME.asan.txt as ./checker --asan runs them, NAME.vg.txt as
 * ./checker --valgrind does. The tests run from the repository's root. */
#define DATA   "tests/unit/data/diagnose"
#define SRCDIR DATA "/src"

/* ---- helpers ---- */

static char *fixture(const char *name)
{
	char *path = xasprintf("%s/%s", DATA, name), *text;
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		fail_msg("cannot open %s (run the tests from the repository's root)", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	text = xmalloc((size_t)n + 1);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	text[n] = '\0';
	fclose(f);
	free(path);
	return text;
}

/* The explanation of report name, with src as the learner's only file. */
static char *explain_as(const char *name, const char *src)
{
	char *text = fixture(name);
	char *sources[] = {(char *)src, NULL};
	char *d = diagnose(text, SRCDIR, sources);

	if (!d)
		fail_msg("no explanation for %s", name);
	free(text);
	return d;
}

/* The explanation of NAME.KIND.txt, whose program is src/NAME.c. */
static char *explain(const char *name, const char *kind)
{
	char *file = xasprintf("%s.%s.txt", name, kind), *src = xasprintf("%s.c", name);
	char *d = explain_as(file, src);

	free(file);
	free(src);
	return d;
}

static int has_error(const char *name)
{
	char *text = fixture(name);
	int e = diagnose_has_error(text);

	free(text);
	return e;
}

static void assert_contains(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("\"%s\" not found in:\n%s", part, text);
}

static void assert_lacks(const char *text, const char *part)
{
	if (strstr(text, part))
		fail_msg("\"%s\" should not be in:\n%s", part, text);
}

/* What diagnose_strip leaves of report name. */
static void assert_stripped(const char *name, const char *want)
{
	char *text = fixture(name);
	size_t n = diagnose_strip(text, strlen(text));

	assert_int_equal(n, strlen(want));
	assert_memory_equal(text, want, n);
	free(text);
}

/* ---- AddressSanitizer ---- */

static void test_heap_overflow_write(void **state)
{
	char *d = explain("heap_write", "asan");

	(void)state;
	assert_contains(d, "Heap buffer overflow: your program wrote 1 byte past the end of a "
	                   "block of 11 bytes reserved with malloc.");
	assert_contains(d, "at heap_write.c:11 in copiar_mensaje():  datos[n] = '\\0';");
	assert_contains(d, "called from heap_write.c:21 in main():");
	assert_contains(d, "the block was reserved at heap_write.c:8 in copiar_mensaje():  char "
	                   "*datos = malloc(n);");
	assert_contains(d, "one more byte for its '\\0'");
	assert_lacks(d, "more error");
	assert_int_equal(has_error("heap_write.asan.txt"), DIAG_ERROR);
	free(d);
}

static void test_heap_overflow_read(void **state)
{
	char *d = explain("heap_read", "asan");

	(void)state;
	assert_contains(d, "your program read 4 bytes past the end of a block of 16 bytes");
	assert_contains(d, "at heap_read.c:10 in sumar_puertos():  suma += puertos[i];");
	assert_contains(d, "called from heap_read.c:22 in main():");
	assert_contains(d, "reserved at heap_read.c:17 in main():  int *puertos = malloc(");
	free(d);
}

static void test_stack_overflow(void **state)
{
	char *d = explain("stack_write", "asan");

	(void)state;
	assert_contains(d, "Stack buffer overflow: your program wrote 1 byte outside the local "
	                   "array 'nombre' (8 bytes, declared on line 16).");
	assert_contains(d, "at stack_write.c:11 in copiar_nombre():  destino[i] = '\\0';");
	assert_contains(d, "called from stack_write.c:18 in saludar():  copiar_nombre(nombre, "
	                   "quien);");
	assert_int_equal(has_error("stack_write.asan.txt"), DIAG_ERROR);
	free(d);
}

static void test_global_overflow(void **state)
{
	char *d = explain("global", "asan");

	(void)state;
	assert_contains(d, "Global buffer overflow: your program wrote 4 bytes outside the global "
	                   "array 'clientes' (16 bytes, declared on line 6).");
	assert_contains(d, "at global.c:10 in registrar():  tabla[posicion] = fd;");
	assert_contains(d, "called from global.c:17 in main():");
	free(d);
}

static void test_use_after_free(void **state)
{
	char *d = explain("uaf", "asan");

	(void)state;
	assert_contains(d, "Use after free: your program read 4 bytes in a block of 40 bytes that "
	                   "had already been freed.");
	assert_contains(d, "at uaf.c:15 in atender_cliente():  if (close(c->fd) == -1)");
	assert_contains(d, "called from uaf.c:25 in main():  atender_cliente(c);");
	assert_contains(d, "it had been freed at uaf.c:14 in atender_cliente():  free(c);");
	assert_contains(d, "the block was reserved at uaf.c:21 in main():  struct cliente *c = "
	                   "malloc(sizeof *c);");
	assert_contains(d, "After free(p), do not use p again");
	assert_int_equal(has_error("uaf.asan.txt"), DIAG_ERROR);
	free(d);
}

/* Its frames keep the whole path of the build folder: the file still counts. */
static void test_double_free(void **state)
{
	char *text = fixture("double_free.asan.txt");
	char *d = explain("double_free", "asan");

	(void)state;
	assert_contains(text, "/double_free.c:22");
	assert_contains(d, "Double free: your program called free() a second time");
	assert_contains(d, "at double_free.c:22 in main():  free(c);");
	assert_contains(d, "it had already been freed at double_free.c:13 in cerrar_cliente():  "
	                   "free(c);");
	assert_contains(d, "the block was reserved at double_free.c:18 in main():");
	assert_lacks(d, "/tmp/");
	assert_int_equal(diagnose_has_error(text), DIAG_ERROR);
	free(text);
	free(d);
}

/* fgets(NULL) crashes inside libc: the place shown is the learner's call. */
static void test_null_dereference(void **state)
{
	char *d = explain("null_segv", "asan");

	(void)state;
	assert_contains(d, "Segmentation fault: your program used a NULL pointer");
	assert_contains(d, "at null_segv.c:8 in leer_configuracion():  if (fgets(linea, tam, f) "
	                   "== NULL)");
	assert_contains(d, "called from null_segv.c:18 in main():");
	assert_contains(d, "Check every pointer that can be NULL");
	assert_int_equal(has_error("null_segv.asan.txt"), DIAG_ERROR);
	free(d);
}

/* ---- UndefinedBehaviorSanitizer ---- */

static void test_ub_signed_overflow(void **state)
{
	char *d = explain("ub_overflow", "asan");

	(void)state;
	assert_contains(d, "Integer overflow: a calculation with signed integers");
	assert_contains(d, "at ub_overflow.c:7 in total_de_bytes():  int total = ya_recibidos + "
	                   "nuevos;");
	assert_contains(d, "called from ub_overflow.c:15 in main():");
	assert_contains(d, "the sanitizer says: signed integer overflow: 2 + 2147483646 cannot be "
	                   "represented in type 'int'");
	assert_contains(d, "long long");
	assert_int_equal(has_error("ub_overflow.asan.txt"), DIAG_ERROR);
	free(d);
}

static void test_ub_misaligned(void **state)
{
	char *d = explain("ub_misaligned", "asan");

	(void)state;
	assert_contains(d, "Misaligned access");
	assert_contains(d, "at ub_misaligned.c:8 in leer_largo():  return *(const uint32_t "
	                   "*)(mensaje + 1);");
	assert_contains(d, "which requires 4 byte alignment");
	assert_contains(d, "memcpy()");
	free(d);
}

static void test_ub_shift(void **state)
{
	char *d = explain("ub_shift", "asan");

	(void)state;
	assert_contains(d, "Invalid shift");
	assert_contains(d, "at ub_shift.c:6 in mascara():  return 1 << bits;");
	assert_contains(d, "shift exponent 32 is too large for 32-bit type 'int'");
	free(d);
}

static void test_ub_null_argument(void **state)
{
	char *d = explain("ub_null", "asan");

	(void)state;
	assert_contains(d, "NULL pointer: your program used a pointer that was NULL");
	assert_contains(d, "at ub_null.c:10 in largo_del_nombre():  return strlen(nombre);");
	free(d);
}

/* ---- LeakSanitizer ---- */

static void test_leak_only(void **state)
{
	char *d = explain("leak", "asan");

	(void)state;
	assert_int_equal(has_error("leak.asan.txt"), 0);
	assert_contains(d, "Memory leak: 120 bytes in 3 blocks reserved with malloc were never "
	                   "freed.");
	assert_contains(d, "120 bytes reserved at leak.c:12 in nuevo_cliente():  struct cliente "
	                   "*c = malloc(sizeof *c);");
	assert_contains(d, "called from leak.c:22 in main():");
	assert_contains(d, "freeaddrinfo()");
	assert_lacks(d, "overflow");
	free(d);
}

/* The totals are SUMMARY's; strdup and calloc count as malloc. */
static void test_leaks_several_places(void **state)
{
	char *d = explain("leaks_many", "asan");

	(void)state;
	assert_int_equal(has_error("leaks_many.asan.txt"), 0);
	assert_contains(d, "Memory leak: 21 bytes in 2 blocks");
	assert_contains(d, "16 bytes reserved at leaks_many.c:30 in preparar():  int *numeros = "
	                   "calloc(");
	assert_contains(d, "5 bytes reserved at leaks_many.c:22 in copiar():  return "
	                   "strdup(texto);");
	assert_lacks(d, "more place");
	free(d);
}

/* ---- valgrind ---- */

/* Two errors: the overflow, then puts() reading past the block. */
static void test_valgrind_invalid_write(void **state)
{
	char *d = explain("heap_write", "vg");

	(void)state;
	assert_contains(d, "Heap buffer overflow: your program wrote 1 byte past the end of a "
	                   "block of 11 bytes reserved with malloc.");
	assert_contains(d, "at heap_write.c:11 in copiar_mensaje():  datos[n] = '\\0';");
	assert_contains(d, "the block was reserved at heap_write.c:8 in copiar_mensaje():");
	assert_contains(d, "(1 more error was reported after this one");
	assert_int_equal(has_error("heap_write.vg.txt"), DIAG_ERROR);
	free(d);
}

static void test_valgrind_invalid_read(void **state)
{
	char *d = explain("heap_read", "vg");

	(void)state;
	assert_contains(d, "your program read 4 bytes past the end of a block of 16 bytes");
	assert_contains(d, "at heap_read.c:10 in sumar_puertos():  suma += puertos[i];");
	assert_contains(d, "reserved at heap_read.c:17 in main():");
	assert_lacks(d, "more error");
	free(d);
}

static void test_valgrind_use_after_free(void **state)
{
	char *d = explain("uaf", "vg");

	(void)state;
	assert_contains(d, "Use after free: your program read 4 bytes in a block of 40 bytes");
	assert_contains(d, "at uaf.c:15 in atender_cliente():  if (close(c->fd) == -1)");
	assert_contains(d, "it had been freed at uaf.c:14 in atender_cliente():  free(c);");
	assert_contains(d, "the block was reserved at uaf.c:21 in main():");
	free(d);
}

static void test_valgrind_double_free(void **state)
{
	char *d = explain("double_free", "vg");

	(void)state;
	assert_contains(d, "Double free");
	assert_contains(d, "at double_free.c:22 in main():  free(c);");
	assert_contains(d, "it had already been freed at double_free.c:13 in cerrar_cliente():");
	free(d);
}

static void test_valgrind_null(void **state)
{
	char *d = explain("null_segv", "vg");

	(void)state;
	assert_contains(d, "Segmentation fault: your program used a NULL pointer");
	assert_contains(d, "at null_segv.c:8 in leer_configuracion():  if (fgets(");
	/* The signal that ended it is the same error, not one more. */
	assert_lacks(d, "more error");
	assert_int_equal(has_error("null_segv.vg.txt"), DIAG_ERROR);
	free(d);
}

static void test_valgrind_uninitialised_condition(void **state)
{
	char *d = explain("uninit", "vg");

	(void)state;
	assert_contains(d, "Use of an uninitialised value");
	assert_contains(d, "at uninit.c:10 in procesar():  if (recibidos > 0)");
	assert_contains(d, "called from uninit.c:19 in main():");
	assert_contains(d, "the value is a local variable, never set, of the function that starts "
	                   "at uninit.c:5 in procesar()");
	assert_int_equal(has_error("uninit.vg.txt"), DIAG_ERROR);
	free(d);
}

/* "Syscall param socketcall.sendto(msg) points to uninitialised byte(s)". */
static void test_valgrind_syscall_uninitialised(void **state)
{
	char *d = explain("syscall_uninit", "vg");

	(void)state;
	assert_contains(d, "Uninitialised bytes passed to the system: sendto() received bytes");
	assert_contains(d, "at syscall_uninit.c:11 in responder():  send(fd, respuesta, sizeof "
	                   "respuesta, 0);");
	assert_contains(d, "called from syscall_uninit.c:20 in main():");
	assert_contains(d, "Send only the bytes you filled in");
	assert_lacks(d, "socketcall");
	assert_int_equal(has_error("syscall_uninit.vg.txt"), DIAG_ERROR);
	free(d);
}

static void test_valgrind_leak(void **state)
{
	char *d = explain("leak", "vg");

	(void)state;
	assert_int_equal(has_error("leak.vg.txt"), 0);
	assert_contains(d, "Memory leak: 120 bytes in 3 blocks reserved with malloc were never "
	                   "freed.");
	assert_contains(d, "120 bytes reserved at leak.c:12 in nuevo_cliente():  struct cliente "
	                   "*c = malloc(sizeof *c);");
	assert_contains(d, "called from leak.c:22 in main():");
	free(d);
}

/* Four records, three shown; "20 (16 direct, 4 indirect) bytes" counts 20. */
static void test_valgrind_leak_summary(void **state)
{
	char *d = explain("leaks_many", "vg");

	(void)state;
	assert_int_equal(has_error("leaks_many.vg.txt"), 0);
	assert_contains(d, "Memory leak: 141 bytes in 4 blocks");
	assert_contains(d, "5 bytes reserved at leaks_many.c:22 in copiar():");
	assert_contains(d, "20 bytes reserved at leaks_many.c:13 in nuevo_cliente():");
	assert_contains(d, "(and 1 more place)");
	free(d);
}

/* ---- reports that say less ---- */

/* The report stops after its first lines: the kind is known, the place is not. */
static void test_cut_short(void **state)
{
	char *text = fixture("uaf.asan.txt");
	char *sources[] = {"uaf.c", NULL};
	char *d;

	(void)state;
	strstr(text, "READ of size 4")[0] = '\0';
	d = diagnose(text, SRCDIR, sources);
	assert_non_null(d);
	assert_contains(d, "Use after free");
	assert_contains(d, "it may have been cut short");
	assert_int_equal(diagnose_has_error(text), DIAG_ERROR);
	free(d);
	free(text);
}

/* Cut in the middle of a frame, "uaf.c:15" arrives as "uaf.c:1": a place
 * half written is no place (line 1 would be the file's first comment). */
static void test_cut_in_a_frame(void **state)
{
	char *text = fixture("uaf.asan.txt");
	char *sources[] = {"uaf.c", NULL};
	char *d;

	(void)state;
	strstr(text, "in atender_cliente uaf.c:15")[sizeof("in atender_cliente uaf.c:1") - 1] =
	        '\0';
	d = diagnose(text, SRCDIR, sources);
	assert_non_null(d);
	assert_contains(d, "Use after free: your program read 4 bytes");
	assert_contains(d, "it may have been cut short");
	assert_lacks(d, "uaf.c:1 ");
	assert_lacks(d, "uaf.c:1:");
	assert_lacks(d, "uaf.c: libera");
	free(d);
	free(text);
}

/* Wherever the text stops, diagnose does not crash, and finds the error
 * once its first line is whole. */
static void check_every_cut(const char *name, const char *src, const char *first_line)
{
	char *text = fixture(name);
	char *sources[] = {(char *)src, NULL};
	size_t len = strlen(text), whole = (size_t)(strstr(text, first_line) - text);

	whole += strcspn(text + whole, "\n") + 1;
	for (size_t n = 0; n <= len; n++) {
		char *cut = xstrndup(text, n);
		char *d = diagnose(cut, SRCDIR, sources);
		if (n >= whole && !(d && diagnose_has_error(cut)))
			fail_msg("%s cut at %zu bytes: no error found", name, n);
		free(d);
		free(cut);
	}
	free(text);
}

static void test_every_cut(void **state)
{
	(void)state;
	check_every_cut("uaf.vg.txt", "uaf.c", "Invalid read of size 4");
	check_every_cut("heap_write.asan.txt", "heap_write.c", "ERROR: AddressSanitizer");
}

/* Only library frames: valgrind over a program built without -g. */
static void test_no_learner_frame(void **state)
{
	char *d = explain_as("strlen_nul.vg-nodebug.txt", "strlen_nul.c");

	(void)state;
	assert_contains(d, "Heap buffer overflow: your program read 1 byte past the end of a block "
	                   "of 4 bytes");
	assert_contains(d, "no line of your code appears in the report: it happened inside strlen");
	assert_lacks(d, "strlen_nul.c");
	assert_lacks(d, "reserved at");
	assert_int_equal(has_error("strlen_nul.vg-nodebug.txt"), DIAG_ERROR);
	free(d);
}

/* With -g the call is the learner's; a file not among the sources is not. */
static void test_frames_of_other_files(void **state)
{
	char *mine = explain_as("strlen_nul.asan.txt", "strlen_nul.c");
	char *other = explain_as("strlen_nul.asan.txt", "servidor.c");

	(void)state;
	assert_contains(mine, "read 5 bytes past the end of a block of 4 bytes");
	assert_contains(mine, "at strlen_nul.c:11 in main():  printf(\"%zu\\n\", strlen(nombre));");
	assert_contains(other, "it happened inside strlen)");
	assert_lacks(other, "__interceptor_");
	assert_lacks(other, "strlen_nul.c");
	free(mine);
	free(other);
}

/* Without the folder the places are still named, without their lines. */
static void test_no_source_folder(void **state)
{
	char *text = fixture("uaf.asan.txt");
	char *sources[] = {"uaf.c", NULL};
	char *d = diagnose(text, NULL, sources);

	(void)state;
	assert_non_null(d);
	assert_contains(d, "at uaf.c:15 in atender_cliente()\n");
	assert_lacks(d, "close(c->fd)");
	free(d);
	free(text);
}

static void test_no_report(void **state)
{
	const char *own = "servidor: bind: Address already in use\n"
	                  "Servidor escuchando en 127.0.0.1:8888 == listo ==\n"
	                  "#1 cliente atendido\n";
	char *sources[] = {"servidor.c", NULL};
	char *text = xstrdup(own);

	(void)state;
	assert_null(diagnose(own, SRCDIR, sources));
	assert_null(diagnose("", SRCDIR, sources));
	assert_null(diagnose(NULL, SRCDIR, sources));
	assert_int_equal(diagnose_has_error(own), 0);
	assert_int_equal(diagnose_has_error(NULL), 0);
	assert_int_equal(diagnose_strip(text, strlen(text)), strlen(own));
	assert_string_equal(text, own);
	free(text);
}

/* ---- the program's own lines ---- */

static void test_strip_keeps_program_lines(void **state)
{
	(void)state;
	assert_stripped("heap_write.asan.txt", "servidor: escuchando en el puerto 5000\n");
	assert_stripped("heap_write.vg.txt", "servidor: escuchando en el puerto 5000\n");
	/* valgrind goes on: what the program wrote after the report stays. */
	assert_stripped("uninit.vg.txt", "servidor: procesando\nservidor: resultado 0\n");
	/* The leak report at exit, and the empty line before it, go. */
	assert_stripped("leak.asan.txt", "servidor: fin\n");
	assert_stripped("leak.vg.txt", "servidor: fin\n");
	assert_stripped("ub_overflow.asan.txt", "");
	assert_stripped("null_segv.asan.txt", "");
	assert_stripped("ub_misaligned.asan.txt", "");
	assert_stripped("double_free.vg.txt", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_heap_overflow_write),
	        cmocka_unit_test(test_heap_overflow_read),
	        cmocka_unit_test(test_stack_overflow),
	        cmocka_unit_test(test_global_overflow),
	        cmocka_unit_test(test_use_after_free),
	        cmocka_unit_test(test_double_free),
	        cmocka_unit_test(test_null_dereference),
	        cmocka_unit_test(test_ub_signed_overflow),
	        cmocka_unit_test(test_ub_misaligned),
	        cmocka_unit_test(test_ub_shift),
	        cmocka_unit_test(test_ub_null_argument),
	        cmocka_unit_test(test_leak_only),
	        cmocka_unit_test(test_leaks_several_places),
	        cmocka_unit_test(test_valgrind_invalid_write),
	        cmocka_unit_test(test_valgrind_invalid_read),
	        cmocka_unit_test(test_valgrind_use_after_free),
	        cmocka_unit_test(test_valgrind_double_free),
	        cmocka_unit_test(test_valgrind_null),
	        cmocka_unit_test(test_valgrind_uninitialised_condition),
	        cmocka_unit_test(test_valgrind_syscall_uninitialised),
	        cmocka_unit_test(test_valgrind_leak),
	        cmocka_unit_test(test_valgrind_leak_summary),
	        cmocka_unit_test(test_cut_short),
	        cmocka_unit_test(test_cut_in_a_frame),
	        cmocka_unit_test(test_every_cut),
	        cmocka_unit_test(test_no_learner_frame),
	        cmocka_unit_test(test_frames_of_other_files),
	        cmocka_unit_test(test_no_source_folder),
	        cmocka_unit_test(test_no_report),
	        cmocka_unit_test(test_strip_keeps_program_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
