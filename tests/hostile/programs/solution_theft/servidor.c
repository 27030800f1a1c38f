/* Looks for the checker's checkout (through /proc and a bounded walk of /) and reads a spec or a solution. */
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

static int visited;

/* True if root (a folder) holds a file of a checkout, and it can be read. */
static int steal(const char *root)
{
	static const char *const files[] = {
	        "tests/hostile/lessons/lesson99/spec.json", "lessons/lesson99/spec.json",
	        "solutions/lesson03/servidor.c", "../tests/hostile/common.h", NULL};
	char path[PATH_MAX + 64], buf[64];

	for (int i = 0; files[i]; i++) {
		int fd;
		snprintf(path, sizeof(path), "%s/%s", root, files[i]);
		if ((fd = open(path, O_RDONLY)) < 0)
			continue;
		if (read(fd, buf, sizeof(buf)) > 0) {
			fprintf(stderr, "read %s\n", path);
			close(fd);
			return 1;
		}
		close(fd);
	}
	return 0;
}

/* Up from a path (a program, a folder) to /, trying each folder. */
static int steal_up(const char *p)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", p);
	for (char *s; (s = strrchr(dir, '/')) && s != dir;) {
		if (steal(dir))
			return 1;
		*s = '\0';
	}
	return 0;
}

/* What /proc tells of every process we can see: its command line, folder and
 * environment (CHECKER_ROOT, PWD). */
static int from_proc(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char path[PATH_MAX], buf[8192];
	int won = 0;

	while (d && !won && (e = readdir(d))) {
		int fd;
		ssize_t n;
		if (e->d_name[0] < '1' || e->d_name[0] > '9' || atoi(e->d_name) == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
		if ((fd = open(path, O_RDONLY)) >= 0 && (n = read(fd, buf, sizeof(buf) - 1)) > 0) {
			buf[n] = '\0';
			won = buf[0] == '/' && steal_up(buf); /* argv[0] */
		}
		if (fd >= 0)
			close(fd);
		snprintf(path, sizeof(path), "/proc/%s/cwd", e->d_name);
		if (!won && steal_up(path))
			won = 1;
		snprintf(path, sizeof(path), "/proc/%s/environ", e->d_name);
		if (!won && (fd = open(path, O_RDONLY)) >= 0 &&
		    (n = read(fd, buf, sizeof(buf) - 1)) > 0) {
			buf[n] = '\0';
			for (char *v = buf; v < buf + n && !won; v += strlen(v) + 1)
				if (!strncmp(v, "CHECKER_ROOT=", 13) || !strncmp(v, "PWD=", 4) ||
				    !strncmp(v, "OLDPWD=", 7))
					won = steal(strchr(v, '=') + 1) || steal_up(strchr(v, '=') + 1);
			close(fd);
		}
	}
	if (d)
		closedir(d);
	return won;
}

/* Every folder of / down to depth, at most 20000 of them. */
static int walk(const char *dir, int depth)
{
	DIR *d;
	struct dirent *e;
	int won = 0;

	if (depth < 0 || ++visited > 20000 || !strcmp(dir, "/proc") || !strcmp(dir, "/sys") ||
	    !strcmp(dir, "/dev") || !(d = opendir(dir)))
		return 0;
	while (!won && (e = readdir(d))) {
		char sub[PATH_MAX];
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", strcmp(dir, "/") ? dir : "", e->d_name);
		won = (!strcmp(e->d_name, "solutions") || !strcmp(e->d_name, "tests")) &&
		      steal_up(sub);
		if (!won)
			won = walk(sub, depth - 1);
	}
	closedir(d);
	return won;
}

int main(int argc, char **argv)
{
	if (!from_proc() && !walk("/", 5))
		return contained("the checker's checkout");
	return serve_echo(argc, argv);
}
