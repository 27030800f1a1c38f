#!/usr/bin/env python3
"""cliente.py - style: Python 3 with settimeout() and one except clause per
failure (gaierror, timeout, ConnectionRefusedError, ConnectionResetError) plus
a catch-all OSError, closing the socket in finally; run with --cmd."""
import socket
import sys
import time

PLAZO = 1.0          # seconds: to connect, and for the whole reply
MAX_LINEA = 512


def aviso(texto):
    sys.stderr.write("cliente: " + texto + "\n")
    sys.stderr.flush()


class Incompleta(Exception):
    pass


def conectar(infos, limite):
    ultimo = None
    for familia, tipo, proto, _, direccion in infos:
        quedan = limite - time.monotonic()
        if quedan <= 0:
            raise socket.timeout("timed out")
        s = socket.socket(familia, tipo, proto)
        s.settimeout(quedan)
        try:
            s.connect(direccion)
            return s
        except OSError as e:
            s.close()
            ultimo = e
    raise ultimo


def consultar(host, puerto):
    try:
        # bytes: let libc judge the name (Python's IDNA codec would raise
        # UnicodeError for "servidor..ejemplo" before getaddrinfo runs)
        infos = socket.getaddrinfo(host.encode(), puerto, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        aviso("no se pudo resolver %s: %s" % (host, e.strerror))
        return 3
    s = None
    try:
        s = conectar(infos, time.monotonic() + PLAZO)
        s.sendall(b"FRASE\n")
        limite = time.monotonic() + PLAZO
        datos = b""
        while b"\n" not in datos:
            if len(datos) >= MAX_LINEA:
                raise OSError(90, "Message too long")
            quedan = limite - time.monotonic()
            if quedan <= 0:
                raise socket.timeout("timed out")
            s.settimeout(quedan)
            trozo = s.recv(MAX_LINEA - len(datos))
            if not trozo:
                raise Incompleta(len(datos))
            datos += trozo
        linea = datos.split(b"\n", 1)[0]
        sys.stdout.buffer.write(b"Respuesta: " + linea + b"\n")
        sys.stdout.flush()
        return 0
    except Incompleta as e:
        aviso("%s:%s cerró la conexión antes de terminar la respuesta "
              "(llegaron %d bytes sin el final de línea)" % (host, puerto, e.args[0]))
        return 7
    except socket.timeout:
        aviso("%s:%s no respondió en %d ms" % (host, puerto, int(PLAZO * 1000)))
        return 5
    except ConnectionRefusedError:
        aviso("nadie escucha en %s:%s (conexión rechazada)" % (host, puerto))
        return 4
    except ConnectionResetError:
        aviso("%s:%s cortó la conexión de golpe (reset)" % (host, puerto))
        return 6
    except OSError as e:
        aviso("%s:%s: %s" % (host, puerto, e.strerror or e))
        return 1
    finally:
        if s is not None:
            s.close()


def main(argv):
    if len(argv) != 3 or not argv[2].isascii() or not argv[2].isdigit() \
            or not 1 <= int(argv[2]) <= 65535:
        sys.stderr.write("uso: cliente HOST PUERTO\n")
        return 2
    return consultar(argv[1], argv[2])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
