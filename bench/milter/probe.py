#!/usr/bin/env python3
"""A milter's own latency, without an MTA: one connection per message, as Postfix opens them. Times the negotiation
round trip, then sends every event up to DATA in one write and the headers, a 10 KB body and end of message in
another (as Postfix batches them when no answer is due) and times the end-of-message answer. Prints the p50 and p90
of both waits in microseconds, leaving out the first fifth of the messages (warm-up).

Usage: probe.py --unix SOCKET | --port PORT [--messages N]     (bench/milter/probe.sh runs caliop and the floor)"""
import argparse, socket, struct, time
ap = argparse.ArgumentParser()
ap.add_argument("--unix"); ap.add_argument("--port", type=int)
ap.add_argument("--messages", type=int, default=2000)
a = ap.parse_args()
def frame(cmd, payload=b""): return struct.pack(">I", len(payload) + 1) + cmd + payload
def read_frame(s):
    head = b""
    while len(head) < 4:
        c = s.recv(4 - len(head))
        if not c: raise EOFError
        head += c
    n = struct.unpack(">I", head)[0]; data = b""
    while len(data) < n:
        c = s.recv(n - len(data))
        if not c: raise EOFError
        data += c
    return data
body = (b"0123456789" * 7 + b"\r\n") * 140
first = (frame(b"D", b"Cj\x00mx.bench.test\x00{client_addr}\x00127.0.0.1\x00{client_name}\x00localhost\x00") +
         frame(b"C", b"localhost\x004" + struct.pack(">H", 25) + b"127.0.0.1\x00") +
         frame(b"D", b"H{tls_version}\x00\x00") + frame(b"H", b"localhost\x00") +
         frame(b"D", b"Mi\x00ABC123\x00") + frame(b"M", b"<sender@x.test>\x00") +
         frame(b"D", b"R{rcpt_addr}\x00rcpt@y.test\x00") + frame(b"R", b"<rcpt@y.test>\x00") +
         frame(b"D", b"Ti\x00ABC123\x00") + frame(b"T"))
hdrs = [(b"Received", b" from localhost (localhost [127.0.0.1])\r\n\tby mx.bench.test (Postfix) with ESMTP id ABC123\r\n\tfor <rcpt@y.test>; Fri, 27 Nov 2026 10:00:00 +0000 (UTC)"),
        (b"From", b" <sender@x.test>"), (b"To", b" <rcpt@y.test>"), (b"Date", b" Fri, 27 Nov 2026 10:00:00 +0000"),
        (b"Message-Id", b" <20261127100000.ABC123@mx.bench.test>")]
second = b"".join(frame(b"L", n + b"\x00" + v + b"\x00") for n, v in hdrs) + frame(b"N") + frame(b"B", body) + \
         frame(b"D", b"Ei\x00ABC123\x00") + frame(b"E")
opt, eom = [], []
for i in range(a.messages):
    t0 = time.perf_counter()
    if a.unix:
        s = socket.socket(socket.AF_UNIX); s.connect(a.unix)
    else:
        s = socket.create_connection(("127.0.0.1", a.port)); s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall(frame(b"O", struct.pack(">III", 6, 0x1FF, 0x1FFFFF)))
    read_frame(s)
    t1 = time.perf_counter()
    s.sendall(first)
    s.sendall(second)
    t2 = time.perf_counter()
    while True:
        r = read_frame(s)
        if r[:1] in (b"c", b"a", b"r", b"t", b"y", b"d"):
            break
    t3 = time.perf_counter()
    s.sendall(frame(b"Q")); s.close()
    opt.append((t1 - t0) * 1e6); eom.append((t3 - t2) * 1e6)
def pct(v, p): v = sorted(v[len(v) // 5:]); return v[int(len(v) * p)]
print("connect+optneg us: p50=%.0f p90=%.0f   eom answer us: p50=%.0f p90=%.0f" % (pct(opt, .5), pct(opt, .9), pct(eom, .5), pct(eom, .9)))
