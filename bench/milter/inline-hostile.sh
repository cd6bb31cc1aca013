#!/usr/bin/env bash
# How long the engine takes on hostile messages no larger than caliop_inline_judge_size (64 KiB), the ones the milter
# judges on its network thread: 6,000 header fields, 300 Received lines, 400 nested multiparts, 1,500 parts, 2,000
# armor lines. Scores COPIES copies of each with the CLI (one JVM per shape) and prints the wall time per message,
# JVM start-up included (an upper bound). Usage: bench/milter/inline-hostile.sh [COPIES]   (default 300)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -1)"
copies="${1:-300}"
jar="$root/policy/target/caliop-policy-$version-cli.jar"
[ -f "$jar" ] || (cd "$root" && mvn -q -B -ntp -DskipTests -pl policy -am package)
work="$(mktemp -d /tmp/caliop-hostile.XXXXXX)"
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$copies" <<'PY'
import os, sys
work, copies = sys.argv[1], int(sys.argv[2])
received = ("Received: from a%d.example.org (a%d.example.org [192.0.2.%d]) by mx%d.example.net (Postfix) with ESMTPS"
            " id ABC%d (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256) for <x@example.net>;"
            " Fri, 27 Nov 2026 10:00:00 +0000\r\n")
nested = "".join("--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n" % (i, i + 1) for i in range(400))
shapes = {
    "fields": "".join("X-%d: a\r\n" % i for i in range(6000)) + "\r\nbody\r\n",
    "received": "".join(received % (i, i, i % 250, i, i) for i in range(300)) + "From: a@b\r\n\r\nbody\r\n",
    "nested": "From: a@b\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n" + nested
              + "--b400\r\nContent-Type: text/plain\r\n\r\nx\r\n" + "".join("--b%d--\r\n" % i for i in range(400, -1, -1)),
    "parts": "From: a@b\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
             + "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n" * 1500 + "--b--\r\n",
    "armor": "From: a@b\r\n\r\n" + "-----BEGIN PGP MESSAGE-----\r\nx\r\n" * 2000,
}
for name, text in shapes.items():
    data = text.encode()[:65536]
    os.makedirs(os.path.join(work, name))
    for i in range(copies):
        with open(os.path.join(work, name, "%04d.eml" % i), "wb") as f:
            f.write(data)
PY
for shape in fields received nested parts armor; do
  size=$(stat -c %s "$work/$shape/0000.eml")
  t0=$(date +%s.%N)
  java -cp "$jar" org.caliop.cli.Main score "$work/$shape" > /dev/null
  t1=$(date +%s.%N)
  python3 -c "print('%-9s %6d bytes  %.2f ms per message' % ('$shape', $size, ($t1 - $t0) * 1000 / $copies))"
done
