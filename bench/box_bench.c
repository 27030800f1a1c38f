/* box_bench.c - time one box's creation and teardown (box_spawn), N times, in the best tier. */

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../src/box.h"
#include "../src/util.h"

#define BOX_DEADLINE_MS 10000 /* one box that takes longer is a failure, not a figure */

/* What the box does: say it is running, and end. */
static int trivial(void *arg)
{
	int fd = *(int *)arg;
	char c = 'x';

	return write(fd, &c, 1) == 1 ? 0 : 1;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* The p-th percentile (nearest rank) of n sorted values. */
static long percentile(const long *v, int n, int p)
{
	int rank = (p * n + 99) / 100;

	return v[rank < 1 ? 0 : rank > n ? n - 1 : rank - 1];
}

/* Wait for the box's byte (it runs) until a deadline; -1 if it never came. */
static int await_byte(int fd)
{
	int64_t deadline = now_ms() + BOX_DEADLINE_MS;
	struct pollfd p = {fd, POLLIN, 0};
	char c;

	for (;;) {
		int n = poll(&p, 1, ms_left(deadline));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		return read(fd, &c, 1) == 1 ? 0 : -1;
	}
}

/* One box: microseconds to create it (until fn runs) and to tear it down
 * (until it is reaped). 0, or -1 with err. */
static int one_box(enum tier t, const char *workdir, long *create_us, long *teardown_us, char *err)
{
	int fds[2], st;
	int64_t t0, t1;
	pid_t pid;

	if (pipe(fds) < 0)
		return errf(err, "pipe: %s", strerror(errno)), -1;
	t0 = now_us();
	struct box_opts o = {t, workdir, 0, NULL};

	pid = box_spawn(&o, trivial, &fds[1], err);
	if (pid < 0)
		goto fail;
	if (await_byte(fds[0]) < 0) {
		errf(err, "the box did not run within %d ms", BOX_DEADLINE_MS);
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		goto fail;
	}
	t1 = now_us();
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			errf(err, "waitpid: %s", strerror(errno));
			goto fail;
		}
	*create_us = (long)(t1 - t0);
	*teardown_us = (long)(now_us() - t1);
	close(fds[0]);
	close(fds[1]);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return errf(err, "the box ended with status %d", st), -1;
	return 0;
fail:
	close(fds[0]);
	close(fds[1]);
	return -1;
}

static void print_stats(const char *name, long *v, int n, int last)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_long);
	printf("  \"%s\": {\"median_ms\": %.3f, \"p99_ms\": %.3f, \"min_ms\": %.3f, \"max_ms\": "
	       "%.3f}%s\n",
	       name, percentile(v, n, 50) / 1000.0, percentile(v, n, 99) / 1000.0, v[0] / 1000.0,
	       v[n - 1] / 1000.0, last ? "" : ",");
}

int main(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *workdir = xasprintf("%s/box-bench-work-XXXXXX", tmp);
	char why[ERR_LEN];
	int n = argc > 1 ? atoi(argv[1]) : 100;
	long *create, *teardown, *total;
	enum tier t;

	if (argc > 2 || n < 1)
		errx(2, "usage: box_bench [N]");
	/* Like a real run: a work folder shown read-only in the box's own root. */
	if (!mkdtemp(workdir) || chmod(workdir, 0755) < 0)
		err(1, "mkdtemp");
	create = xcalloc((size_t)n, sizeof(long));
	teardown = xcalloc((size_t)n, sizeof(long));
	total = xcalloc((size_t)n, sizeof(long));
	t = box_best_tier();
	for (int i = 0; i < n; i++) {
		if (one_box(t, workdir, &create[i], &teardown[i], why) < 0) {
			rmdir(workdir);
			errx(1, "box %d of %d: %s", i + 1, n, why);
		}
		total[i] = create[i] + teardown[i];
	}
	rmdir(workdir);
	printf("{\n  \"tier\": \"%s\",\n  \"n\": %d,\n", box_tier_name(t), n);
	print_stats("create", create, n, 0);
	print_stats("teardown", teardown, n, 0);
	print_stats("total", total, n, 1);
	printf("}\n");
	free(create);
	free(teardown);
	free(total);
	free(workdir);
	return 0;
}
