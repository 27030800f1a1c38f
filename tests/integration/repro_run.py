#!/usr/bin/env python3
"""repro_run.py SCRIPT PROGRAM_DIR [FOLDER]: run a --repro script against the
program built in PROGRAM_DIR, in FOLDER (the lesson's, with its files), as a
learner would in two terminals, and exit with the script's status (1: it saw
a failure). Meant to run alone in a network namespace of its own (t0009
starts it with unshare -rn): it uses the lesson's own port. Every wait has a
deadline."""
import os
import shlex
import socket
import subprocess
import sys
import time

DEADLINE_S = 30.0  # only a broken program waits this long


def steps_of(script):
    env = {"__name__": "repro"}
    with open(script, encoding="utf-8") as f:
        exec(compile(f.read(), script, "exec"), env)
    return env["META"], env["STEPS"]


def wait_for(pred):
    end = time.monotonic() + DEADLINE_S
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.01)
    return False


def bound(port, udp):
    """Is something on 127.0.0.1:port? (Binding it ourselves fails if so.)"""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if udp else socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", port))
        return False
    except OSError:
        return True
    finally:
        s.close()


def main():
    script, progdir = sys.argv[1], sys.argv[2]
    # where the program runs: the learner's lesson folder, with its files
    cwd = sys.argv[3] if len(sys.argv) > 3 else None
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    meta, steps = steps_of(script)
    start = next(s for s in steps if s[1] == "start")[4].decode()
    argv = shlex.split(start)
    argv[0] = os.path.join(progdir, os.path.basename(argv[0]))
    udp = meta["proto"] == "udp"
    out = subprocess.DEVNULL
    if meta["role"] == "server":
        prog = subprocess.Popen(argv, stdout=out, stderr=out, cwd=cwd)
        if not wait_for(lambda: bound(meta["port"], udp)):
            print("the program never listened", file=sys.stderr)
            prog.kill()
            return 2
        rc = subprocess.run([sys.executable, script]).returncode
    else:
        player = subprocess.Popen([sys.executable, script])
        if not wait_for(lambda: bound(meta["port"], udp)):
            print("the script never listened", file=sys.stderr)
            player.kill()
            return 2
        prog = subprocess.Popen(argv, stdout=out, stderr=out, stdin=subprocess.DEVNULL, cwd=cwd)
        rc = player.wait(timeout=60)
    prog.kill()
    prog.wait()
    return rc


if __name__ == "__main__":
    sys.exit(main())
