/* Creates a file outside its box: in the checker's checkout, folder, $HOME and $TMPDIR (its
 * ancestors' in /proc), in /etc and in the home of its uid. */
#include "common.h"
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>

#define NAME "checker-hostile-write_host"

static int wrote;

/* Creates NAME in dir, and removes it again: only the proof is kept. */
static void try_dir(const char *dir)
{
	char path[PATH_MAX + 64], real[PATH_MAX], own[PATH_MAX];
	int fd;

	/* Our own work folder (whatever leads to it) is ours to write; a path
	 * that does not resolve here (/proc/1/cwd to a hidden folder) is not. */
	if (!dir || !*dir || (realpath(dir, real) && getcwd(own, sizeof(own)) &&
	                      !strncmp(real, own, strlen(own))))
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, NAME);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0)
		return;
	fprintf(stderr, "wrote %s\n", path);
	close(fd);
	unlink(path);
	wrote++;
}

/* The value of var in the environment of process pid, or NULL. */
static const char *env_of(const char *pid, const char *var, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/environ", pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return NULL;
	n = read(fd, buf, len - 1);
	close(fd);
	for (char *v = buf; n > 0 && v < buf + n; v += strlen(v) + 1) {
		buf[n] = '\0';
		if (!strncmp(v, var, strlen(var)) && v[strlen(var)] == '=')
			return v + strlen(var) + 1;
	}
	return NULL;
}

/* The parent of process pid, from /proc/PID/stat ("pid (comm) state ppid"). */
static int parent_of(int pid)
{
	char path[64], line[512], *p;
	int ppid = 0, fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return 0;
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	line[n > 0 ? n : 0] = '\0';
	if ((p = strrchr(line, ')')) && sscanf(p + 1, " %*c %d", &ppid) != 1)
		ppid = 0;
	return ppid;
}

int main(int argc, char **argv)
{
	struct passwd *pw = getpwuid(getuid());
	char buf[16384], path[PATH_MAX], pid[16];

	try_dir("/etc");
	try_dir(pw ? pw->pw_dir : NULL);
	/* Our ancestors (the box's checker process, the checker): their folder,
	 * the folder of their program, their $HOME and $TMPDIR. */
	for (int p = getppid(); p > 0; p = parent_of(p)) {
		char *slash;
		ssize_t n;
		int fd;
		snprintf(pid, sizeof(pid), "%d", p);
		snprintf(path, sizeof(path), "/proc/%s/cwd", pid);
		try_dir(path);
		try_dir(env_of(pid, "HOME", buf, sizeof(buf)));
		try_dir(env_of(pid, "TMPDIR", buf, sizeof(buf)));
		snprintf(path, sizeof(path), "/proc/%s/cmdline", pid);
		if ((fd = open(path, O_RDONLY)) >= 0 && (n = read(fd, buf, sizeof(buf) - 1)) > 0) {
			buf[n] = '\0';
			if (buf[0] == '/' && (slash = strrchr(buf, '/'))) {
				*slash = '\0';
				try_dir(buf);
			}
		}
		if (fd >= 0)
			close(fd);
	}
	if (!wrote)
		return contained("a file outside the box");
	return serve_echo(argc, argv);
}
