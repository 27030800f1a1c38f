#!/usr/bin/env python3
"""servidor.py - style: Python 3 single-threaded event loop on the selectors
module (epoll underneath), a bytearray output buffer per client, back-pressure
by unregistering EVENT_READ over 1 MiB pending; run with --cmd."""
import errno
import selectors
import socket
import sys

MAX_CLIENTES = 4000
MAX_PENDIENTE = 1 << 20
PREFIJO = "Servidor recibió: ".encode("utf-8")


class Cliente:
    def __init__(self, sock):
        self.sock = sock
        self.salida = bytearray()
        self.termino = False
        self.mask = selectors.EVENT_READ


def uso():
    sys.stderr.write("uso: servidor [PUERTO]\n")
    sys.exit(2)


def main(argv):
    if len(argv) > 2:
        uso()
    puerto = 8888
    if len(argv) == 2:
        a = argv[1]
        if not (a.isascii() and a.isdigit()) or not 1 <= int(a) <= 65535:
            uso()
        puerto = int(a)

    sel = selectors.DefaultSelector()
    escucha = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    escucha.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    escucha.bind(("127.0.0.1", puerto))
    escucha.listen(1024)
    escucha.setblocking(False)
    sel.register(escucha, selectors.EVENT_READ, None)
    escuchando = True
    clientes = 0
    sys.stdout.write("Servidor asíncrono escuchando en 127.0.0.1:%d\n" % puerto)
    sys.stdout.flush()

    def quitar(c):
        nonlocal clientes, escuchando
        sel.unregister(c.sock)
        c.sock.close()
        clientes -= 1
        if not escuchando:
            sel.register(escucha, selectors.EVENT_READ, None)
            escuchando = True

    def enviar(c):
        """False if the client is gone."""
        while c.salida:
            try:
                n = c.sock.send(c.salida)
            except (BlockingIOError, InterruptedError):
                return True
            except OSError:
                return False
            del c.salida[:n]
        return True

    def ajustar(c):
        mask = 0
        if not c.termino and len(c.salida) <= MAX_PENDIENTE:
            mask |= selectors.EVENT_READ
        if c.salida:
            mask |= selectors.EVENT_WRITE
        if mask != c.mask:
            if mask:
                sel.modify(c.sock, mask, c)
            else:
                # selectors can't hold an empty mask: keep waiting for output
                sel.modify(c.sock, selectors.EVENT_WRITE, c)
                mask = selectors.EVENT_WRITE
            c.mask = mask

    while True:
        for clave, eventos in sel.select():
            c = clave.data
            if c is None:
                while True:
                    try:
                        s, _ = escucha.accept()
                    except (BlockingIOError, InterruptedError):
                        break
                    except ConnectionAbortedError:
                        continue
                    except OSError as e:
                        if e.errno in (errno.EMFILE, errno.ENFILE):
                            sys.stderr.write("servidor: accept: %s\n" % e.strerror)
                            sel.unregister(escucha)
                            escuchando = False
                        break
                    if clientes >= MAX_CLIENTES:
                        s.close()
                        continue
                    s.setblocking(False)
                    sel.register(s, selectors.EVENT_READ, Cliente(s))
                    clientes += 1
                continue
            if c.sock.fileno() == -1:
                continue                    # already removed in this round
            if eventos & selectors.EVENT_WRITE and not enviar(c):
                quitar(c)
                continue
            if eventos & selectors.EVENT_READ and not c.termino:
                try:
                    datos = c.sock.recv(1024)
                except (BlockingIOError, InterruptedError):
                    datos = None
                except OSError:
                    quitar(c)
                    continue
                if datos is not None:
                    if datos:
                        c.salida += PREFIJO + datos
                        if not enviar(c):
                            quitar(c)
                            continue
                    else:
                        c.termino = True
            if c.termino and not c.salida:
                quitar(c)
                continue
            ajustar(c)


if __name__ == "__main__":
    main(sys.argv)
