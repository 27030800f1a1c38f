/* test_http.c - unit tests for the libcurl client, against a scripted server
 * in a child process on loopback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../src/http.c"

/* The child's script: what it does with each connection it accepts. */
enum script {
	ANSWER_AND_CLOSE, /* one answer per connection, then close */
	KEEP_ALIVE,       /* answer every request on the same connection */
	GARBAGE,          /* a reply that is not HTTP */
	CLOSE_AT_ONCE,    /* read the request, answer nothing */
	SILENT,           /* read the request, never answer */
	BIG,              /* an answer of 1 MiB */
};

struct server {
	pid_t pid;
	int port;
	int lines; /* read end: the request lines the server saw, one per line */
};

/* Read one request head; copy its first line to the report pipe. */
static int read_request(int fd, int report)
{
	char buf[4096];
	size_t len = 0;
	ssize_t n;

	while (len < sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0) {
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n")) {
			*strchr(buf, '\r') = '\n';
			(void)!write(report, buf, (size_t)(strchr(buf, '\n') - buf + 1));
			return 0;
		}
	}
	return -1;
}

static void big_answer(int fd)
{
	static char chunk[65536];
	static const char head[] = "HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n";

	memset(chunk, 'x', sizeof(chunk));
	if (write(fd, head, sizeof(head) - 1) < 0)
		return;
	for (int i = 0; i < 16; i++)
		if (write(fd, chunk, sizeof(chunk)) < 0)
			return;
}

static void serve(int fd, enum script script, int report)
{
	static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
	                         "X-Prueba: sí\r\nContent-Length: 5\r\n\r\nhola\n";

	while (read_request(fd, report) == 0) {
		switch (script) {
		case ANSWER_AND_CLOSE:
		case KEEP_ALIVE:
			(void)!write(fd, ok, sizeof(ok) - 1);
			break;
		case GARBAGE:
			(void)!write(fd, "hola, soy un servidor\n", 22);
			return;
		case CLOSE_AT_ONCE:
			return;
		case SILENT:
			pause();
			break;
		case BIG:
			big_answer(fd);
			return;
		}
		if (script != KEEP_ALIVE)
			return;
	}
}

static struct server server_start(enum script script)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	int ls = socket(AF_INET, SOCK_STREAM, 0), p[2];
	struct server s;

	assert_true(ls >= 0);
	assert_int_equal(bind(ls, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(ls, 64), 0);
	assert_int_equal(getsockname(ls, (struct sockaddr *)&a, &alen), 0);
	assert_int_equal(pipe(p), 0);
	s.port = ntohs(a.sin_port);
	s.lines = p[0];
	s.pid = fork();
	assert_true(s.pid >= 0);
	if (s.pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		signal(SIGCHLD, SIG_IGN); /* the connections' processes reap themselves */
		close(p[0]);
		for (;;) {
			int fd = accept(ls, NULL, NULL);
			if (fd < 0)
				_exit(1);
			if (fork() == 0) {
				prctl(PR_SET_PDEATHSIG, SIGKILL);
				close(ls);
				serve(fd, script, p[1]);
				_exit(0);
			}
			close(fd);
		}
	}
	close(ls);
	close(p[1]);
	return s;
}

/* Stop the server; return what request lines it saw. */
static char *server_stop(struct server *s)
{
	struct buf b = {0};
	char chunk[512];
	ssize_t n;

	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
	/* Grandchildren may still hold the pipe: read what is there, do not wait. */
	fcntl(s->lines, F_SETFL, O_NONBLOCK);
	while ((n = read(s->lines, chunk, sizeof(chunk))) > 0)
		buf_append(&b, chunk, (size_t)n);
	close(s->lines);
	return b.data ? buf_steal(&b) : xstrdup("");
}

static void fetch(struct http_client *c, const struct http_req *q, struct http_resp *r,
                  int64_t within_ms)
{
	char err[256];

	assert_int_equal(http_start(c, q, r, err), 0);
	http_wait(c, now_ms() + within_ms, NULL, 0, NULL, NULL);
}

static void test_answer_read_whole(void **state)
{
	struct server s = server_start(ANSWER_AND_CLOSE);
	char err[256];
	struct http_client *c = http_client_new(err);
	struct http_req q = {.method = "GET", .path = "/hola.txt", .port = s.port};
	struct http_resp r;
	char *type, *odd, *seen;

	(void)state;
	assert_non_null(c);
	fetch(c, &q, &r, 5000);
	assert_int_equal(r.code, 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, 5);
	assert_memory_equal(r.body.data, "hola\n", 5);
	assert_int_equal(r.new_conns, 1);
	type = http_header(&r, "content-TYPE");
	odd = http_header(&r, "x-prueba");
	assert_string_equal(type, "text/plain; charset=utf-8");
	assert_string_equal(odd, "sí");
	assert_null(http_header(&r, "Content"));
	free(type);
	free(odd);
	http_resp_free(&r);
	http_client_free(c);
	seen = server_stop(&s);
	assert_string_equal(seen, "GET /hola.txt HTTP/1.1\n");
	free(seen);
}

/* Paths go out as written: no "../" folded, no "%2e" decoded. */
static void test_path_sent_as_written(void **state)
{
	struct server s = server_start(ANSWER_AND_CLOSE);
	char err[256];
	struct http_client *c = http_client_new(err);
	struct http_req q = {.method = "DELETE", .path = "/./../%2e%2E/x", .port = s.port};
	struct http_resp r;
	char *seen;

	(void)state;
	fetch(c, &q, &r, 5000);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);
	http_client_free(c);
	seen = server_stop(&s);
	assert_string_equal(seen, "DELETE /./../%2e%2E/x HTTP/1.1\n");
	free(seen);
}

/* A second request on a kept connection opens none; after a close it does. */
static void test_keep_alive_counted(void **state)
{
	enum script scripts[2] = {KEEP_ALIVE, ANSWER_AND_CLOSE};

	(void)state;
	for (int i = 0; i < 2; i++) {
		struct server s = server_start(scripts[i]);
		char err[256];
		struct http_client *c = http_client_new(err);
		struct http_req q = {.method = "GET", .path = "/", .port = s.port};
		struct http_resp r1, r2;

		fetch(c, &q, &r1, 5000);
		fetch(c, &q, &r2, 5000);
		assert_int_equal(r1.status, 200);
		assert_int_equal(r2.status, 200);
		assert_int_equal(r1.new_conns, 1);
		assert_int_equal(r2.new_conns, scripts[i] == KEEP_ALIVE ? 0 : 1);
		http_resp_free(&r1);
		http_resp_free(&r2);
		http_client_free(c);
		free(server_stop(&s));
	}
}

static void test_parallel_transfers(void **state)
{
	struct server s = server_start(ANSWER_AND_CLOSE);
	char err[256];
	struct http_client *c = http_client_new(err);
	struct http_req q = {.method = "GET", .path = "/", .port = s.port};
	struct http_resp r[8];
	char *seen;

	(void)state;
	for (int i = 0; i < 8; i++)
		assert_int_equal(http_start(c, &q, &r[i], err), 0);
	http_wait(c, now_ms() + 5000, NULL, 0, NULL, NULL);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(r[i].status, 200);
		assert_int_equal(r[i].body_len, 5);
		http_resp_free(&r[i]);
	}
	http_client_free(c);
	seen = server_stop(&s);
	assert_int_equal(strlen(seen), 8 * strlen("GET / HTTP/1.1\n"));
	free(seen);
}

/* Each way an answer goes wrong ends with its own sentence. */
static void test_failures_explained(void **state)
{
	struct {
		enum script script;
		const char *words;
	} cases[] = {
	        {GARBAGE, "not an HTTP answer"},
	        {CLOSE_AT_ONCE, "without answering"},
	        {SILENT, "did not finish its answer in time"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct server s = server_start(cases[i].script);
		char err[256];
		struct http_client *c = http_client_new(err);
		struct http_req q = {.method = "GET", .path = "/", .port = s.port};
		struct http_resp r;
		int64_t t0 = now_ms();

		fetch(c, &q, &r, 300);
		assert_int_not_equal(r.code, 0);
		assert_true(now_ms() - t0 < 5000); /* the deadline holds */
		if (!strstr(http_error_text(r.code), cases[i].words))
			fail_msg("case %zu: %d %s (%s)", i, r.code, http_error_text(r.code),
			         r.error);
		/* libcurl's own words, except for the deadline, which is ours */
		assert_int_equal(r.error[0] != '\0', cases[i].script != SILENT);
		http_resp_free(&r);
		http_client_free(c);
		free(server_stop(&s));
	}
}

static void test_nobody_listening(void **state)
{
	struct server s = server_start(ANSWER_AND_CLOSE);
	int port = s.port;
	char err[256];
	struct http_client *c;
	struct http_req q = {.method = "GET", .path = "/"};
	struct http_resp r;

	(void)state;
	free(server_stop(&s)); /* the port is free again */
	c = http_client_new(err);
	q.port = port;
	fetch(c, &q, &r, 2000);
	assert_non_null(strstr(http_error_text(r.code), "could not connect"));
	assert_int_equal(r.status, 0);
	http_resp_free(&r);
	http_client_free(c);
}

/* What an answer holds is counted in the request's budget until it is
 * freed; an answer larger than the budget stops there, and says so. */
static void test_budget(void **state)
{
	struct server s = server_start(BIG);
	char err[256];
	struct http_client *c = http_client_new(err);
	struct budget b = {.cap = 2 << 20};
	struct http_req q = {.method = "GET", .path = "/", .port = s.port, .budget = &b};
	struct http_resp r;

	(void)state;
	fetch(c, &q, &r, 5000);
	assert_int_equal(r.code, 0);
	assert_false(r.over_budget);
	assert_int_equal(r.body.len, 1 << 20);
	assert_int_equal(b.held, r.head.len + r.body.len);
	http_resp_free(&r);
	assert_int_equal(b.held, 0);

	b.cap = 64 << 10;
	fetch(c, &q, &r, 5000);
	assert_true(r.over_budget);
	assert_int_not_equal(r.code, 0);
	assert_true(b.over);
	assert_true(b.held <= b.cap);
	assert_true(r.body.len < 64 << 10);
	http_resp_free(&r);
	assert_int_equal(b.held, 0);
	http_client_free(c);
	free(server_stop(&s));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_answer_read_whole),
	        cmocka_unit_test(test_path_sent_as_written),
	        cmocka_unit_test(test_keep_alive_counted),
	        cmocka_unit_test(test_parallel_transfers),
	        cmocka_unit_test(test_failures_explained),
	        cmocka_unit_test(test_nobody_listening),
	        cmocka_unit_test(test_budget),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
