#!/usr/bin/env python3
"""Cliente de la lección 4, en Python: prueba el servidor de eco de la lección 3.

Sirve para comprobar que el checker corrige programas en otros lenguajes:
    ./checker lesson04 --cmd "python3 $PWD/tests/programs/lesson04/cliente.py"
Uso: cliente.py [HOST PUERTO [MENSAJE...]]   (127.0.0.1 8888 si no se indican)
"""

import os
import socket
import sys

PREFIJO = "Servidor recibió: ".encode("utf-8")  # 19 bytes: la "ó" son dos
MAX_MENSAJE = 1024  # el servidor de eco lee trozos de 1024 bytes
MENSAJES_DEFECTO = ["Hola servidor!", "¿Cómo estás?", "Enviando datos", "Adiós"]


def uso():
    print("uso: cliente.py [HOST PUERTO [MENSAJE...]]", file=sys.stderr)
    sys.exit(2)


def leer_argumentos(argv):
    """Devuelve (host, puerto, mensajes en bytes), o termina con estado 2."""
    if len(argv) == 2:
        uso()
    host, puerto = "127.0.0.1", 8888
    if len(argv) >= 3:
        host, texto = argv[1], argv[2]
        if not (texto.isascii() and texto.isdigit() and 1 <= int(texto) <= 65535):
            print(f'cliente: puerto no válido: "{texto}"', file=sys.stderr)
            uso()
        puerto = int(texto)
    # os.fsencode devuelve los bytes tal como llegaron en argv.
    mensajes = [os.fsencode(m) for m in argv[3:]]
    mensajes = mensajes or [m.encode("utf-8") for m in MENSAJES_DEFECTO]
    if any(not 1 <= len(m) <= MAX_MENSAJE for m in mensajes):
        print(f"cliente: cada mensaje debe tener entre 1 y {MAX_MENSAJE} bytes",
              file=sys.stderr)
        uso()
    return host, puerto, mensajes


def recibir_exacto(conexion, largo):
    """Junta largo bytes, o menos si el servidor cierra antes."""
    datos = b""
    while len(datos) < largo:
        trozo = conexion.recv(largo - len(datos))
        if not trozo:
            break
        datos += trozo
    return datos


def main():
    host, puerto, mensajes = leer_argumentos(sys.argv)
    try:
        conexion = socket.create_connection((host, puerto))
    except OSError as error:
        print(f"cliente: no se pudo conectar con {host}:{puerto}: {error.strerror}",
              file=sys.stderr)
        return 1
    with conexion:
        for mensaje in mensajes:
            try:
                conexion.sendall(mensaje)
                esperado = len(PREFIJO) + len(mensaje)
                respuesta = recibir_exacto(conexion, esperado)
            except OSError as error:
                print(f"cliente: {error}", file=sys.stderr)
                return 1
            if len(respuesta) < esperado:
                print("cliente: el servidor cerró la conexión antes de responder",
                      file=sys.stderr)
                return 1
            sys.stdout.buffer.write(b"Respuesta: " + respuesta + b"\n")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
