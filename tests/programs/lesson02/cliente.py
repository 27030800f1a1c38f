#!/usr/bin/env python3
"""Cliente HTTP mínimo de la lección 2, en Python: GET y copia de la respuesta.

Sirve para comprobar que el checker corrige clientes en otros lenguajes:
    ./checker lesson02 --cmd "python3 $PWD/tests/programs/lesson02/cliente.py"
Uso: cliente.py [HOST [PUERTO [RUTA]]]   (127.0.0.1, 8080 y / si faltan)
"""

import socket
import sys

TAM_BUFFER = 4096


def uso(motivo):
    """Explica el problema con los argumentos y termina con estado 2."""
    print(f"cliente: {motivo}", file=sys.stderr)
    print("uso: cliente [HOST [PUERTO [RUTA]]]", file=sys.stderr)
    sys.exit(2)


def leer_argumentos(argv):
    """Devuelve (host, puerto, ruta) a partir de argv, con sus valores por defecto."""
    if len(argv) > 4:
        uso("sobran argumentos")
    host, puerto, ruta = (argv[1:] + ["127.0.0.1", "8080", "/"][len(argv) - 1:])[:3]
    if not (puerto.isascii() and puerto.isdigit() and 1 <= int(puerto) <= 65535):
        uso(f'puerto no válido: "{puerto}" (debe ser un número entre 1 y 65535)')
    if not ruta.startswith("/") or any(c <= " " or c == "\x7f" for c in ruta):
        uso(f'ruta no válida: "{ruta}" (debe empezar por \'/\' y no llevar espacios)')
    return host, puerto, ruta


def conectar(host, puerto):
    """Prueba cada dirección de host hasta que una acepte; termina con 1 si ninguna."""
    try:
        # En bytes: así el nombre llega tal cual a getaddrinfo, que da su propio
        # error (con texto de str, Python lo rechaza antes con el suyo).
        direcciones = socket.getaddrinfo(host.encode(), puerto, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        print(f'cliente: no se pudo resolver "{host}": {e.strerror}', file=sys.stderr)
        sys.exit(1)
    ultimo = None
    for familia, tipo, proto, _, direccion in direcciones:
        s = socket.socket(familia, tipo, proto)
        try:
            s.connect(direccion)
            return s
        except OSError as e:
            ultimo = e
            s.close()
    print(f"cliente: no se pudo conectar a {host}:{puerto}: {ultimo.strerror}",
          file=sys.stderr)
    sys.exit(1)


def main():
    host, puerto, ruta = leer_argumentos(sys.argv)
    nombre = f"[{host}]" if ":" in host else host
    peticion = (f"GET {ruta} HTTP/1.1\r\n"
                f"Host: {nombre}:{puerto}\r\n"
                "Connection: close\r\n"
                "\r\n").encode("utf-8")
    s = conectar(host, puerto)
    print(f"cliente: conectado a {host}:{puerto}", file=sys.stderr)
    salida = sys.stdout.buffer  # bytes tal cual, sin decodificar
    try:
        s.sendall(peticion)
        while True:
            datos = s.recv(TAM_BUFFER)
            if not datos:  # el servidor cerró
                break
            salida.write(datos)
    except OSError as e:
        salida.flush()
        print(f"cliente: error de red: {e.strerror}", file=sys.stderr)
        sys.exit(1)
    finally:
        s.close()
    salida.flush()


if __name__ == "__main__":
    main()
