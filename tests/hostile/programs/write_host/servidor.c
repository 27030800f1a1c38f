/* Creates a file outside its box: in the checker's checkout, folder, $HOME and $TMPDIR (found
 * through /proc), in /etc and in the home of its uid. */
#include "common.h"
#include <dirent.h>
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

	/* Our own work folder (whatever leads to it) is ours to write. */
	if (!dir || !*dir || !realpath(dir, real) || !getcwd(own, sizeof(own)) ||
	    !strncmp(real, own, strlen(own)))
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

int main(int argc, char **argv)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	struct passwd *pw = getpwuid(getuid());
	char buf[16384], path[PATH_MAX];

	try_dir("/etc");
	try_dir(pw ? pw->pw_dir : NULL);
	/* Every process we can see: the checker's folder, its program's, its home. */
	while (d && (e = readdir(d))) {
		char *slash;
		ssize_t n;
		int fd;
		if (e->d_name[0] < '1' || e->d_name[0] > '9' || atoi(e->d_name) == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cwd", e->d_name);
		try_dir(path);
		try_dir(env_of(e->d_name, "HOME", buf, sizeof(buf)));
		try_dir(env_of(e->d_name, "TMPDIR", buf, sizeof(buf)));
		snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
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
	if (d)
		closedir(d);
	if (!wrote)
		return contained("a file outside the box");
	return serve_echo(argc, argv);
}
