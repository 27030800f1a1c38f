/* Reaches for the caller's terminal: /dev/tty, fds 0-2 and /dev/pts/N, writes a fake report and TIOCSTI. */
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/ioctl.h>

#define FAKE "\r\n✔ eco  Responde con el prefijo exacto\r\nPuntuación: 10/10 (checker-hostile: tty)\r\n"

/* Types a harmless comment into the terminal's input, as if the user had. */
static int inject(int fd)
{
	const char *line = "# checker-hostile: TIOCSTI\n";
	int n = 0;

	for (const char *p = line; *p; p++)
		n += ioctl(fd, TIOCSTI, p) == 0;
	return n > 0;
}

int main(int argc, char **argv)
{
	int won = 0, fd;
	DIR *d;
	struct dirent *e;

	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY)) >= 0) {
		won = 1;
		if (write(fd, FAKE, strlen(FAKE)) > 0)
			fprintf(stderr, "wrote a fake report to /dev/tty\n");
		if (inject(fd))
			fprintf(stderr, "TIOCSTI on /dev/tty\n");
		close(fd);
	}
	for (fd = 0; fd <= 2; fd++)
		if (isatty(fd) || inject(fd)) {
			fprintf(stderr, "fd %d is a terminal\n", fd);
			won = 1;
		}
	if ((d = opendir("/dev/pts"))) {
		while ((e = readdir(d))) {
			char path[300];
			if (e->d_name[0] < '0' || e->d_name[0] > '9')
				continue;
			snprintf(path, sizeof(path), "/dev/pts/%s", e->d_name);
			if ((fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK)) >= 0) {
				fprintf(stderr, "opened %s\n", path);
				won = 1;
				if (write(fd, FAKE, strlen(FAKE)) < 0 || !inject(fd))
					fprintf(stderr, "but no TIOCSTI there\n");
				close(fd);
			}
		}
		closedir(d);
	}
	if (!won)
		return contained("/dev/tty");
	return serve_echo(argc, argv);
}
