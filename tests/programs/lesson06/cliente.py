#!/usr/bin/env python3
"""Cliente UDP de la lección 6, en Python: plazo de 500 ms y 3 intentos.

Sirve para comprobar que el checker corrige programas en otros lenguajes:
    ./checker lesson06 --cmd "python3 $PWD/tests/programs/lesson06/cliente.py"
Uso: cliente.py [HOST PUERTO [MENSAJE...]]
"""

import socket
import sys
import time

ESPERA = 0.5  # segundos que se espera cada respuesta
INTENTOS = 3
MAX_DATAGRAMA = 65507
MENSAJES_DEFECTO = ["Mensaje UDP 1", "Mensaje UDP 2", "Prueba UDP"]


def uso():
    print("uso: cliente [HOST PUERTO [MENSAJE...]]", file=sys.stderr)
    sys.exit(2)


def leer_argumentos(argv):
    if len(argv) == 2:
        uso()
    host, puerto = ("127.0.0.1", "9999") if len(argv) < 3 else (argv[1], argv[2])
    if not (puerto.isascii() and puerto.isdigit() and 1 <= int(puerto) <= 65535):
        print(f'cliente: puerto no válido: "{puerto}"', file=sys.stderr)
        uso()
    mensajes = [m.encode("utf-8", "surrogateescape") for m in argv[3:]] or \
        [m.encode("utf-8") for m in MENSAJES_DEFECTO]
    if any(len(m) > MAX_DATAGRAMA - 5 for m in mensajes):
        uso()
    return host, int(puerto), mensajes


def esperar_respuesta(sock, servidor, esperada):
    """La respuesta esperada del servidor, o None si se acaba el plazo."""
    limite = time.monotonic() + ESPERA
    while True:
        quedan = limite - time.monotonic()
        if quedan <= 0:
            return None
        sock.settimeout(quedan)
        try:
            datos, remitente = sock.recvfrom(MAX_DATAGRAMA)
        except socket.timeout:
            return None
        if remitente[:2] != servidor[:2]:
            print("cliente: ignoro un datagrama que no viene del servidor", file=sys.stderr)
        elif datos != esperada:
            print("cliente: ignoro una respuesta que no es la de este mensaje", file=sys.stderr)
        else:
            return datos


def main():
    host, puerto, mensajes = leer_argumentos(sys.argv)
    try:
        familia, _, _, _, servidor = socket.getaddrinfo(host, puerto, type=socket.SOCK_DGRAM)[0]
    except socket.gaierror as error:
        print(f"cliente: no se pudo resolver {host}: {error}", file=sys.stderr)
        sys.exit(1)
    with socket.socket(familia, socket.SOCK_DGRAM) as sock:
        for mensaje in mensajes:
            respuesta = None
            for intento in range(1, INTENTOS + 1):
                sock.sendto(mensaje, servidor)
                respuesta = esperar_respuesta(sock, servidor, b"Eco: " + mensaje)
                if respuesta is not None:
                    break
                if intento < INTENTOS:
                    print(f"cliente: sin respuesta en {int(ESPERA * 1000)} ms; reenvío "
                          f"(intento {intento + 1} de {INTENTOS})", file=sys.stderr)
            if respuesta is None:
                print(f"cliente: el servidor no respondió tras {INTENTOS} intentos",
                      file=sys.stderr)
                sys.exit(1)
            sys.stdout.buffer.write(b"Respuesta: " + respuesta + b"\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
