# Chat client, style: Python 3, single thread with the selectors module over
# the socket and the raw stdin descriptor (os.read, no input()); bytes in,
# bytes out, lines assembled in bytearrays on both sides.
import os
import selectors
import socket
import sys

MAX_LINE = 512
MAX_NICK = 32
USAGE = "uso: cliente [HOST PUERTO] APODO"


def usage(why=None):
    if why:
        print(f"cliente: {why}", file=sys.stderr)
    print(USAGE, file=sys.stderr)
    sys.exit(2)


def raw(arg):
    return arg.encode(sys.getfilesystemencoding(), "surrogateescape")


def lines_from(buf):
    """Yield complete lines (without '\\n'); a full buffer counts as a line."""
    while True:
        i = buf.find(b"\n")
        if i >= 0:
            line = bytes(buf[:i])
            del buf[:i + 1]
        elif len(buf) >= MAX_LINE:
            line = bytes(buf[:MAX_LINE])
            del buf[:MAX_LINE]
        else:
            return
        yield line


def main():
    args = sys.argv[1:]
    host, port = "127.0.0.1", "7777"
    if len(args) == 3:
        host, port, nick = args
        if not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
            usage(f"puerto no válido: {port}")
    elif len(args) == 1:
        nick = args[0]
    else:
        usage()
    nick = raw(nick)
    if not 1 <= len(nick) <= MAX_NICK or b"\n" in nick:
        usage("el apodo tiene que tener de 1 a 32 bytes y ningún salto de línea")

    try:
        sock = socket.create_connection((host, int(port)))
    except socket.gaierror as e:
        print(f"cliente: no se pudo resolver {host}: {e.strerror}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"cliente: no se pudo conectar con {host}:{port}: {e.strerror}", file=sys.stderr)
        return 1

    out = sys.stdout.buffer
    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_READ, "net")
    net, kb = bytearray(), bytearray()
    nick_sent = False

    def send_user(text):
        if not text:
            return
        msg = nick + b": " + text + b"\n"
        if len(msg) > MAX_LINE:
            print("cliente: línea demasiado larga (más de 512 bytes); no se envía", file=sys.stderr)
            return
        sock.sendall(msg)

    try:
        while True:
            for key, _ in sel.select():
                if key.data == "net":
                    data = sock.recv(MAX_LINE - len(net))
                    if not data:
                        print("cliente: el servidor cerró la conexión", file=sys.stderr)
                        return 1
                    net += data
                    for line in lines_from(net):
                        if line == b"NICK":
                            if nick_sent:
                                print(f"cliente: el servidor no aceptó el apodo \"{nick.decode(errors='replace')}\"",
                                      file=sys.stderr)
                                return 1
                            sock.sendall(nick + b"\n")
                            nick_sent = True
                            sel.register(0, selectors.EVENT_READ, "kb")  # now the keyboard
                        else:
                            out.write(line + b"\n")
                            out.flush()
                else:
                    data = os.read(0, MAX_LINE - len(kb))
                    if not data:
                        if len(kb) < MAX_LINE:
                            send_user(bytes(kb))
                        return 0
                    kb += data
                    for line in lines_from(kb):
                        if len(line) >= MAX_LINE and b"\n" not in line:
                            print("cliente: línea demasiado larga (más de 512 bytes); no se envía",
                                  file=sys.stderr)
                        else:
                            send_user(line)
    except OSError as e:
        print(f"cliente: {e.strerror or e}", file=sys.stderr)
        return 1
    finally:
        sock.close()


if __name__ == "__main__":
    sys.exit(main())
