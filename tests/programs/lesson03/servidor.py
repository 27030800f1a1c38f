#!/usr/bin/env python3
"""Servidor de eco TCP de la lección 3, en Python: un hilo por cliente.

Sirve para comprobar que el checker corrige programas en otros lenguajes:
    ./checker lesson03 --cmd "python3 $PWD/tests/programs/lesson03/servidor.py"
Uso: servidor.py [PUERTO]   (8888 si no se indica)
"""

import socket
import sys
import threading

DIRECCION = "127.0.0.1"
PUERTO_DEFECTO = 8888
TAM_BUFFER = 1024
PREFIJO = "Servidor recibió: ".encode("utf-8")  # la "ó" son dos bytes


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


def atender_cliente(conexion, nombre):
    """Devuelve cada trozo recibido, tal cual, con el prefijo delante."""
    with conexion:
        while True:
            try:
                trozo = conexion.recv(TAM_BUFFER)
                if not trozo:  # el cliente cerró
                    break
                # Bytes, sin decodificar: una letra partida entre dos recv
                # vuelve intacta. sendall repite los envíos parciales.
                conexion.sendall(PREFIJO + trozo)
            except OSError as error:  # reinicio, EPIPE...: solo este cliente
                print(f"servidor: {nombre}: {error}", file=sys.stderr, flush=True)
                break
    print(f"Cliente {nombre} desconectado", flush=True)


def main():
    puerto = leer_puerto(sys.argv)
    escucha = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    escucha.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        escucha.bind((DIRECCION, puerto))
        escucha.listen(128)
    except OSError as error:
        print(f"servidor: bind/listen: {error}", file=sys.stderr)
        sys.exit(1)
    print(f"Servidor escuchando en {DIRECCION}:{puerto}", flush=True)

    while True:
        try:
            conexion, (ip, puerto_cliente) = escucha.accept()
        except OSError as error:
            print(f"servidor: accept: {error}", file=sys.stderr, flush=True)
            continue
        nombre = f"{ip}:{puerto_cliente}"
        print(f"Cliente conectado desde {nombre}", flush=True)
        hilo = threading.Thread(target=atender_cliente, args=(conexion, nombre),
                                daemon=True)
        hilo.start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
