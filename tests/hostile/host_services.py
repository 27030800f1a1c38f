"""host_services.py READY_FILE - the host's own services that hostile programs
reach for: TCP 127.0.0.1:47999, UNIX /tmp/checker-hostile.sock and the
abstract socket @checker-hostile. Each answers "vivo\\n". Ends when its
parent's pipe (stdin) closes."""
import os
import selectors
import socket
import sys

sel = selectors.DefaultSelector()
tcp = socket.socket()
tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
tcp.bind(("127.0.0.1", 47999))
path = "/tmp/checker-hostile.sock"
if os.path.exists(path):
    os.unlink(path)
unix = socket.socket(socket.AF_UNIX)
unix.bind(path)
os.chmod(path, 0o777)
abstract = socket.socket(socket.AF_UNIX)
abstract.bind("\0checker-hostile")
for s in (tcp, unix, abstract):
    s.listen(16)
    sel.register(s, selectors.EVENT_READ)
sel.register(sys.stdin, selectors.EVENT_READ)
open(sys.argv[1], "w").close()
while True:
    for key, _ in sel.select(timeout=60):
        if key.fileobj is sys.stdin:
            if not sys.stdin.buffer.read1(1):
                os.unlink(path)
                sys.exit(0)
            continue
        try:
            conn, _ = key.fileobj.accept()
            conn.sendall(b"vivo\n")
            conn.close()
        except OSError:
            pass  # a client that left at once
