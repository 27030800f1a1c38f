/* watch.c - grade again every time the learner saves: inotify, or polling where it fails.
 *
 * Editors save in different ways (write in place, write a new file and
 * rename it, delete and create), and write swap and backup files meanwhile:
 * any change to a .c or .h file counts, a burst of changes counts once. */
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "run.h"
#include "util.h"

#define QUIET_MS 150 /* a save is over when nothing else changes for this long */
#define POLL_MS  500 /* without inotify: how often the files are looked at */

static int is_source(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 2 && name[n - 2] == '.' &&
	       (name[n - 1] == 'c' || name[n - 1] == 'h');
}

/* A fingerprint of the sources in dir: names, sizes and modification times. */
static uint64_t fingerprint(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	uint64_t h = 1469598103934665603ULL;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		struct stat sb;
		if (!is_source(e->d_name) || fstatat(dirfd(d), e->d_name, &sb, 0) < 0)
			continue;
		/* Order-independent: readdir's order may change between calls. */
		h += (uint64_t)sb.st_size * 31 + (uint64_t)sb.st_mtim.tv_sec * 1000003 +
		     (uint64_t)sb.st_mtim.tv_nsec + strlen(e->d_name) * 7919 +
		     (uint64_t)(unsigned char)e->d_name[0] * 131;
	}
	closedir(d);
	return h;
}

/* Did the events read from fd name a source file? */
static int read_events(int fd)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	int hit = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			if (ev->len && is_source(ev->name))
				hit = 1;
			p += sizeof(*ev) + ev->len;
		}
	}
	return hit;
}

/* Wait for a save with inotify; 0 on a change, -1 when stopped. */
static int wait_inotify(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};
	int changed = 0;

	while (!run_stopped()) {
		int r = poll(&p, 1, changed ? QUIET_MS : -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0) /* quiet again after a change: the save is over */
			return 0;
		if (r > 0 && read_events(fd))
			changed = 1;
	}
	return -1;
}

/* Wait for a save by looking at the files; 0 on a change, -1 when stopped. */
static int wait_polling(const char *dir)
{
	uint64_t before = fingerprint(dir);

	while (!run_stopped()) {
		poll(NULL, 0, POLL_MS);
		if (fingerprint(dir) != before) {
			poll(NULL, 0, QUIET_MS);
			return 0;
		}
	}
	return -1;
}

int watch_run(const char *dir, int (*once)(void *ctx), void *ctx, FILE *out)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	int tty = isatty(fileno(out));

	if (fd >= 0 && inotify_add_watch(fd, dir,
	                                 IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE |
	                                         IN_MODIFY) < 0) {
		close(fd);
		fd = -1;
	}
	while (!run_stopped()) {
		if (tty)
			fputs("\033[H\033[2J\033[3J", out); /* home, clear, and the scrollback */
		once(ctx);
		if (run_stopped())
			break;
		fprintf(out, "\n");
		fprintf(out, _("Watching %s: save a file to grade again, Ctrl-C to stop.\n"), dir);
		fflush(out);
		if ((fd >= 0 ? wait_inotify(fd) : wait_polling(dir)) < 0)
			break;
	}
	if (fd >= 0)
		close(fd);
	fprintf(out, "\n%s\n", _("Stopped watching. Nothing was left running."));
	return 128 + run_stopped();
}
