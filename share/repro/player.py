# player.py - replays what the checker did in one test, against the learner's program.
#
# ./checker LESSON --repro DIR writes DIR/TEST.py: this file, then the test's
# steps (META and STEPS) and a call to main(). Python 3's standard library
# only. The words it prints are for the learner, in Spanish.

import os
import select
import socket
import struct
import sys
import time

WAIT_S = 3.0      # the longest wait for an answer, a connection or a datagram
SETTLE_S = 1.0    # what may still arrive after the last step
HOST = "127.0.0.1"


def shown(data):
    """Bytes as the checker's report shows them: text as text, the rest escaped."""
    out = []
    for ch in data.decode("utf-8", "backslashreplace"):
        if ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch == '"':
            out.append('\\"')
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append("\\x%02x" % ord(ch))
        else:
            out.append(ch)
    text = "".join(out)
    return '"%s"' % (text if len(text) <= 300 else text[:300] + "…")


class Conn:
    def __init__(self, name, sock, udp):
        self.name, self.sock, self.udp = name, sock, udp
        self.unread = bytearray()   # TCP bytes no expect took yet
        self.total = 0              # TCP bytes, or UDP datagrams, that arrived
        self.dgrams = []            # UDP datagrams no expect took yet
        self.peer = None            # UDP: where a datagram goes by default
        self.closed = False


class Player:
    def __init__(self, meta, port):
        self.meta, self.t0 = meta, time.monotonic()
        self.port_shift = port - meta["port"] if port else 0
        self.conns, self.listener, self.failed = {}, None, False
        self.nhttp = self.ncopies = 0

    def say(self, conn, text):
        ms = int((time.monotonic() - self.t0) * 1000)
        print("%7d ms  %-4s %s" % (ms, conn or "·", text), flush=True)

    def port(self, p):
        return p + self.port_shift if p > 0 else p

    def pump(self, timeout):
        """Read what arrives on every open socket, for at most timeout seconds."""
        socks = {c.sock: c for c in self.conns.values() if c.sock and not c.closed}
        if not socks:
            time.sleep(max(timeout, 0))
            return
        ready, _, _ = select.select(list(socks), [], [], max(timeout, 0))
        for s in ready:
            self.read(socks[s])

    def read(self, c):
        try:
            if c.udp:
                data, addr = c.sock.recvfrom(65536)
                c.dgrams.append(data)
                c.total += 1
                c.peer = c.peer or addr
                self.say(c.name, "← tu programa (datagrama) " + shown(data))
                return
            data = c.sock.recv(65536)
        except ConnectionResetError:
            self.say(c.name, "tu programa cortó la conexión (RST)")
            c.closed = True
            return
        except OSError as e:
            self.say(c.name, "error al leer: %s" % e.strerror)
            c.closed = True
            return
        if not data:
            self.say(c.name, "tu programa cerró la conexión")
            c.closed = True
            return
        c.unread += data
        c.total += len(data)
        self.say(c.name, "← tu programa " + shown(data))

    def wait_until(self, cond, seconds):
        end = time.monotonic() + seconds
        while not cond() and time.monotonic() < end:
            self.pump(end - time.monotonic())
        return cond()

    def fail(self, conn, text):
        self.failed = True
        self.say(conn, "✗ " + text)

    # ---- the checker's actions ----

    def do_start(self, step):
        cmd = step[4].decode("utf-8", "replace")
        if self.meta["role"] == "server":
            self.say("", "(tu programa ya tiene que estar arrancado: %s)" % cmd)
        else:
            self.say("", "arranca ahora tu programa, en otra terminal: %s" % cmd)

    def do_listen(self, step):
        udp = self.meta["proto"] == "udp"
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if udp else socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((HOST, self.port(step[3])))
        if not udp:
            s.listen(16)
        self.listener = s
        self.say("", "escucho en %s:%d, como el servidor de la prueba" % (HOST, self.port(step[3])))

    def do_accept(self, step):
        name, s = step[2], self.listener
        if self.meta["proto"] == "udp":
            c = Conn(name, s, True)
            self.conns[name] = c
            if not self.wait_until(lambda: c.total > 0, WAIT_S * 4):
                self.fail(name, "tu programa no envió ningún datagrama")
            return
        ready, _, _ = select.select([s], [], [], WAIT_S * 4)
        if not ready:
            self.fail(name, "tu programa no se conectó")
            return
        sock, _ = s.accept()
        self.conns[name] = Conn(name, sock, False)
        self.say(name, "tu programa se conecta")

    def do_connect(self, step):
        name, port = step[2], self.port(step[3])
        try:
            sock = socket.create_connection((HOST, port), timeout=WAIT_S)
        except OSError as e:
            self.fail(name, "no se pudo conectar a %s:%d: %s" % (HOST, port, e.strerror or e))
            return
        sock.settimeout(WAIT_S)
        self.conns[name] = Conn(name, sock, False)
        self.say(name, "se conecta")

    def do_socket(self, step):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((HOST, 0))
        self.conns[step[2]] = Conn(step[2], s, True)
        self.say(step[2], "abre un socket UDP")

    def conn(self, step):
        c = self.conns.get(step[2])
        if c is None or c.sock is None:
            self.fail(step[2], "esta conexión no llegó a abrirse")
            return None
        return c

    def do_send(self, step):
        c, data = self.conn(step), step[4]
        if c is None:
            return
        self.say(c.name, "checker → " + shown(data))
        try:
            if c.udp:
                to = (HOST, self.port(step[3])) if step[3] > 0 else c.peer
                c.sock.sendto(data, to)
            else:
                c.sock.sendall(data)
        except OSError as e:
            self.fail(c.name, "no se pudo enviar: %s" % (e.strerror or e))

    def do_shutdown(self, step):
        c = self.conn(step)
        if c:
            c.sock.shutdown(socket.SHUT_WR)
            self.say(c.name, "cierra su lado de escritura (ya no enviará más)")

    def do_close(self, step, reset=False):
        c = self.conn(step)
        if not c:
            return
        if reset:
            c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.sock.close()
        c.sock, c.closed = None, True
        self.say(c.name, "corta la conexión (RST)" if reset else "cierra la conexión")

    def do_await(self, step):
        c = self.conns.get(step[2])
        if c and not self.wait_until(lambda: c.total >= step[3] or c.closed, WAIT_S):
            self.fail(c.name, "la respuesta no llegó entera")

    def do_expect(self, step):
        c, want = self.conns.get(step[2]), step[4]
        if c is None:
            return
        if c.udp:
            if not self.wait_until(lambda: c.dgrams, WAIT_S):
                self.fail(c.name, "esperaba el datagrama %s y no llegó" % shown(want))
                return
            got = c.dgrams.pop(0)
        elif step[3]:
            prefix, n = want[:step[3]], len(want) - step[3]
            self.wait_until(lambda: joined(c.unread, prefix, n)[1] or c.closed, WAIT_S)
            text, used = joined(c.unread, prefix, n)
            got = prefix + text if used else bytes(c.unread)
            del c.unread[:used]
        else:
            self.wait_until(lambda: len(c.unread) >= len(want) or c.closed, WAIT_S)
            got = bytes(c.unread[:len(want)])
            del c.unread[:len(want)]
        if got == want:
            self.say(c.name, "✓ llegó lo esperado")
        else:
            self.fail(c.name, "esperaba %s y llegó %s" % (shown(want), shown(got)))

    def do_quiet(self, step):
        c = self.conns.get(step[2])
        if c is None:
            return
        self.wait_until(lambda: c.unread or c.dgrams, step[3] / 1000.0)
        if c.unread or c.dgrams:
            got = bytes(c.unread) if c.unread else c.dgrams[0]
            self.fail(c.name, "tu programa envió %s cuando aún no le tocaba enviar nada"
                      % shown(got))
        else:
            self.say(c.name, "✓ en %d ms no llegó nada, como debía" % step[3])

    def do_input(self, step):
        self.say("", "escribe en tu programa: %s" % shown(step[4]))

    def do_http(self, step):
        port, copies = self.port(step[3] // 1000), step[3] % 1000
        self.ncopies = max(copies, 1)
        for _ in range(self.ncopies):
            self.nhttp += 1
            name = "h%d" % self.nhttp
            try:
                sock = socket.create_connection((HOST, port), timeout=WAIT_S)
                self.conns[name] = Conn(name, sock, False)
                self.say(name, "checker → " + shown(step[4]))
                sock.sendall(step[4])
            except OSError as e:
                self.fail(name, "no se pudo enviar la petición: %s" % (e.strerror or e))

    def do_head(self, step):
        """An HTTP request head is due on the connection: its form, its start
        line and the headers it must hold (names in any case, once each)."""
        c = self.conns.get(step[2])
        if c is None:
            return
        self.wait_until(lambda: b"\r\n\r\n" in c.unread or b"\n\n" in c.unread or c.closed,
                        WAIT_S)
        data = bytes(c.unread)
        end = data.find(b"\r\n\r\n")
        if end < 0:
            self.fail(c.name, "la cabecera no acaba en una línea vacía (\\r\\n sola): %s"
                      % shown(data))
            return
        head = data[:end + 2]
        del c.unread[:end + 4]
        if b"\n" in head.replace(b"\r\n", b""):
            self.fail(c.name, "una línea acaba en \\n sin el \\r delante: %s" % shown(head))
            return
        lines = head.decode("utf-8", "replace").split("\r\n")[:-1]
        due = step[4].decode().split("\n")[:-1]
        method, target = due[0].split(" ", 1)
        start = lines[0].split(" ")
        if start != [method, target, "HTTP/1.1"]:
            self.fail(c.name, "la línea de petición es «%s», y se esperaba «%s %s HTTP/1.1»"
                      % (lines[0], method, target))
            return
        fields = [l.split(":", 1) for l in lines[1:] if ":" in l]
        for want in due[1:]:
            name, value = [x.strip() for x in want.split(":", 1)]
            got = [v.strip() for n, v in fields if n.strip().lower() == name.lower()]
            if len(got) != 1:
                self.fail(c.name, "la cabecera %s aparece %d veces, y debe aparecer una"
                          % (name, len(got)))
                return
            if got[0].lower() != value.lower():
                self.fail(c.name, "la cabecera %s es «%s», y se esperaba «%s»"
                          % (name, got[0], value))
                return
        self.say(c.name, "✓ llegó la petición esperada")

    def do_status(self, step):
        """The answers to the last http request(s): their status is one of these."""
        due = step[4].decode().split()
        for i in range(self.ncopies):
            c = self.conns.get("h%d" % (self.nhttp - self.ncopies + 1 + i))
            if c is None:
                continue
            self.wait_until(lambda: b"\r\n" in c.unread or c.closed, WAIT_S)
            line = bytes(c.unread).split(b"\r\n", 1)[0]
            parts = line.split()
            got = parts[1].decode("ascii", "replace") if len(parts) > 1 else ""
            if got in due:
                self.say(c.name, "✓ respondió %s" % got)
            elif got:
                self.fail(c.name, "respondió %s, y se esperaba %s" % (got, " o ".join(due)))
            else:
                self.fail(c.name, "no llegó la línea de estado: %s" % shown(line))

    def play(self, steps):
        acts = {"start": self.do_start, "listen": self.do_listen, "accept": self.do_accept,
                "connect": self.do_connect, "socket": self.do_socket, "send": self.do_send,
                "shutdown": self.do_shutdown, "close": self.do_close,
                "reset": lambda s: self.do_close(s, True), "await": self.do_await,
                "expect": self.do_expect, "input": self.do_input, "http": self.do_http,
                "quiet": self.do_quiet, "status": self.do_status, "head": self.do_head}
        for step in steps:
            if step[1] not in ("await", "expect", "accept", "head", "status"):
                # The same pauses as the checker's: wait until the step's time.
                self.pump(self.t0 + step[0] / 1000.0 - time.monotonic())
            acts[step[1]](step)
        self.pump(SETTLE_S)
        self.wait_until(lambda: False, SETTLE_S)


def joined(data, prefix, n):
    """The text of the pieces at the start of data, each after the prefix, as
    the checker joins them (a long echo comes back in pieces of any size):
    (text, bytes used) once n bytes of text are there, else (b"", 0)."""
    text, pos = b"", 0
    while pos < len(data) and len(text) < n:
        if data[pos:pos + len(prefix)] != prefix:
            return b"", 0
        pos += len(prefix)
        nxt = data.find(prefix, pos)
        end = nxt if nxt >= 0 else len(data)
        take = min(end - pos, n - len(text))
        text += bytes(data[pos:pos + take])
        pos += take
        if len(text) < n:
            pos = end
    return (text, pos) if len(text) == n else (b"", 0)


def payload(step, here):
    """A step's data: bytes, or the name of a file beside this script."""
    data = step[4]
    if isinstance(data, str):
        with open(os.path.join(here, data), "rb") as f:
            data = f.read()
    return (step[0], step[1], step[2], step[3], data)


def main(meta, steps):
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    here = os.path.dirname(os.path.abspath(__file__))
    print("Prueba %s de %s (semilla %s): lo mismo que hizo el checker, paso a paso."
          % (meta["test"], meta["lesson"], meta["seed"]))
    if meta["role"] == "server":
        print("Arranca antes tu programa en otra terminal; con otro puerto: python3 %s PUERTO"
              % os.path.basename(sys.argv[0]))
    p = Player(meta, port)
    p.play([payload(s, here) for s in steps])
    if p.failed:
        print("Resultado: falla, como en el checker (mira las líneas con ✗).")
        return 1
    print("Resultado: esta vez no se vio el fallo.")
    return 0
