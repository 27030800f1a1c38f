#!/usr/bin/env python3
# Style: Python 3 server run with --cmd: threading.Thread(daemon=True) per
# client, socket.recv(1024) + sendall(prefix + chunk); Python already ignores
# SIGPIPE, so a vanished client shows up as an OSError in its own thread.
import socket
import sys
import threading

PREFIJO = "Servidor recibió: ".encode("utf-8")


def atender(conn, nombre):
    with conn:
        while True:
            try:
                datos = conn.recv(1024)
            except InterruptedError:
                continue
            except OSError:
                break
            if not datos:
                break
            try:
                conn.sendall(PREFIJO + datos)
            except OSError:
                break
    print(f"Cliente {nombre} desconectado", flush=True)


def main(argv):
    if len(argv) > 2:
        print("uso: servidor [PUERTO]", file=sys.stderr)
        return 2
    texto = argv[1] if len(argv) == 2 else "8888"
    if not texto or any(c not in "0123456789" for c in texto) or not 1 <= int(texto) <= 65535:
        print(f'servidor: puerto no válido: "{texto}" (debe ser un número entre 1 y 65535)',
              file=sys.stderr)
        return 2
    puerto = int(texto)

    escucha = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    escucha.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        escucha.bind(("127.0.0.1", puerto))
        escucha.listen(128)
    except OSError as e:
        print(f"servidor: bind: {e.strerror}", file=sys.stderr)
        return 1
    print(f"Servidor escuchando en 127.0.0.1:{puerto}", flush=True)

    while True:
        try:
            conn, (ip, p) = escucha.accept()
        except InterruptedError:
            continue
        except (ConnectionAbortedError, OSError) as e:
            if isinstance(e, ConnectionAbortedError):
                continue
            print(f"servidor: accept: {e.strerror}", file=sys.stderr)
            return 1
        nombre = f"{ip}:{p}"
        print(f"Cliente conectado desde {nombre}", flush=True)
        threading.Thread(target=atender, args=(conn, nombre), daemon=True).start()


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except KeyboardInterrupt:
        sys.exit(130)
