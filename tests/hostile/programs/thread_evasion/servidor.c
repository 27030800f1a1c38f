/* Leaves its process group (fork + setsid) to run 16 threads and burn CPU there, while one thread serves. */
#include "common.h"
#include <pthread.h>
#include <time.h>

static void *idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* The hidden helper: threads the test counts for none, CPU it charges to no one. */
static void helper(int ready)
{
	pthread_t t;
	struct timespec start, now;

	setsid();
	for (int i = 0; i < 16; i++)
		pthread_create(&t, NULL, idle, NULL);
	if (write(ready, "y", 1) < 0)
		_exit(1);
	close(ready);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
	do /* one second of CPU, within the box's 3 s limit */
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
	while (now.tv_sec - start.tv_sec < 1);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	int p[2];
	char c;

	if (pipe(p) < 0)
		return 1;
	if (fork() == 0) {
		close(p[0]);
		helper(p[1]);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		return contained("the helper");
	return serve_echo(argc, argv);
}
