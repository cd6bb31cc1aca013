#!/usr/bin/env python3
"""Opens N concurrent milter sessions straight to a milter daemon and leaves each one mid-message (negotiated,
connected, MAIL, RCPT, headers, a 10 KB body chunk sent), like an MTA with N messages in DATA. Prints when all are
open, waits --hold seconds (measure the daemon's RSS then), then ends every message and counts the answers."""
import argparse, socket, struct, time

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--sessions", type=int, default=1000)
ap.add_argument("--hold", type=float, default=5)
ap.add_argument("--hostile", action="store_true",
                help="each message's header is the shape dearest to the daemon's per-message bookkeeping: 999"
                     " distinct forged Caliop-* names, then forged fields with 1 KB values, just under the bounds of ForeignFields")
a = ap.parse_args()

def frame(cmd, payload=b""):
    return struct.pack(">I", len(payload) + 1) + cmd + payload

def read_frame(s):
    head = b""
    while len(head) < 4:
        chunk = s.recv(4 - len(head))
        if not chunk:
            raise EOFError
        head += chunk
    n = struct.unpack(">I", head)[0]
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data

NR = {b"C": 0x1000, b"H": 0x2000, b"M": 0x4000, b"R": 0x8000, b"T": 0x10000, b"L": 0x80, b"N": 0x40000,
      b"B": 0x80000}

def send(s, steps, cmd, payload=b""):
    """Sends a command; waits for the milter's continue unless it negotiated no reply for it."""
    s.sendall(frame(cmd, payload))
    if not steps & NR.get(cmd, 0):
        r = read_frame(s)
        assert r[:1] == b"c", r[:40]

body = (b"0123456789" * 7 + b"\r\n") * 140
socks = []
for i in range(a.sessions):
    s = socket.create_connection(("127.0.0.1", a.port))
    s.sendall(frame(b"O", struct.pack(">III", 6, 0x1FF, 0x1FFFFF)))
    steps = struct.unpack(">I", read_frame(s)[9:13])[0]
    s.sendall(frame(b"D", b"C{client_addr}\x00192.0.2.%d\x00j\x00mx.bench.test\x00" % (i % 250)))
    send(s, steps, b"C", b"client.bench.test\x004" + struct.pack(">H", 25) + b"192.0.2.1\x00")
    send(s, steps, b"H", b"client.bench.test\x00")
    s.sendall(frame(b"D", b"Mi\x00Q%08X\x00" % i))
    send(s, steps, b"M", b"<sender@x.test>\x00")
    send(s, steps, b"R", b"<rcpt@y.test>\x00")
    send(s, steps, b"T")
    for name, value in ((b"From", b" <sender@x.test>"), (b"To", b" <rcpt@y.test>"), (b"Subject", b" hold %d" % i)):
        send(s, steps, b"L", name + b"\x00" + value + b"\x00")
    if a.hostile:
        # Pipelined (the replies are read after): one round trip per field would take minutes for 1,000 sessions.
        fields = [frame(b"L", b"Caliop-Forged-%04d\x00 x\x00" % n) for n in range(998)]
        fields += [frame(b"L", b"Caliop-Privacy\x00 " + b"v" * 1000 + b"\x00")] * 1000
        s.sendall(b"".join(fields))
        if not steps & NR[b"L"]:
            for _ in fields:
                r = read_frame(s)
                assert r[:1] == b"c", r[:40]
    send(s, steps, b"N")
    send(s, steps, b"B", body)
    socks.append(s)
print("open=%d" % len(socks), flush=True)
time.sleep(a.hold)
answered = 0
for s in socks:
    s.sendall(frame(b"E"))
for s in socks:
    while True:
        r = read_frame(s)
        if r[:1] in (b"c", b"a", b"y", b"t", b"r"):
            answered += 1
            break
    s.sendall(frame(b"Q"))
    s.close()
print("answered=%d" % answered, flush=True)
