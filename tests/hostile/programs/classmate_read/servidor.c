/* Reads a classmate's servidor.c: folders in /tmp and $TMPDIR (checker-*), other processes' folders and arguments. */
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>

static char mine[4096]; /* our own servidor.c: a copy of it is no theft */

/* Reads dir/servidor.c if it is not ours. */
static int steal(const char *dir)
{
	char path[PATH_MAX + 16], buf[sizeof(mine)];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/servidor.c", dir);
	if ((fd = open(path, O_RDONLY)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (!strcmp(buf, mine))
		return 0;
	fprintf(stderr, "read %s\n", path);
	return 1;
}

/* Every folder under dir, down to depth, until one holds a classmate's file. */
static int scan(const char *dir, int depth)
{
	DIR *d = depth >= 0 ? opendir(dir) : NULL;
	struct dirent *e;
	char sub[PATH_MAX];
	int won = 0;

	while (d && !won && (e = readdir(d)))
		if (e->d_type == DT_DIR && e->d_name[0] != '.') {
			snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
			won = steal(sub) || scan(sub, depth - 1);
		}
	if (d)
		closedir(d);
	return won;
}

/* What /proc/PID/FILE holds: NUL-separated words. */
static ssize_t proc_read(const char *pid, const char *file, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/%s", pid, file);
	if ((fd = open(path, O_RDONLY)) < 0)
		return 0;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	return n;
}

/* Other processes: their folders, the folders in their arguments (--dir, a
 * class folder) and the TMPDIR they were given. */
static int from_proc(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char path[PATH_MAX], buf[16384];
	int won = 0;

	while (d && !won && (e = readdir(d))) {
		ssize_t n;
		if (e->d_name[0] < '1' || e->d_name[0] > '9' || atoi(e->d_name) == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cwd", e->d_name);
		won = steal(path);
		n = proc_read(e->d_name, "cmdline", buf, sizeof(buf));
		/* Past argv[0]: the checker's own folder holds only starters. */
		for (char *v = buf + strlen(buf) + 1; !won && v < buf + n; v += strlen(v) + 1) {
			char *slash;
			if (v[0] != '/' || !(slash = strrchr(v, '/')))
				continue;
			won = scan(v, 1);
			snprintf(path, sizeof(path), "%.*s", (int)(slash - v), v); /* its parent */
			won = won || (slash > v && scan(path, 1));
		}
		n = proc_read(e->d_name, "environ", buf, sizeof(buf));
		for (char *v = buf; !won && v < buf + n; v += strlen(v) + 1)
			if (!strncmp(v, "TMPDIR=", 7))
				won = scan(v + 7, 1);
	}
	if (d)
		closedir(d);
	return won;
}

int main(int argc, char **argv)
{
	int fd = open("servidor.c", O_RDONLY);

	if (fd >= 0 && read(fd, mine, sizeof(mine) - 1) < 0)
		mine[0] = '\0';
	if (fd >= 0)
		close(fd);
	if (!from_proc() && !scan("/tmp", 3) && !scan("/var/tmp", 3))
		return contained("a classmate's folder");
	return serve_echo(argc, argv);
}
