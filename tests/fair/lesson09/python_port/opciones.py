#!/usr/bin/env python3
"""opciones.py - style: Python 3 port of the lab (run with --cmd), using the raw
socket options (SO_RCVTIMEO/SO_SNDTIMEO via struct timeval, setblocking,
connect_ex + select.poll + SO_ERROR) instead of settimeout()."""
import errno
import os
import select
import socket
import struct
import sys
import time

USO = ("uso: opciones reutilizar PUERTO\n"
       "     opciones plazo HOST PUERTO MS\n"
       "     opciones sin_bloqueo HOST PUERTO\n"
       "     opciones conectar HOST PUERTO MS\n"
       "     opciones envio HOST PUERTO MS\n")


def out(texto):
    sys.stdout.buffer.write(texto.encode("utf-8"))
    sys.stdout.buffer.flush()


def err(texto):
    sys.stderr.buffer.write(("opciones: " + texto + "\n").encode("utf-8"))
    sys.stderr.buffer.flush()


def numero(texto, maximo):
    if not texto or not all("0" <= c <= "9" for c in texto):
        return None
    v = int(texto)
    return v if 1 <= v <= maximo else None


def timeval(ms):
    return struct.pack("@ll", ms // 1000, (ms % 1000) * 1000)


def conectar_con_plazo(host, puerto, ms):
    """Returns a blocking connected socket, or raises OSError with an errno."""
    infos = socket.getaddrinfo(host, puerto, socket.AF_UNSPEC, socket.SOCK_STREAM)
    familia, tipo, proto, _, direccion = infos[0]
    s = socket.socket(familia, tipo, proto)
    try:
        s.setblocking(False)
        rc = s.connect_ex(direccion)
        if rc not in (0, errno.EINPROGRESS):
            raise OSError(rc, os.strerror(rc))
        if rc == errno.EINPROGRESS:
            limite = time.monotonic() + ms / 1000.0
            p = select.poll()
            p.register(s, select.POLLOUT)
            while True:
                quedan = int((limite - time.monotonic()) * 1000)
                if quedan <= 0:
                    raise OSError(errno.ETIMEDOUT, os.strerror(errno.ETIMEDOUT))
                if p.poll(quedan):
                    break
            e = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if e != 0:
                raise OSError(e, os.strerror(e))
        s.setblocking(True)
        return s
    except BaseException:
        s.close()
        raise


def conectar(host, puerto):
    try:
        return conectar_con_plazo(host, puerto, 5000)
    except socket.gaierror as e:
        err("no se pudo resolver %s: %s" % (host, e.strerror))
    except OSError as e:
        err("no se pudo conectar con %s:%s: %s" % (host, puerto, e.strerror))
    return None


def primera_linea(datos):
    return datos.split(b"\n", 1)[0].decode("utf-8", "replace")


def modo_reutilizar(puerto):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", puerto))
        s.listen(4)
    except OSError as e:
        err("reutilizar: %s" % e.strerror)
        return 1
    out("Escuchando en el puerto %d\n" % puerto)
    c, _ = s.accept()
    try:
        c.sendall(b"hola\n")
    except OSError as e:
        err("send: %s" % e.strerror)
    c.close()
    s.close()
    return 0


def modo_plazo(host, puerto, ms):
    s = conectar(host, puerto)
    if s is None:
        return 1
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeval(ms))
        datos = s.recv(4096)
    except BlockingIOError:
        out("Plazo agotado: no llegó nada en %d ms\n" % ms)
        return 3
    except OSError as e:
        err("recv: %s" % e.strerror)
        return 1
    finally:
        s.close()
    if not datos:
        err("el otro lado cerró sin enviar nada")
        return 1
    out("Recibido: %s\n" % primera_linea(datos))
    return 0


def modo_sin_bloqueo(host, puerto):
    s = conectar(host, puerto)
    if s is None:
        return 1
    try:
        s.setblocking(False)
        try:
            datos = s.recv(4096)
        except BlockingIOError:
            out("No hay datos todavía\n")
            p = select.poll()
            p.register(s, select.POLLIN)
            if not p.poll(5000):
                err("no llegó nada en 5000 ms")
                return 3
            datos = s.recv(4096)
    except OSError as e:
        err("recv: %s" % e.strerror)
        return 1
    finally:
        s.close()
    if not datos:
        err("recv: el otro lado cerró")
        return 1
    out("Recibido: %s\n" % primera_linea(datos))
    return 0


def modo_conectar(host, puerto, ms):
    try:
        s = conectar_con_plazo(host, puerto, ms)
    except socket.gaierror as e:
        err("no se pudo resolver %s: %s" % (host, e.strerror))
        return 1
    except OSError as e:
        if e.errno == errno.ETIMEDOUT:
            out("Sin respuesta de %s:%d en %d ms\n" % (host, puerto, ms))
            return 3
        if e.errno == errno.ECONNREFUSED:
            out("Conexión rechazada por %s:%d\n" % (host, puerto))
            return 4
        err("connect: %s" % e.strerror)
        return 1
    s.close()
    out("Conectado a %s:%d\n" % (host, puerto))
    return 0


def modo_envio(host, puerto, ms):
    s = conectar(host, puerto)
    if s is None:
        return 1
    bloque = b"e" * 65536
    enviados = 0
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, timeval(ms))
        while True:
            enviados += s.send(bloque)
    except BlockingIOError:
        out("Envío bloqueado: el otro lado no lee (%d bytes enviados; plazo de %d ms)\n"
            % (enviados, ms))
        return 3
    except OSError as e:
        err("send: %s" % e.strerror)
        return 1
    finally:
        s.close()


def main(args):
    if len(args) == 2 and args[0] == "reutilizar" and numero(args[1], 65535):
        return modo_reutilizar(numero(args[1], 65535))
    if len(args) == 3 and args[0] == "sin_bloqueo" and numero(args[2], 65535):
        return modo_sin_bloqueo(args[1], numero(args[2], 65535))
    if len(args) == 4 and numero(args[2], 65535) and numero(args[3], 600000):
        host, puerto, ms = args[1], numero(args[2], 65535), numero(args[3], 600000)
        modos = {"plazo": modo_plazo, "conectar": modo_conectar, "envio": modo_envio}
        if args[0] in modos:
            return modos[args[0]](host, puerto, ms)
    sys.stderr.write(USO)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
