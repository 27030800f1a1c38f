/* Makes SysV shared memory (64 MiB) and a message queue that outlive the box unless it has its own IPC namespace. */
#include "common.h"
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/shm.h>

#define KEY_SHM 0x43484b01 /* "CHK" 1: t9000 looks for these keys afterwards */
#define KEY_MSG 0x43484b02

/* The host's (initial) IPC namespace has a fixed inode number. */
static int host_ipc(void)
{
	char link[64] = "";

	if (readlink("/proc/self/ns/ipc", link, sizeof(link) - 1) < 0)
		return 1; /* cannot tell: count it as the host's */
	return !strcmp(link, "ipc:[4026531839]");
}

int main(int argc, char **argv)
{
	int made = 0;
	int shm = shmget(KEY_SHM, 64 << 20, IPC_CREAT | 0666);
	int anon = shmget(IPC_PRIVATE, 64 << 20, IPC_CREAT | 0666);
	int msg = msgget(KEY_MSG, IPC_CREAT | 0666);
	struct {
		long type;
		char text[32];
	} m = {1, "checker-hostile"};

	if (shm >= 0) {
		char *p = shmat(shm, NULL, 0);
		if (p != (void *)-1) {
			strcpy(p, "checker-hostile"); /* a note for whoever attaches next */
			shmdt(p);
		}
		made++;
	}
	made += anon >= 0;
	if (msg >= 0 && msgsnd(msg, &m, sizeof(m.text), IPC_NOWAIT) == 0)
		made++;
	fprintf(stderr, "shm %d, private shm %d, msg %d\n", shm, anon, msg);
	/* Nothing is removed: what the box does not end is left on the host. In
	 * an IPC namespace of the box's own, it all ends with the box. */
	if (!made || !host_ipc())
		return contained("shmget/msgget in the host's IPC namespace");
	return serve_echo(argc, argv);
}
