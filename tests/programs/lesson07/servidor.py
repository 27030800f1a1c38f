#!/usr/bin/env python3
"""Servidor de chat de la lección 7, en Python: un hilo por cliente.

Sirve para comprobar que el checker corrige programas en otros lenguajes:
    ./checker lesson07 --cmd "python3 $PWD/tests/programs/lesson07/servidor.py"
Uso: servidor.py [PUERTO]   (7777 si no se indica)
"""

import socket
import sys
import threading

DIRECCION = "127.0.0.1"
MAX_LINEA = 512
MAX_APODO = 32
MAX_CLIENTES = 100

sala = {}  # socket -> apodo: los que ya eligieron apodo
cerrojo = threading.Lock()


def leer_puerto(argv):
    if len(argv) > 2:
        print("uso: servidor.py [PUERTO]", file=sys.stderr)
        sys.exit(2)
    texto = argv[1] if len(argv) == 2 else "7777"
    if texto.isascii() and texto.isdigit() and 1 <= int(texto) <= 65535:
        return int(texto)
    print(f'servidor: puerto no válido: "{texto}"', file=sys.stderr)
    sys.exit(2)


def difundir(linea):
    """Envía linea (bytes, con su \\n) a todos; a quien no la acepta entera, lo echa."""
    for con in list(sala):
        try:
            if con.send(linea, socket.MSG_DONTWAIT) != len(linea):
                raise BlockingIOError
        except OSError:  # no lee, o ya se fue
            con.shutdown(socket.SHUT_RDWR)


def lineas(con):
    """Las líneas que envía un cliente, sin el \\n, hasta que se va."""
    pendiente = b""
    while True:
        while b"\n" in pendiente:
            linea, pendiente = pendiente.split(b"\n", 1)
            yield linea
        if len(pendiente) >= MAX_LINEA:
            return
        try:
            trozo = con.recv(MAX_LINEA)
        except OSError:
            return
        if not trozo:
            return
        pendiente += trozo


def elegir_apodo(con, entrada):
    while True:
        con.sendall(b"NICK\n")
        apodo = next(entrada, None)
        if apodo is None:
            return None
        with cerrojo:
            if not apodo:
                problema = "Apodo no válido: vacío\n"
            elif len(apodo) > MAX_APODO:
                problema = "Apodo no válido: más de 32 bytes\n"
            elif apodo in sala.values():
                problema = "Apodo no válido: ya está en uso\n"
            elif len(sala) >= MAX_CLIENTES:
                problema = "La sala está llena\n"
            else:
                sala[con] = apodo
                difundir(apodo + " se unió al chat!\n".encode())
                return apodo
        con.sendall(problema.encode())


def atender(con):
    with con:
        entrada = lineas(con)
        try:
            apodo = elegir_apodo(con, entrada)
        except OSError:
            return
        if apodo is None:
            return
        for linea in entrada:
            with cerrojo:
                difundir(linea + b"\n")
        with cerrojo:
            del sala[con]
            difundir(apodo + " abandonó el chat!\n".encode())


def main():
    puerto = leer_puerto(sys.argv)
    escucha = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    escucha.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    escucha.bind((DIRECCION, puerto))
    escucha.listen(128)
    print(f"Servidor de chat escuchando en {DIRECCION}:{puerto}", flush=True)
    while True:
        con, _ = escucha.accept()
        threading.Thread(target=atender, args=(con,), daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
