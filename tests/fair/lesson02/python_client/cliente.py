#!/usr/bin/env python3
# Style: Python 3 client run with --cmd: manual getaddrinfo loop keeping the
# last error, request built as bytes and sent with sendall, response copied
# chunk by chunk to sys.stdout.buffer until recv() returns b"".
import errno
import os
import socket
import sys

USO = "uso: cliente [HOST [PUERTO [RUTA]]]"


def bad(msg):
    print(msg, file=sys.stderr)
    print(USO, file=sys.stderr)
    return 2


def main(argv):
    args = argv[1:]
    if len(args) > 3:
        return bad("cliente: sobran argumentos")
    host = args[0] if len(args) > 0 else "127.0.0.1"
    port = args[1] if len(args) > 1 else "8080"
    path = args[2] if len(args) > 2 else "/"
    if not port or any(c not in "0123456789" for c in port) or not 1 <= int(port) <= 65535:
        return bad(f'cliente: puerto no válido: "{port}"')
    if not path.startswith("/") or " " in path:
        return bad(f'cliente: ruta no válida: "{path}"')

    try:
        # bytes, not str: a str host goes through Python's IDNA codec, which
        # raises UnicodeError (not gaierror) for names like "a..b"
        infos = socket.getaddrinfo(os.fsencode(host), port, socket.AF_UNSPEC, socket.SOCK_STREAM,
                                   0, socket.AI_NUMERICSERV)
    except socket.gaierror as e:
        print(f'cliente: no se pudo resolver "{host}": {e.strerror}', file=sys.stderr)
        return 1

    sock = None
    last = None
    for family, socktype, proto, _canon, addr in infos:
        try:
            s = socket.socket(family, socktype, proto)
        except OSError as e:
            last = e
            continue
        try:
            s.connect(addr)
        except OSError as e:
            last = e
            s.close()
            continue
        sock = s
        break
    if sock is None:
        why = last.strerror if last else os.strerror(errno.ECONNREFUSED)
        print(f"cliente: no se pudo conectar a {host}:{port}: {why}", file=sys.stderr)
        return 1
    print(f"cliente: conectado a {host}:{port}", file=sys.stderr)

    hosthdr = f"[{host}]" if ":" in host else host
    request = f"GET {path} HTTP/1.1\r\nHost: {hosthdr}:{port}\r\nConnection: close\r\n\r\n"
    out = sys.stdout.buffer
    with sock:
        try:
            sock.sendall(request.encode("utf-8", "surrogateescape"))
        except OSError as e:
            print(f"cliente: error al enviar la petición: {e.strerror}", file=sys.stderr)
            return 1
        while True:
            try:
                chunk = sock.recv(16384)
            except InterruptedError:
                continue
            except OSError as e:
                out.flush()
                print(f"cliente: error al recibir: {e.strerror}", file=sys.stderr)
                return 1
            if not chunk:
                break
            try:
                out.write(chunk)
            except OSError as e:
                print(f"cliente: error al escribir la respuesta: {e.strerror}", file=sys.stderr)
                return 1
    try:
        out.flush()
    except OSError as e:
        print(f"cliente: error al escribir la respuesta: {e.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
