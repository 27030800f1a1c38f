#!/usr/bin/env python3
"""Cliente de la lección 10, en Python: cada error de red con su código de salida.

Sirve para comprobar que el checker corrige programas en otros lenguajes:
    ./checker lesson10 --cmd "python3 $PWD/tests/programs/lesson10/cliente.py"
Uso: cliente.py HOST PUERTO
"""

import socket
import sys
import time

PLAZO = 1.0  # segundos, para conectar y para la respuesta entera


def main():
    if len(sys.argv) != 3 or not (sys.argv[2].isascii() and sys.argv[2].isdigit()
                                  and 1 <= int(sys.argv[2]) <= 65535):
        print("uso: cliente HOST PUERTO", file=sys.stderr)
        return 2
    host, puerto = sys.argv[1], int(sys.argv[2])
    try:
        # En bytes, el nombre llega tal cual a getaddrinfo (sin pasar por IDNA,
        # que rechazaría antes un nombre con una etiqueta vacía).
        direcciones = socket.getaddrinfo(host.encode(), puerto, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        print(f"cliente: no se pudo resolver {host}: {error.strerror}", file=sys.stderr)
        return 3
    familia, tipo, proto, _, direccion = direcciones[0]
    with socket.socket(familia, tipo, proto) as s:
        try:
            s.settimeout(PLAZO)
            s.connect(direccion)
            s.sendall(b"FRASE\n")
            limite = time.monotonic() + PLAZO
            datos = b""
            while b"\n" not in datos:
                if len(datos) == 512:
                    print(f"cliente: {host}:{puerto}: la línea no cabe en 512 bytes",
                          file=sys.stderr)
                    return 1
                s.settimeout(max(limite - time.monotonic(), 0.001))
                trozo = s.recv(512 - len(datos))
                if not trozo:
                    print(f"cliente: {host}:{puerto} cerró antes de terminar la respuesta",
                          file=sys.stderr)
                    return 7
                datos += trozo
        except ConnectionRefusedError:
            print(f"cliente: nadie escucha en {host}:{puerto}", file=sys.stderr)
            return 4
        except socket.timeout:
            print(f"cliente: {host}:{puerto} no respondió en 1000 ms", file=sys.stderr)
            return 5
        except ConnectionResetError:
            print(f"cliente: {host}:{puerto} cortó la conexión de golpe", file=sys.stderr)
            return 6
        except OSError as error:
            print(f"cliente: {host}:{puerto}: {error}", file=sys.stderr)
            return 1
    linea = datos.split(b"\n", 1)[0]
    sys.stdout.buffer.write(b"Respuesta: " + linea + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
