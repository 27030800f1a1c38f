#!/usr/bin/env python3
# Style: Python 3 version run with --cmd: socket.getaddrinfo + ipaddress-free
# formatting, sys.exit codes, socket objects whose fileno() is announced.
import socket
import sys

USO = "uso: direcciones HOST [PUERTO]"


def main(argv):
    if len(argv) not in (2, 3):
        print(USO, file=sys.stderr)
        return 2
    host = argv[1]
    port = "80"
    if len(argv) == 3:
        port = argv[2]
        # only ASCII digits, 1..65535 ("٣" is a digit for str.isdigit, so compare)
        if not port or any(c not in "0123456789" for c in port) or not 1 <= int(port) <= 65535:
            print(f"direcciones: puerto no válido: «{port}» (debe ser un número entre 1 y 65535)",
                  file=sys.stderr)
            return 2
    try:
        results = socket.getaddrinfo(host, port, socket.AF_UNSPEC, 0)
    except socket.gaierror as e:
        print(f"direcciones: no se pudo resolver «{host}»: {e.strerror}", file=sys.stderr)
        return 2

    lines = []
    for family, socktype, _proto, _canon, sockaddr in results:
        fam = {socket.AF_INET: "IPv4", socket.AF_INET6: "IPv6"}.get(family)
        typ = {socket.SOCK_STREAM: "TCP", socket.SOCK_DGRAM: "UDP"}.get(socktype)
        if fam is None or typ is None:
            continue
        # sockaddr[0] is the inet_ntop text (Python may append %scope for
        # link-local IPv6; strip it to keep exactly the inet_ntop form)
        ip = sockaddr[0].split("%", 1)[0]
        lines.append(f"{fam} {ip} puerto {sockaddr[1]} {typ}")
    for line in lines:
        print(line)

    try:
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0)
        print(f"Socket TCP creado (descriptor {tcp.fileno()})")
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, 0)
        print(f"Socket UDP creado (descriptor {udp.fileno()})")
        udp.close()
        tcp.close()
    except OSError as e:
        print(f"direcciones: socket: {e.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
