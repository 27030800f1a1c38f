#!/usr/bin/env python3
# Style: Python 3 client run with --cmd: socket.create_connection (tries every
# getaddrinfo address), sendall per message, recv_into a memoryview asking
# only for the bytes still missing, output through sys.stdout.buffer.
import os
import socket
import sys

PREFIJO = "Servidor recibió: ".encode()
DEFECTO = ["Hola servidor!", "¿Cómo estás?", "Enviando datos", "Adiós"]
USO = "uso: cliente [HOST PUERTO [MENSAJE...]]"


def mal_uso(motivo):
    print(f"cliente: {motivo}", file=sys.stderr)
    print(USO, file=sys.stderr)
    return 2


def recibir_exacto(s, largo):
    buf = bytearray(largo)
    vista = memoryview(buf)
    tengo = 0
    while tengo < largo:
        n = s.recv_into(vista[tengo:], largo - tengo)
        if n == 0:
            break
        tengo += n
    return bytes(buf[:tengo])


def main(argv):
    if len(argv) == 2:
        return mal_uso("falta el puerto")
    host = argv[1] if len(argv) > 2 else "127.0.0.1"
    puerto = argv[2] if len(argv) > 2 else "8888"
    if not puerto or any(c not in "0123456789" for c in puerto) or not 1 <= int(puerto) <= 65535:
        return mal_uso(f'puerto no válido: "{puerto}"')
    # argv comes decoded with surrogateescape: os.fsencode gives back the raw bytes
    mensajes = [os.fsencode(m) for m in argv[3:]] or [m.encode() for m in DEFECTO]
    for m in mensajes:
        if not 1 <= len(m) <= 1024:
            return mal_uso("cada mensaje debe tener entre 1 y 1024 bytes")

    try:
        s = socket.create_connection((host, int(puerto)))
    except socket.gaierror as e:
        print(f"cliente: no se pudo resolver {host}: {e.strerror}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"cliente: no se pudo conectar con {host}:{puerto}: {e.strerror}", file=sys.stderr)
        return 1

    out = sys.stdout.buffer
    with s:
        for m in mensajes:
            esperado = len(PREFIJO) + len(m)
            try:
                s.sendall(m)
                r = recibir_exacto(s, esperado)
            except OSError as e:
                print(f"cliente: recv: {e.strerror}", file=sys.stderr)
                return 1
            if len(r) < esperado:
                print("cliente: el servidor cerró la conexión antes de responder "
                      f"(llegaron {len(r)} de {esperado} bytes)", file=sys.stderr)
                return 1
            out.write(b"Respuesta: " + r + b"\n")
            out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
