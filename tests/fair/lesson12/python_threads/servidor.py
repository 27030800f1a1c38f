#!/usr/bin/env python3
"""servidor.py - style: Python 3, one threading.Thread per connection over raw
sockets (no http.server), os.path.realpath containment check, files streamed
with socket.sendfile(); run with --cmd."""
import os
import socket
import sys
import threading

MAX_CABECERA = 8192
TIPOS = {".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".png": "image/png",
         ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
HEX = "0123456789abcdefABCDEF"
log_lock = threading.Lock()


class Mala(Exception):
    """400 Bad Request"""


def decodificar(ruta):
    out = bytearray()
    i = 0
    b = ruta.encode("latin-1")
    while i < len(b):
        if b[i] == 0x25:  # '%'
            h = b[i + 1:i + 3].decode("latin-1")
            if len(h) != 2 or h[0] not in HEX or h[1] not in HEX or int(h, 16) == 0:
                raise Mala()
            out.append(int(h, 16))
            i += 3
        else:
            out.append(b[i])
            i += 1
    return bytes(out)


def analizar(cabecera):
    lineas = cabecera.decode("latin-1").split("\r\n")
    piezas = lineas[0].split(" ")
    if len(piezas) != 3 or not all(piezas):
        raise Mala()
    metodo, objetivo, version = piezas
    if not objetivo.startswith("/") or version not in ("HTTP/1.0", "HTTP/1.1"):
        raise Mala()
    cerrar = version == "HTTP/1.0"
    for linea in lineas[1:]:
        if not linea:
            continue
        if ":" not in linea:
            raise Mala()
        nombre, valor = linea.split(":", 1)
        if nombre.strip().lower() == "connection":
            v = valor.strip().lower()
            if v == "close":
                cerrar = True
            elif v == "keep-alive":
                cerrar = False
    ruta = decodificar(objetivo.split("?", 1)[0])
    return metodo, ruta, cerrar


def cabecera(codigo, texto, tipo, largo, cerrar, extra=""):
    return ("HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
            "Connection: %s\r\n%s\r\n" % (codigo, texto, tipo, largo,
                                        "close" if cerrar else "keep-alive", extra)).encode()


def error(s, codigo, texto, cerrar, cuerpo=True, extra=""):
    pagina = ("<!DOCTYPE html>\n<html><body><h1>%d %s</h1></body></html>\n"
              % (codigo, texto)).encode()
    s.sendall(cabecera(codigo, texto, "text/html; charset=utf-8", len(pagina), cerrar, extra)
              + (pagina if cuerpo else b""))


def responder(s, raiz, metodo, ruta, cerrar):
    """True to keep the connection open."""
    with log_lock:
        sys.stdout.buffer.write(metodo.encode("latin-1") + b" " + ruta + b"\n")
        sys.stdout.flush()
    if metodo not in ("GET", "HEAD"):
        error(s, 405, "Method Not Allowed", True, extra="Allow: GET, HEAD\r\n")
        return False
    cuerpo = metodo == "GET"
    if b".." in ruta.split(b"/"):
        error(s, 403, "Forbidden", cerrar, cuerpo)
        return not cerrar
    nombre = raiz + ruta + (b"index.html" if ruta.endswith(b"/") else b"")
    real = os.path.realpath(nombre)
    if not os.path.exists(real):
        error(s, 404, "Not Found", cerrar, cuerpo)
        return not cerrar
    if not real.startswith(raiz + b"/"):
        error(s, 403, "Forbidden", cerrar, cuerpo)
        return not cerrar
    try:
        f = open(real, "rb")
    except OSError:
        error(s, 404, "Not Found", cerrar, cuerpo)
        return not cerrar
    with f:
        st = os.fstat(f.fileno())
        if not os.path.stat.S_ISREG(st.st_mode):
            error(s, 404, "Not Found", cerrar, cuerpo)
            return not cerrar
        tipo = TIPOS.get(os.path.splitext(real)[1].decode("latin-1"), "application/octet-stream")
        s.sendall(cabecera(200, "OK", tipo, st.st_size, cerrar))
        if cuerpo:
            s.sendfile(f)
    return not cerrar


def atender(s, raiz):
    datos = b""
    try:
        while True:
            fin = datos.find(b"\r\n\r\n")
            if fin < 0:
                if len(datos) >= MAX_CABECERA:
                    error(s, 400, "Bad Request", True)
                    return
                trozo = s.recv(MAX_CABECERA - len(datos))
                if not trozo:
                    if datos:
                        error(s, 400, "Bad Request", True)
                    return
                datos += trozo
                continue
            cab, datos = datos[:fin], datos[fin + 4:]
            try:
                metodo, ruta, cerrar = analizar(cab)
            except Mala:
                error(s, 400, "Bad Request", True)
                return
            if not responder(s, raiz, metodo, ruta, cerrar):
                return
    except OSError:
        pass
    finally:
        s.close()


def main(argv):
    if len(argv) > 3:
        sys.stderr.write("uso: servidor [PUERTO [CARPETA]]\n")
        return 2
    puerto = 8080
    if len(argv) >= 2:
        p = argv[1]
        if not (p.isascii() and p.isdigit()) or not 1 <= int(p) <= 65535:
            sys.stderr.write("servidor: puerto no válido: %s\n" % p)
            return 2
        puerto = int(p)
    carpeta = argv[2] if len(argv) == 3 else "public"
    if not os.path.isdir(carpeta):
        sys.stderr.write("servidor: no existe la carpeta %s\n" % carpeta)
        return 2
    raiz = os.path.realpath(os.fsencode(carpeta))
    escucha = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    escucha.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    escucha.bind(("127.0.0.1", puerto))
    escucha.listen(128)
    sys.stdout.buffer.write(b"Sirviendo " + raiz + b" en http://127.0.0.1:%d/\n" % puerto)
    sys.stdout.flush()
    while True:
        try:
            c, _ = escucha.accept()
        except OSError:
            continue
        threading.Thread(target=atender, args=(c, raiz), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
