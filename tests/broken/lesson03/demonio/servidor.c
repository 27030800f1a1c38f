/* Broken on purpose: leaves a daemon behind (fork, setsid, fork) and exits
 * without listening. The checker must still kill and reap the daemon. */
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(void)
{
    if (fork() == 0) {
        setsid();                      /* out of the process group */
        if (fork() == 0) {
            prctl(PR_SET_NAME, "demonio_chk"); /* a name the test looks for */
            for (;;)
                pause();
        }
        _exit(0);
    }
    printf("Servidor escuchando en 127.0.0.1:8888\n");
    return 0;
}
