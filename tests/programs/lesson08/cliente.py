#!/usr/bin/env python3
"""Cliente de chat de la lección 8, en Python, con select() sobre el socket y el teclado.

Sirve para comprobar que el checker corrige programas en otros lenguajes:
    ./checker lesson08 --cmd "python3 $PWD/tests/programs/lesson08/cliente.py"
Uso: cliente.py [HOST PUERTO] APODO
"""

import os
import select
import socket
import sys


def uso():
    print("uso: cliente [HOST PUERTO] APODO", file=sys.stderr)
    sys.exit(2)


def main():
    args = sys.argv[1:]
    if len(args) not in (1, 3):
        uso()
    host, puerto, apodo = ("127.0.0.1", "7777", args[0]) if len(args) == 1 else args
    apodo = apodo.encode("utf-8", "surrogateescape")
    if not (puerto.isascii() and puerto.isdigit() and 1 <= int(puerto) <= 65535):
        uso()
    if not 1 <= len(apodo) <= 32 or b"\n" in apodo:
        uso()
    try:
        con = socket.create_connection((host, int(puerto)))
    except OSError as error:
        print(f"cliente: no se pudo conectar con {host}:{puerto}: {error}", file=sys.stderr)
        sys.exit(1)
    red, teclado, enviado = b"", b"", False
    while True:
        vigilar = [con, sys.stdin.fileno()] if enviado else [con]
        listos, _, _ = select.select(vigilar, [], [])
        if con in listos:
            trozo = con.recv(4096)
            if not trozo:
                print("cliente: el servidor cerró la conexión", file=sys.stderr)
                sys.exit(1)
            red += trozo
            while b"\n" in red:
                linea, red = red.split(b"\n", 1)
                if linea == b"NICK":
                    if enviado:
                        print("cliente: el servidor no aceptó el apodo", file=sys.stderr)
                        sys.exit(1)
                    con.sendall(apodo + b"\n")
                    enviado = True
                else:
                    sys.stdout.buffer.write(linea + b"\n")
                    sys.stdout.flush()
        if sys.stdin.fileno() in listos:
            trozo = os.read(sys.stdin.fileno(), 4096)
            teclado += trozo if trozo else (b"\n" if teclado else b"")
            while b"\n" in teclado:
                linea, teclado = teclado.split(b"\n", 1)
                mensaje = apodo + b": " + linea + b"\n"
                if linea and len(mensaje) > 512:
                    print("cliente: línea demasiado larga (más de 512 bytes); no se envía",
                          file=sys.stderr)
                elif linea:
                    con.sendall(mensaje)
            if not trozo:
                con.close()
                sys.exit(0)


if __name__ == "__main__":
    main()
