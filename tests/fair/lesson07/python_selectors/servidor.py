# Chat server, style: Python 3, single thread with the selectors module,
# nonblocking sockets; a line the kernel send buffer cannot take whole means
# the client is not reading: shut it down and announce its exit.
import selectors
import socket
import sys

MAX_LINE = 512
MAX_NICK = 32
MAX_ROOM = 100


class Client:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.nick = None
        self.dead = False


sel = selectors.DefaultSelector()
clients = []


def send_whole(c, data):
    if c.dead:
        return
    try:
        n = c.sock.send(data, socket.MSG_DONTWAIT | socket.MSG_NOSIGNAL)
    except OSError:
        n = -1
    if n != len(data):
        if c.nick is not None:
            print(f"servidor: no se pudo enviar a {c.nick.decode(errors='replace')}; "
                  "lo desconectamos", file=sys.stderr)
        kill(c)


def kill(c):
    if not c.dead:
        c.dead = True
        try:
            c.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def room():
    return [c for c in clients if c.nick is not None]


def broadcast(data):
    for c in room():
        send_whole(c, data)


def reap():
    while True:
        dead = [c for c in clients if c.dead]
        if not dead:
            return
        for c in dead:
            clients.remove(c)
            sel.unregister(c.sock)
            c.sock.close()
            if c.nick is not None:
                print(f"{c.nick.decode(errors='replace')} sale de la sala", flush=True)
                broadcast(c.nick + " abandonó el chat!\n".encode())


def on_line(c, line):
    if c.nick is not None:
        broadcast(line + b"\n")
        return
    if len(line) == 0:
        why = "Apodo no válido: vacío\n"
    elif len(line) > MAX_NICK:
        why = "Apodo no válido: más de 32 bytes\n"
    elif any(o.nick == line for o in room()):
        why = "Apodo no válido: ya está en uso\n"
    elif len(room()) >= MAX_ROOM:
        why = "La sala está llena\n"
    else:
        why = None
    if why:
        send_whole(c, why.encode() + b"NICK\n")
        return
    c.nick = line  # bytes, compared byte for byte
    print(f"{line.decode(errors='replace')} entra en la sala", flush=True)
    broadcast(line + " se unió al chat!\n".encode())


def on_readable(c):
    try:
        data = c.sock.recv(4096)
    except (BlockingIOError, InterruptedError):
        return
    except OSError:
        data = b""
    if not data:
        kill(c)
        return
    c.buf += data
    while not c.dead and b"\n" in c.buf:
        line, c.buf = c.buf.split(b"\n", 1)
        if len(line) + 1 > MAX_LINE:
            kill(c)
            return
        on_line(c, line)
    if len(c.buf) >= MAX_LINE:
        kill(c)


def main():
    args = sys.argv[1:]
    if len(args) > 1 or (args and not (args[0].isascii() and args[0].isdigit()
                                       and 1 <= int(args[0]) <= 65535)):
        print("servidor: puerto no válido\nuso: servidor.py [PUERTO]", file=sys.stderr)
        sys.exit(2)
    port = int(args[0]) if args else 7777
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", port))
    ls.listen(64)
    ls.setblocking(False)
    sel.register(ls, selectors.EVENT_READ, None)
    print(f"Servidor de chat escuchando en 127.0.0.1:{port}", flush=True)
    while True:
        for key, _ in sel.select():
            if key.data is None:
                try:
                    s, _ = ls.accept()
                except (BlockingIOError, InterruptedError):
                    continue
                s.setblocking(False)
                c = Client(s)
                clients.append(c)
                sel.register(s, selectors.EVENT_READ, c)
                send_whole(c, b"NICK\n")
            elif not key.data.dead:
                on_readable(key.data)
        reap()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
