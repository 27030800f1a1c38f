/* test_tmpl.c - unit tests for templates and the seeded generator behind them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "../../src/tmpl.c"

#define DRAWS 2000

/* A fixture: one generator and the variables of one test. */
struct fix {
	struct rng rng;
	struct tmpl_vars vars;
	char err[ERR_LEN];
};

static int setup(void **state)
{
	struct fix *f = xcalloc(1, sizeof(*f));

	rng_seed(&f->rng, 42);
	tmpl_init(&f->vars, &f->rng);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	tmpl_free(&f->vars);
	free(f);
	return 0;
}

/* Expand in with a fresh generator seeded with seed. */
static char *expand_seeded(uint64_t seed, const char *in)
{
	struct rng r;
	struct tmpl_vars v;
	char err[ERR_LEN];
	char *out;

	rng_seed(&r, seed);
	tmpl_init(&v, &r);
	out = tmpl_expand_dup(&v, in, err);
	assert_non_null(out);
	tmpl_free(&v);
	return out;
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF. */
static int valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		uint32_t cp, min;
		int more;

		if (p[0] < 0x80) {
			p++;
			continue;
		}
		if ((p[0] & 0xe0) == 0xc0)
			cp = p[0] & 0x1f, more = 1, min = 0x80;
		else if ((p[0] & 0xf0) == 0xe0)
			cp = p[0] & 0x0f, more = 2, min = 0x800;
		else if ((p[0] & 0xf8) == 0xf0)
			cp = p[0] & 0x07, more = 3, min = 0x10000;
		else
			return 0;
		for (int i = 1; i <= more; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		p += more + 1;
	}
	return 1;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static void test_validator_itself(void **state)
{
	(void)state;
	assert_true(valid_utf8("ñandú €🦜"));
	assert_false(valid_utf8("\xc0\x80"));
	assert_false(valid_utf8("\xed\xa0\x80"));
	assert_false(valid_utf8("\xe2\x82"));
	assert_false(valid_utf8("\xff"));
}

static void test_same_seed_replays(void **state)
{
	const char *in = "{palabra} {frase} {utf8} {numero} {palabra_9}";
	char *a = expand_seeded(1234, in);
	char *b = expand_seeded(1234, in);

	(void)state;
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void test_different_seeds_differ(void **state)
{
	const char *in = "{palabra}|{frase}|{numero}";
	char *out[20];

	(void)state;
	for (int i = 0; i < 20; i++)
		out[i] = expand_seeded((uint64_t)i + 1, in);
	for (int i = 0; i < 20; i++)
		for (int j = i + 1; j < 20; j++)
			assert_string_not_equal(out[i], out[j]);
	for (int i = 0; i < 20; i++)
		free(out[i]);
}

static void test_variable_keeps_value(void **state)
{
	struct fix *f = *state;
	char *once, *again, *sep;
	const char *got;

	once = tmpl_expand_dup(&f->vars, "{palabra2}|{palabra2}", f->err);
	assert_non_null(once);
	sep = strchr(once, '|');
	assert_non_null(sep);
	*sep = '\0';
	assert_true(strlen(once) > 0);
	assert_string_equal(once, sep + 1);
	/* A later step sees the same value: what one sends, another expects. */
	again = tmpl_expand_dup(&f->vars, "Servidor recibió: {palabra2}", f->err);
	assert_non_null(again);
	assert_string_equal(again + strlen("Servidor recibió: "), once);
	got = tmpl_get(&f->vars, "palabra2", f->err);
	assert_non_null(got);
	assert_string_equal(got, once);
	free(once);
	free(again);
}

/* Values within a test are all different: twenty nicknames never collide
 * (a chat server would rightly refuse the second of two). Drawn freely,
 * twenty words collide in about one seed in 150. */
static void test_values_never_collide(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 2000; seed++) {
		char *s =
		        expand_seeded(seed, "{palabra_1}|{palabra_2}|{palabra_3}|{palabra_4}|"
		                            "{palabra_5}|{palabra_6}|{palabra_7}|{palabra_8}|"
		                            "{palabra_9}|{palabra_10}|{palabra_11}|{palabra_12}|"
		                            "{palabra_13}|{palabra_14}|{palabra_15}|{palabra_16}|"
		                            "{palabra_17}|{palabra_18}|{palabra_19}|{palabra_20}");
		char *words[20], *save = NULL;
		int n = 0;

		for (char *w = strtok_r(s, "|", &save); w && n < 20; w = strtok_r(NULL, "|", &save))
			words[n++] = w;
		assert_int_equal(n, 20);
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++)
				assert_string_not_equal(words[i], words[j]);
		free(s);
	}
}

static void test_suffixed_names_draw(void **state)
{
	struct fix *f = *state;
	const char *p = tmpl_get(&f->vars, "palabra_3_2", f->err);
	const char *fr = tmpl_get(&f->vars, "frase_1", f->err);
	const char *n = tmpl_get(&f->vars, "numero7", f->err);
	const char *u = tmpl_get(&f->vars, "utf8_c4", f->err);
	size_t len;

	assert_non_null(p);
	assert_non_null(fr);
	assert_non_null(n);
	assert_non_null(u);
	/* A palabra is a word then a number. */
	len = strlen(p);
	assert_true(len >= 3);
	assert_false(p[0] >= '0' && p[0] <= '9');
	assert_true(p[len - 1] >= '0' && p[len - 1] <= '9');
	assert_true(strncmp(fr, "¿", strlen("¿")) == 0);
	assert_int_equal(fr[strlen(fr) - 1], '?');
	assert_true(all_digits(n));
	assert_true(valid_utf8(u));
	/* Near misses of a generator's name are not generators. */
	assert_null(tmpl_get(&f->vars, "palabras", f->err));
	assert_null(tmpl_get(&f->vars, "Palabra", f->err));
	assert_null(tmpl_get(&f->vars, "palabr", f->err));
}

static void test_fixed_vars_from_set(void **state)
{
	struct fix *f = *state;
	char *s;

	/* {port} is set by the runner; unset, it has no value to draw. */
	assert_null(tmpl_expand_dup(&f->vars, "{port}", f->err));
	assert_non_null(strstr(f->err, "port"));
	tmpl_set(&f->vars, "port", "8888");
	tmpl_set(&f->vars, "port_alt", "8889");
	s = tmpl_expand_dup(&f->vars, "127.0.0.1:{port} y {port_alt}", f->err);
	assert_string_equal(s, "127.0.0.1:8888 y 8889");
	free(s);
	/* Setting again replaces the value. */
	tmpl_set(&f->vars, "port", "9000");
	s = tmpl_expand_dup(&f->vars, "{port}", f->err);
	assert_string_equal(s, "9000");
	free(s);
	/* A set value wins over the generator. */
	tmpl_set(&f->vars, "palabra", "fija");
	s = tmpl_expand_dup(&f->vars, "{palabra}", f->err);
	assert_string_equal(s, "fija");
	free(s);
}

static void test_literal_braces(void **state)
{
	struct fix *f = *state;
	struct buf b = {0};

	assert_int_equal(tmpl_expand(&f->vars, "{{palabra}} a{{b }}c {{{{", &b, f->err), 0);
	assert_string_equal(b.data, "{palabra} a{b }c {{");
	buf_free(&b);
	/* Literal braces around a real variable. */
	tmpl_set(&f->vars, "port", "80");
	assert_int_equal(tmpl_expand(&f->vars, "{{{port}}}", &b, f->err), 0);
	assert_string_equal(b.data, "{80}");
	buf_free(&b);
}

static void test_plain_text_unchanged(void **state)
{
	struct fix *f = *state;
	char *s = tmpl_expand_dup(&f->vars, "sin variables: ñ €", f->err);

	assert_string_equal(s, "sin variables: ñ €");
	free(s);
	s = tmpl_expand_dup(&f->vars, "", f->err);
	assert_string_equal(s, "");
	free(s);
}

static void test_error_unknown_variable(void **state)
{
	struct fix *f = *state;
	struct buf b = {0};

	assert_int_equal(tmpl_expand(&f->vars, "hola {palabrx}", &b, f->err), -1);
	assert_non_null(strstr(f->err, "{palabrx}"));
	buf_free(&b);
	assert_null(tmpl_expand_dup(&f->vars, "{nada}", f->err));
	assert_non_null(strstr(f->err, "nada"));
}

static void test_error_unclosed_brace(void **state)
{
	struct fix *f = *state;

	assert_null(tmpl_expand_dup(&f->vars, "abc {palabra", f->err));
	/* The message says where: offset 4. */
	assert_non_null(strstr(f->err, "4"));
	assert_int_equal(tmpl_check("x{", f->err), -1);
}

static void test_error_lone_close_brace(void **state)
{
	struct fix *f = *state;

	assert_null(tmpl_expand_dup(&f->vars, "ab}c", f->err));
	assert_non_null(strstr(f->err, "2"));
	assert_int_equal(tmpl_check("}", f->err), -1);
	assert_int_equal(tmpl_check("{palabra}}", f->err), -1);
}

static void test_error_bad_names(void **state)
{
	struct fix *f = *state;
	char longname[80];

	assert_null(tmpl_expand_dup(&f->vars, "{}", f->err));
	/* Spaces and braces never belong to a name, even after a valid prefix. */
	assert_null(tmpl_expand_dup(&f->vars, "{palabra_ 2}", f->err));
	assert_null(tmpl_expand_dup(&f->vars, "{palabra_{palabra}", f->err));
	assert_int_equal(tmpl_check("{palabra_ 2}", f->err), -1);
	snprintf(longname, sizeof(longname), "{palabra%0*d}", 64, 1);
	assert_null(tmpl_expand_dup(&f->vars, longname, f->err));
}

static void test_check_names(void **state)
{
	char err[ERR_LEN];

	(void)state;
	assert_int_equal(tmpl_check("{palabra} {frase2} {utf8_1} {numero} {port} {port_alt}", err),
	                 0);
	assert_int_equal(tmpl_check("{palabra_3_2} {{literal}} sin nada", err), 0);
	assert_int_equal(tmpl_check("", err), 0);
	assert_int_equal(tmpl_check("ok {palabrx}", err), -1);
	assert_non_null(strstr(err, "palabrx"));
	assert_int_equal(tmpl_check("{portx}", err), -1);
	assert_non_null(strstr(err, "portx"));
	assert_int_equal(tmpl_check("{i}", err), -1);
}

static void test_subst_only_exact_name(void **state)
{
	char *s = tmpl_subst("{i}-{i}-{in}-{i2}-{frase_{i}}-i-{ i}", "i", "7");

	(void)state;
	assert_string_equal(s, "7-7-{in}-{i2}-{frase_7}-i-{ i}");
	free(s);
	s = tmpl_subst("nada que cambiar", "i", "7");
	assert_string_equal(s, "nada que cambiar");
	free(s);
	s = tmpl_subst("{r}{r}", "r", "");
	assert_string_equal(s, "");
	free(s);
}

/* Generated values over many seeds: valid UTF-8, and the sizes lesson03
 * relies on (a phrase never fits in 16 bytes, a word always does). */
static void test_generated_text(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= DRAWS; seed++) {
		struct rng r;
		struct tmpl_vars v;
		char err[ERR_LEN];
		const char *pal, *fr, *u, *n;

		rng_seed(&r, seed * 7919);
		tmpl_init(&v, &r);
		pal = tmpl_get(&v, "palabra", err);
		fr = tmpl_get(&v, "frase", err);
		u = tmpl_get(&v, "utf8", err);
		n = tmpl_get(&v, "numero", err);
		assert_non_null(pal);
		assert_non_null(fr);
		assert_non_null(u);
		assert_non_null(n);
		assert_true(valid_utf8(pal));
		assert_true(valid_utf8(fr));
		assert_true(valid_utf8(u));
		assert_true(all_digits(n));
		assert_in_range(strlen(pal), 1, 16);
		assert_true(strlen(fr) > 16);
		assert_true(strlen(u) > 0);
		/* No braces: a value must never look like a template. */
		assert_null(strpbrk(pal, "{}"));
		assert_null(strpbrk(fr, "{}"));
		assert_null(strpbrk(u, "{}"));
		tmpl_free(&v);
	}
}

/* {bloque} is far larger than one recv() buffer, and replays like the rest. */
static void test_bloque(void **state)
{
	char *a = expand_seeded(5, "{bloque}");
	char *b = expand_seeded(5, "{bloque}");
	char *c = expand_seeded(6, "{bloque}");

	(void)state;
	/* Large enough to block a server writing to a connection nobody reads. */
	assert_true(strlen(a) >= 256 * 1024);
	assert_true(strlen(a) < 260 * 1024);
	assert_true(valid_utf8(a));
	assert_null(strpbrk(a, "{}"));
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_int_equal(tmpl_check("{bloque} {bloque_2}", NULL), 0);
	free(a);
	free(b);
	free(c);
}

/* {grande}: one datagram far past a 1024-byte buffer, well within UDP's
 * 65507 bytes, and replayable. */
static void test_grande(void **state)
{
	char *a = expand_seeded(5, "{grande}");
	char *b = expand_seeded(5, "{grande}");
	char *c = expand_seeded(6, "{grande}");

	(void)state;
	assert_true(strlen(a) >= 8 * 1024);
	assert_true(strlen(a) < 9 * 1024);
	assert_true(valid_utf8(a));
	assert_null(strpbrk(a, "{}"));
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_int_equal(tmpl_check("{grande} {grande2}", NULL), 0);
	free(a);
	free(b);
	free(c);
}

static void test_utf8_has_non_ascii(void **state)
{
	struct fix *f = *state;
	const char *u = tmpl_get(&f->vars, "utf8", f->err);
	int high = 0;

	assert_non_null(u);
	for (const char *p = u; *p; p++)
		high |= (unsigned char)*p >= 0x80;
	assert_true(high);
}

static void test_rng_replays(void **state)
{
	struct rng a, b, c;

	(void)state;
	rng_seed(&a, 7);
	rng_seed(&b, 7);
	rng_seed(&c, 8);
	for (int i = 0; i < 100; i++) {
		uint64_t x = rng_next(&a);
		assert_int_equal(x, rng_next(&b));
		assert_int_not_equal(x, rng_next(&c));
	}
}

static void test_rng_below_range_and_coverage(void **state)
{
	struct rng r;
	int seen[7] = {0};

	(void)state;
	rng_seed(&r, 99);
	for (int i = 0; i < 10000; i++) {
		uint32_t x = rng_below(&r, 7);
		assert_in_range(x, 0, 6);
		seen[x]++;
	}
	/* Uniform: each of 7 values near 10000/7 = 1428. */
	for (int i = 0; i < 7; i++)
		assert_in_range(seen[i], 1200, 1700);
	for (int i = 0; i < 100; i++)
		assert_int_equal(rng_below(&r, 1), 0);
	for (int i = 0; i < 1000; i++)
		assert_true(rng_below(&r, UINT32_MAX) < UINT32_MAX);
}

static void test_rng_derive(void **state)
{
	uint64_t d[100];

	(void)state;
	for (uint64_t i = 0; i < 100; i++) {
		d[i] = rng_derive(12345, i);
		assert_int_equal(d[i], rng_derive(12345, i));
		assert_int_not_equal(d[i], 12345);
		assert_int_not_equal(d[i], rng_derive(12346, i));
	}
	for (int i = 0; i < 100; i++)
		for (int j = i + 1; j < 100; j++)
			assert_int_not_equal(d[i], d[j]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_validator_itself),
	        cmocka_unit_test(test_same_seed_replays),
	        cmocka_unit_test(test_different_seeds_differ),
	        cmocka_unit_test_setup_teardown(test_variable_keeps_value, setup, teardown),
	        cmocka_unit_test(test_values_never_collide),
	        cmocka_unit_test_setup_teardown(test_suffixed_names_draw, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_fixed_vars_from_set, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_literal_braces, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_plain_text_unchanged, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_error_unknown_variable, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_error_unclosed_brace, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_error_lone_close_brace, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_error_bad_names, setup, teardown),
	        cmocka_unit_test(test_check_names),
	        cmocka_unit_test(test_subst_only_exact_name),
	        cmocka_unit_test(test_generated_text),
	        cmocka_unit_test(test_bloque),
	        cmocka_unit_test(test_grande),
	        cmocka_unit_test_setup_teardown(test_utf8_has_non_ascii, setup, teardown),
	        cmocka_unit_test(test_rng_replays),
	        cmocka_unit_test(test_rng_below_range_and_coverage),
	        cmocka_unit_test(test_rng_derive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
