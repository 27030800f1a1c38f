#!/usr/bin/env python3
"""Servidor web de la lección 12, en Python, sobre http.server de la biblioteca estándar.

Sirve para comprobar que el checker corrige programas en otros lenguajes:
    ./checker lesson12 --cmd "python3 $PWD/tests/programs/lesson12/servidor.py"
Uso: servidor.py [PUERTO [CARPETA]]   (8080 y ./public si no se indican)
"""

import functools
import http.server
import os
import re
import sys

MAX_CABECERA = 8192  # la línea de petición y las cabeceras, juntas


class Manejador(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, con Content-Length en cada respuesta
    default_request_version = "HTTP/1.0"  # y un 400 con su línea de estado, no al estilo 0.9
    extensions_map = {".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8",
                      ".css": "text/css; charset=utf-8", ".png": "image/png",
                      ".jpg": "image/jpeg", "": "application/octet-stream"}

    def parse_request(self):
        if not super().parse_request():
            return False
        # Tres piezas («GET /hola.txt» a secas es HTTP/0.9, que no admitimos) y
        # una ruta que empieza por / («GET hola.txt» no lo es).
        if len(self.requestline.split()) != 3 or not self.path.startswith("/"):
            self.send_error(400)
            return False
        # Una cabecera de más de 8 KiB, o un % que no da un byte distinto de 0.
        largo = len(self.raw_requestline) + len(bytes(self.headers)) if self.headers else 0
        ruta = self.path.split("?", 1)[0]
        if largo > MAX_CABECERA or re.search(r"%(?![0-9A-Fa-f]{2})|%00", ruta):
            self.send_error(400)
            return False
        return True

    def no_permitido(self):
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    do_DELETE = do_PUT = do_POST = do_PATCH = no_permitido

    def send_error(self, code, message=None, explain=None):
        if code != 404:  # los demás errores cierran la conexión
            super().send_error(code, message, explain)
            return
        # Un 404 no la cierra: el cliente puede seguir pidiendo (keep-alive).
        cuerpo = b"<!DOCTYPE html>\n<html><body><h1>404 Not Found</h1></body></html>\n"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(cuerpo)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(cuerpo)

    def send_head(self):
        # Un enlace de la carpeta puede llevar fuera de ella: lo que cuenta es
        # el archivo de verdad, con los enlaces resueltos.
        raiz = os.path.realpath(self.directory)
        real = os.path.realpath(self.translate_path(self.path))
        if real != raiz and not real.startswith(raiz + os.sep):
            self.send_error(403)
            return None
        return super().send_head()

    def list_directory(self, path):  # sin index.html: no se enseña el contenido
        self.send_error(404)


def main():
    if len(sys.argv) > 3:
        print("uso: servidor.py [PUERTO [CARPETA]]", file=sys.stderr)
        sys.exit(2)
    texto = sys.argv[1] if len(sys.argv) > 1 else "8080"
    if not texto.isdigit() or not 1 <= int(texto) <= 65535:
        print(f'servidor: puerto no válido: "{texto}"', file=sys.stderr)
        sys.exit(2)
    puerto = int(texto)
    carpeta = sys.argv[2] if len(sys.argv) > 2 else "public"
    if not os.path.isdir(carpeta):
        print(f"servidor: {carpeta}: no es una carpeta", file=sys.stderr)
        sys.exit(2)
    manejador = functools.partial(Manejador, directory=carpeta)
    servidor = http.server.ThreadingHTTPServer(("127.0.0.1", puerto), manejador)
    print(f"Sirviendo {carpeta} en http://127.0.0.1:{puerto}/", flush=True)
    servidor.serve_forever()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
