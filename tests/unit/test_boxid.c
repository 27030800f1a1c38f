/* test_boxid.c - unit tests for per-box uids: the range, the locks, the uids skipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/boxid.c"

static void test_range_default(void **state)
{
	char err[ERR_LEN] = "";
	int first, last;

	(void)state;
	unsetenv("CHECKER_UID_RANGE");
	assert_int_equal(boxid_range(&first, &last, err), 0);
	assert_int_equal(first, BOXID_FIRST);
	assert_int_equal(last, BOXID_FIRST + BOXID_COUNT - 1);
}

static void test_range_from_environment(void **state)
{
	static const char *const bad[] = {"5",   "10-5", "100-200",         "2000-3000x",
	                                  "a-b", "-1-5", "3000-9999999999", NULL};
	char err[ERR_LEN] = "";
	int first, last;

	(void)state;
	setenv("CHECKER_UID_RANGE", "700000-700009", 1);
	assert_int_equal(boxid_range(&first, &last, err), 0);
	assert_int_equal(first, 700000);
	assert_int_equal(last, 700009);
	for (size_t i = 0; bad[i]; i++) {
		setenv("CHECKER_UID_RANGE", bad[i], 1);
		*err = '\0';
		assert_int_equal(boxid_range(&first, &last, err), -1);
		assert_non_null(strstr(err, "CHECKER_UID_RANGE"));
	}
	unsetenv("CHECKER_UID_RANGE");
}

/* A subordinate-id file: lines name:start:count. */
static void test_sub_ranges(void **state)
{
	char path[] = "/tmp/test-boxid-XXXXXX";
	int fd = mkstemp(path);
	const char *text = "ana:100000:65536\n# no\nbad line\nluis:165536:10\n";

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_true(in_sub_ranges(path, 100000));
	assert_true(in_sub_ranges(path, 165535));
	assert_true(in_sub_ranges(path, 165545));
	assert_false(in_sub_ranges(path, 165546));
	assert_false(in_sub_ranges(path, 99999));
	assert_false(in_sub_ranges("/nonexistent/subuid", 100000));
	unlink(path);
}

/* As root: two boxes never hold the same uid, a uid is free again once
 * released, and a range with none left says so. */
static void test_acquire_exclusive(void **state)
{
	struct boxid a, b, c;
	char err[ERR_LEN] = "";

	(void)state;
	if (geteuid() != 0) {
		skip();
		return;
	}
	setenv("CHECKER_UID_RANGE", "709990-709991", 1);
	assert_int_equal(boxid_acquire(&a, err), 0);
	assert_int_equal(boxid_acquire(&b, err), 0);
	assert_int_not_equal(a.uid, b.uid);
	assert_int_equal(a.uid, a.gid);
	assert_int_equal(boxid_acquire(&c, err), -1);
	assert_non_null(strstr(err, "709990"));
	boxid_release(&a);
	assert_int_equal(a.uid, -1);
	assert_int_equal(boxid_acquire(&c, err), 0);
	boxid_release(&b);
	boxid_release(&c);
	unsetenv("CHECKER_UID_RANGE");
}

/* A uid that is already someone's (nobody's) is never handed out. */
static void test_acquire_skips_users(void **state)
{
	struct boxid a;
	char err[ERR_LEN] = "";
	struct passwd *pw = getpwnam("nobody");
	char range[64];

	(void)state;
	if (geteuid() != 0 || !pw || pw->pw_uid < 1000) {
		skip();
		return;
	}
	snprintf(range, sizeof(range), "%u-%u", (unsigned)pw->pw_uid, (unsigned)pw->pw_uid);
	setenv("CHECKER_UID_RANGE", range, 1);
	assert_int_equal(boxid_acquire(&a, err), -1);
	assert_int_equal(a.uid, -1);
	unsetenv("CHECKER_UID_RANGE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_range_default),
	        cmocka_unit_test(test_range_from_environment),
	        cmocka_unit_test(test_sub_ranges),
	        cmocka_unit_test(test_acquire_exclusive),
	        cmocka_unit_test(test_acquire_skips_users),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
