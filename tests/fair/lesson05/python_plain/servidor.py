# UDP echo server, style: Python 3, plain socket module, 65535-byte recvfrom,
# bytes never decoded for the reply (only for the log line).
import socket
import sys


def main():
    args = sys.argv[1:]
    port = 9999
    if len(args) > 1:
        print("uso: servidor.py [PUERTO]", file=sys.stderr)
        sys.exit(2)
    if args:
        if not args[0].isascii() or not args[0].isdigit() or not 1 <= int(args[0]) <= 65535:
            print(f"servidor: puerto no válido: {args[0]}\nuso: servidor.py [PUERTO]", file=sys.stderr)
            sys.exit(2)
        port = int(args[0])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    print(f"Servidor UDP escuchando en 127.0.0.1:{port}", flush=True)
    while True:
        try:
            data, addr = s.recvfrom(65535)
        except InterruptedError:
            continue
        except OSError as e:
            print(f"servidor: recvfrom: {e}", file=sys.stderr)
            continue
        text = data.decode("utf-8", errors="replace")
        print(f"Recibido de {addr[0]}:{addr[1]}: {text}", flush=True)
        try:
            s.sendto(b"Eco: " + data, addr)
        except OSError as e:
            print(f"servidor: sendto: {e}", file=sys.stderr)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
