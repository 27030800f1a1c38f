/* test_httpmsg.c - unit tests for httpmsg, HTTP heads judged by HTTP's rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../src/httpmsg.c"

static int parse(const char *text, int request, struct httpmsg *m, const char **why)
{
	return httpmsg_parse(text, strlen(text), request, m, why);
}

static void test_request_any_case_order_and_extras(void **state)
{
	const char *req = "GET /a?b=1 HTTP/1.1\r\nuser-agent: x/1\r\nconnection:close\r\n"
	                  "HOST:  127.0.0.1:8080 \r\nAccept: */*\r\n\r\nleft";
	struct httpmsg m;
	const char *why = NULL;
	size_t n;

	(void)state;
	assert_int_equal(parse(req, 1, &m, &why), HTTPMSG_OK);
	assert_string_equal(m.start[0], "GET");
	assert_string_equal(m.start[1], "/a?b=1");
	assert_string_equal(m.start[2], "HTTP/1.1");
	assert_string_equal(httpmsg_field(&m, "Host", &n), "127.0.0.1:8080");
	assert_int_equal(n, 1);
	assert_string_equal(httpmsg_field(&m, "Connection", &n), "close");
	assert_int_equal(m.len, strlen(req) - 4); /* "left" is not the head's */
	httpmsg_free(&m);
}

static void test_unfinished_head_wants_more(void **state)
{
	struct httpmsg m;
	const char *why = NULL;

	(void)state;
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a\r\n", 1, &m, &why), HTTPMSG_MORE);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a\r\n\r", 1, &m, &why), HTTPMSG_MORE);
	assert_int_equal(parse("", 1, &m, &why), HTTPMSG_MORE);
}

static void test_broken_heads(void **state)
{
	static const char *const bad_req[] = {
	        "GET / HTTP/1.1\nHost: a\n\n",        /* LF without CR */
	        "GET  / HTTP/1.1\r\n\r\n",            /* two spaces */
	        "GET /\r\n\r\n",                      /* no version */
	        "GET / HTTP/1.1\r\nHost : a\r\n\r\n", /* space before the colon */
	        "GET / HTTP/1.1\r\n folded\r\n\r\n",  /* obsolete continuation */
	        "GET / HTTP/1.1\r\nNo colon\r\n\r\n", /* not a field line */
	        "GET / HTTP/1.1\r\nA: b\rc\r\n\r\n",  /* a CR inside */
	        "GET / HTTP/11\r\n\r\n",              /* a bad version */
	};
	struct httpmsg m;
	const char *why;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_req) / sizeof(*bad_req); i++) {
		why = NULL;
		assert_int_equal(parse(bad_req[i], 1, &m, &why), HTTPMSG_BAD);
		assert_non_null(why);
	}
	assert_int_equal(parse("HTTP/1.1 20 OK\r\n\r\n", 0, &m, &why), HTTPMSG_BAD);
	assert_int_equal(parse("HTP/1.1 200 OK\r\n\r\n", 0, &m, &why), HTTPMSG_BAD);
}

static void test_status_lines(void **state)
{
	struct httpmsg m;
	const char *why = NULL;

	(void)state;
	assert_int_equal(parse("HTTP/1.0 404 Not Found\r\ncontent-length:0\r\n\r\n", 0, &m, &why),
	                 HTTPMSG_OK);
	assert_string_equal(m.start[1], "404");
	assert_string_equal(m.start[2], "Not Found");
	httpmsg_free(&m);
	/* The reason may be empty; even its space is forgiven. */
	assert_int_equal(parse("HTTP/1.1 200\r\n\r\n", 0, &m, &why), HTTPMSG_OK);
	assert_string_equal(m.start[2], "");
	httpmsg_free(&m);
}

static void test_repeated_field_has_no_single_value(void **state)
{
	struct httpmsg m;
	const char *why = NULL;
	size_t n;

	(void)state;
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", 1, &m, &why),
	                 HTTPMSG_OK);
	assert_null(httpmsg_field(&m, "Host", &n));
	assert_int_equal(n, 2);
	assert_null(httpmsg_field(&m, "Accept", &n));
	assert_int_equal(n, 0);
	httpmsg_free(&m);
}

static void test_values(void **state)
{
	(void)state;
	assert_true(httpmsg_value_matches("close", "close"));
	assert_true(httpmsg_value_matches("Close", "close"));
	assert_true(httpmsg_value_matches("keep-alive, close", "close"));
	assert_true(httpmsg_value_matches("text/html; charset=utf-8", "text/html"));
	assert_true(httpmsg_value_matches("text/html;charset=utf-8", "text/html"));
	assert_false(httpmsg_value_matches("text/htmlx", "text/html"));
	assert_false(httpmsg_value_matches("text/plain", "text/html"));
	assert_false(httpmsg_value_matches("closed", "close"));
	assert_false(httpmsg_value_matches("127.0.0.1:80", "127.0.0.1:8080"));
	assert_false(httpmsg_value_matches("48", "4"));
	assert_false(httpmsg_value_matches("", "close"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_request_any_case_order_and_extras),
	        cmocka_unit_test(test_unfinished_head_wants_more),
	        cmocka_unit_test(test_broken_heads),
	        cmocka_unit_test(test_status_lines),
	        cmocka_unit_test(test_repeated_field_has_no_single_value),
	        cmocka_unit_test(test_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
