#!/usr/bin/env python3
"""Per-message SMTP latency against a Postfix smtpd: each message on its own connection (connect to the end-of-DATA
reply, QUIT not counted), from N concurrent sessions. Prints: messages, seconds, msgs/s, p50 ms, p99 ms."""
import argparse, smtplib, socket, threading, time

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--sessions", type=int, default=1)
ap.add_argument("--messages", type=int, default=500)
ap.add_argument("--size", type=int, default=10240)
a = ap.parse_args()

line = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdef\r\n"
body = line * max(1, a.size // len(line))
lock = threading.Lock()
latencies, errors = [], []
counter = iter(range(a.messages))

def worker():
    while True:
        with lock:
            i = next(counter, None)
        if i is None:
            return
        msg = (b"From: <sender@x.test>\r\nTo: <rcpt@y.test>\r\nSubject: bench %d\r\nMessage-ID: <bench-%d-%f@x.test>\r\n\r\n"
               % (i, i, time.time())) + body
        t0 = time.perf_counter()
        try:
            s = smtplib.SMTP("127.0.0.1", a.port, local_hostname="client.bench.test", timeout=60)
            s.ehlo()
            s.sendmail("sender@x.test", ["rcpt@y.test"], msg)
            t1 = time.perf_counter()
            s.quit()
            with lock:
                latencies.append(t1 - t0)
        except (smtplib.SMTPException, socket.error) as e:
            with lock:
                errors.append(str(e))

start = time.perf_counter()
threads = [threading.Thread(target=worker) for _ in range(a.sessions)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - start
latencies.sort()
def pct(p):
    return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")
print("messages=%d errors=%d seconds=%.2f msgs_per_s=%.1f p50_ms=%.2f p99_ms=%.2f"
      % (len(latencies), len(errors), elapsed, len(latencies) / elapsed, pct(0.50), pct(0.99)))
if errors:
    print("first error:", errors[0])
