# UDP echo client, style: Python 3, socket.settimeout() recomputed from a
# monotonic deadline, recvfrom() filtered by (ip, port) and exact content.
import socket
import sys
import time

USAGE = "uso: cliente [HOST PUERTO [MENSAJE...]]"


def fail_usage(why=None):
    if why:
        print(f"cliente: {why}", file=sys.stderr)
    print(USAGE, file=sys.stderr)
    sys.exit(2)


def main():
    args = sys.argv[1:]
    host, port = "127.0.0.1", 9999
    msgs = [b"Mensaje UDP 1", b"Mensaje UDP 2", b"Prueba UDP"]
    if len(args) == 1:
        fail_usage("falta el puerto")
    if len(args) >= 2:
        host = args[0]
        if not (args[1].isascii() and args[1].isdigit() and 1 <= int(args[1]) <= 65535):
            fail_usage(f"puerto no válido: {args[1]}")
        port = int(args[1])
        if len(args) > 2:
            msgs = [os_bytes(a) for a in args[2:]]
    if any(len(m) > 65502 for m in msgs):
        fail_usage("mensaje de más de 65502 bytes")

    try:
        info = socket.getaddrinfo(host, port, socket.AF_UNSPEC, socket.SOCK_DGRAM)
    except socket.gaierror as e:
        print(f"cliente: no se pudo resolver {host}: {e.strerror}", file=sys.stderr)
        return 1
    family, stype, proto, _, server = info[0]
    srv_key = (server[0], server[1])
    out = sys.stdout.buffer
    with socket.socket(family, stype, proto) as s:
        for m in msgs:
            want = b"Eco: " + m
            answered = False
            for attempt in range(1, 4):
                if attempt > 1:
                    print(f"cliente: sin respuesta en 500 ms; reenvío (intento {attempt} de 3)", file=sys.stderr)
                try:
                    s.sendto(m, server)
                except OSError as e:
                    print(f"cliente: sendto: {e.strerror}", file=sys.stderr)
                    return 1
                deadline = time.monotonic() + 0.5
                while True:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    s.settimeout(left)
                    try:
                        data, sender = s.recvfrom(65536)
                    except socket.timeout:
                        break
                    except OSError as e:
                        print(f"cliente: recvfrom: {e.strerror}", file=sys.stderr)
                        return 1
                    if (sender[0], sender[1]) != srv_key:
                        print(f"cliente: ignoro un datagrama de {sender[0]}:{sender[1]}", file=sys.stderr)
                        continue
                    if data != want:
                        print("cliente: ignoro una respuesta que no es la esperada", file=sys.stderr)
                        continue
                    answered = True
                    break
                if answered:
                    break
            if not answered:
                print("cliente: el servidor no respondió tras 3 intentos de 500 ms: "
                      "el mensaje o su respuesta se perdieron", file=sys.stderr)
                return 1
            out.write(b"Respuesta: " + want + b"\n")
            out.flush()
    return 0


def os_bytes(arg):
    # argv as the raw bytes the user typed (surrogateescape round trip)
    return arg.encode(sys.getfilesystemencoding(), "surrogateescape")


if __name__ == "__main__":
    sys.exit(main())
