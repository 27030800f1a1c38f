#!/usr/bin/env python3
"""Servidor de eco UDP de la lección 5, en Python.

Sirve para comprobar que el checker corrige programas en otros lenguajes:
    ./checker lesson05 --cmd "python3 $PWD/tests/programs/lesson05/servidor.py"
Uso: servidor.py [PUERTO]   (9999 si no se indica)
"""

import socket
import sys

DIRECCION = "127.0.0.1"
PUERTO_DEFECTO = 9999
MAX_DATAGRAMA = 65507  # lo más que lleva un datagrama UDP sobre IPv4
PREFIJO = b"Eco: "


def leer_puerto(argv):
    """Devuelve el puerto pedido en argv, o termina con estado 2 si no vale."""
    if len(argv) > 2:
        print("uso: servidor.py [PUERTO]", file=sys.stderr)
        sys.exit(2)
    if len(argv) == 1:
        return PUERTO_DEFECTO
    texto = argv[1]
    if texto.isascii() and texto.isdigit() and 1 <= int(texto) <= 65535:
        return int(texto)
    print(f'servidor: puerto no válido: "{texto}" (debe ser un número '
          "entre 1 y 65535)", file=sys.stderr)
    sys.exit(2)


def main():
    puerto = leer_puerto(sys.argv)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind((DIRECCION, puerto))
    except OSError as error:
        print(f"servidor: bind: {error}", file=sys.stderr)
        sys.exit(1)
    print(f"Servidor UDP escuchando en {DIRECCION}:{puerto}", flush=True)
    while True:
        try:
            # Un datagrama entero por llamada; bytes, sin decodificar.
            datos, remitente = sock.recvfrom(MAX_DATAGRAMA)
            print(f"Recibido de {remitente[0]}:{remitente[1]}: "
                  f"{datos.decode('utf-8', 'replace')}", flush=True)
            sock.sendto(PREFIJO + datos, remitente)  # al mismo remitente
        except OSError as error:  # un datagrama que falla no para el servidor
            print(f"servidor: {error}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
