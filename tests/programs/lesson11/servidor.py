#!/usr/bin/env python3
"""Servidor de eco asíncrono de la lección 11, en Python: un solo hilo con selectors.

Sirve para comprobar que el checker corrige programas en otros lenguajes:
    ./checker lesson11 --cmd "python3 $PWD/tests/programs/lesson11/servidor.py"
Uso: servidor.py [PUERTO]   (8888 si no se indica)
"""

import selectors
import socket
import sys

PREFIJO = "Servidor recibió: ".encode()
MAX_PENDIENTE = 1 << 20

sel = selectors.DefaultSelector()
pendiente = {}  # socket -> bytes que send() aún no aceptó
terminados = set()  # ya no envían (recv dio b""): se van cuando reciban todo


def vigilar(con):
    """Leer si no debe demasiado; escribir si debe algo."""
    eventos = 0
    if con not in terminados and len(pendiente[con]) < MAX_PENDIENTE:
        eventos |= selectors.EVENT_READ
    if pendiente[con]:
        eventos |= selectors.EVENT_WRITE
    if eventos:
        sel.modify(con, eventos)
    else:  # terminó y ya tiene su eco entero
        quitar(con)


def quitar(con):
    sel.unregister(con)
    del pendiente[con]
    terminados.discard(con)
    con.close()


def enviar(con):
    try:
        n = con.send(pendiente[con])
        pendiente[con] = pendiente[con][n:]
    except BlockingIOError:
        pass


def main():
    if len(sys.argv) > 2:
        print("uso: servidor.py [PUERTO]", file=sys.stderr)
        sys.exit(2)
    texto = sys.argv[1] if len(sys.argv) == 2 else "8888"
    if not (texto.isascii() and texto.isdigit() and 1 <= int(texto) <= 65535):
        print(f'servidor: puerto no válido: "{texto}"', file=sys.stderr)
        sys.exit(2)
    escucha = socket.socket()
    escucha.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    escucha.bind(("127.0.0.1", int(texto)))
    escucha.listen(1024)
    escucha.setblocking(False)
    sel.register(escucha, selectors.EVENT_READ)
    print(f"Servidor asíncrono escuchando en 127.0.0.1:{texto}", flush=True)
    while True:
        for clave, eventos in sel.select():
            con = clave.fileobj
            if con is escucha:
                while True:
                    try:
                        nuevo, _ = escucha.accept()
                    except BlockingIOError:
                        break
                    nuevo.setblocking(False)
                    pendiente[nuevo] = b""
                    sel.register(nuevo, selectors.EVENT_READ)
                continue
            try:
                if eventos & selectors.EVENT_WRITE:
                    enviar(con)
                if eventos & selectors.EVENT_READ and con not in terminados:
                    datos = con.recv(1024)
                    if datos:
                        pendiente[con] += PREFIJO + datos
                        enviar(con)
                    else:  # no enviará más, pero quizá espera el resto de su eco
                        terminados.add(con)
            except OSError:  # se fue a medias: solo ese cliente
                quitar(con)
                continue
            vigilar(con)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
