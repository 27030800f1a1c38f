/* test_filter.c - unit tests for the seccomp deny-list: what a program can no longer do. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/filter.c"

#include <fcntl.h>

/* Run fn in a child with the deny-list installed; its exit status. */
static int in_filtered_child(int (*fn)(void))
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(filter_install(0, NULL) == 0 ? fn() : 99);
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* On /dev/null a terminal request fails with ENOTTY; denied, with EPERM. */
static int push_input(unsigned long request)
{
	char c = 'x';
	int fd = open("/dev/null", O_RDWR);
	long r = syscall(SYS_ioctl, fd, request, &c);

	return r == -1 && errno == EPERM ? 0 : 1;
}

static int sti(void)
{
	return push_input(TIOCSTI);
}

/* The kernel reads the request as an int: upper bits must not slip past. */
static int sti_high_bits(void)
{
	return push_input((unsigned long)TIOCSTI | (1UL << 32));
}

static int linux_console(void)
{
	return push_input(TIOCLINUX);
}

/* Other terminal requests stay allowed (isatty() asks TCGETS). */
static int tcgets_allowed(void)
{
	int fd = open("/dev/null", O_RDWR);

	return !isatty(fd) && errno == ENOTTY ? 0 : 1;
}

static void test_terminal_injection_denied(void **state)
{
	(void)state;
	if (!filter_works()) {
		skip();
		return;
	}
	assert_int_equal(in_filtered_child(sti), 0);
	assert_int_equal(in_filtered_child(sti_high_bits), 0);
	assert_int_equal(in_filtered_child(linux_console), 0);
	assert_int_equal(in_filtered_child(tcgets_allowed), 0);
}

/* Without the filter the same call is not refused that way: the test can fail. */
static void test_unfiltered_is_different(void **state)
{
	(void)state;
	assert_int_equal(sti(), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_terminal_injection_denied),
	        cmocka_unit_test(test_unfiltered_is_different),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
