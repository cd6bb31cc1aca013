#!/usr/bin/env python3
"""Opens N concurrent milter sessions straight to a milter daemon and leaves each one mid-message (negotiated,
connected, MAIL, RCPT, headers, a 10 KB body chunk sent), like an MTA with N messages in DATA. Prints when all are
open, waits --hold seconds (measure the daemon's RSS then), then ends every message and counts the answers."""
import argparse, socket, struct, time

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--sessions", type=int, default=1000)
ap.add_argument("--hold", type=float, default=5)
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

def expect_continue(s):
    r = read_frame(s)
    assert r[:1] == b"c", r[:40]

body = (b"0123456789" * 7 + b"\r\n") * 140
socks = []
for i in range(a.sessions):
    s = socket.create_connection(("127.0.0.1", a.port))
    s.sendall(frame(b"O", struct.pack(">III", 6, 0x1FF, 0x1FFFFF)))
    read_frame(s)
    s.sendall(frame(b"D", b"C{client_addr}\x00192.0.2.%d\x00j\x00mx.bench.test\x00" % (i % 250)))
    s.sendall(frame(b"C", b"client.bench.test\x004" + struct.pack(">H", 25) + b"192.0.2.1\x00"))
    expect_continue(s)
    s.sendall(frame(b"H", b"client.bench.test\x00"))
    expect_continue(s)
    s.sendall(frame(b"D", b"Mi\x00Q%08X\x00" % i))
    s.sendall(frame(b"M", b"<sender@x.test>\x00"))
    expect_continue(s)
    s.sendall(frame(b"R", b"<rcpt@y.test>\x00"))
    expect_continue(s)
    s.sendall(frame(b"T"))
    expect_continue(s)
    for name, value in ((b"From", b" <sender@x.test>"), (b"To", b" <rcpt@y.test>"), (b"Subject", b" hold %d" % i)):
        s.sendall(frame(b"L", name + b"\x00" + value + b"\x00"))
        expect_continue(s)
    s.sendall(frame(b"N"))
    expect_continue(s)
    s.sendall(frame(b"B", body))
    expect_continue(s)
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
