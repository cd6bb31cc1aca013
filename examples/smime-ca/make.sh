#!/bin/sh
# Makes the small certificate authority the sample messages' trust store uses (examples/messages/trust.yaml:
# trust.smime_trust_store), and signs the grade-B sample with a certificate it issued to alice@example.com, so that
# its S/MIME signature is verified and anchored as docs/content-protection.md requires. Run from this directory:
#   sh make.sh
# It writes ca.pem (committed) and ../messages/grade-B-local-authenticated-smime-signed.eml (committed). The private
# keys live in a temporary directory and are thrown away: nobody can sign with this CA again, rerunning makes a new
# one (and a new signature). Needs openssl 1.1 or later.
set -eu
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
DAYS=18262 # 50 years: the sample must keep verifying

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days $DAYS \
  -subj "/O=caliop examples/CN=caliop example CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$TMP/ca.key" -out ca.pem

openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
  -subj "/O=caliop examples/CN=Alice/emailAddress=alice@example.com" \
  -keyout "$TMP/alice.key" -out "$TMP/alice.csr"
cat > "$TMP/alice.ext" <<'EXT'
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,nonRepudiation
extendedKeyUsage=emailProtection
subjectAltName=email:alice@example.com
EXT
openssl x509 -req -in "$TMP/alice.csr" -CA ca.pem -CAkey "$TMP/ca.key" -CAcreateserial -CAserial "$TMP/ca.srl" -sha256 -days $DAYS \
  -extfile "$TMP/alice.ext" -out "$TMP/alice.crt"

# The part Alice signs: the same text as the NSS fixture this sample started from.
printf 'Content-Type: text/plain; charset=utf-8; format=flowed\r\nContent-Transfer-Encoding: 7bit\r\nContent-Language: en-US\r\n\r\nThis is a test message from Alice to Bob.\r\n' > "$TMP/part.mime"
openssl cms -sign -md sha256 -signer "$TMP/alice.crt" -inkey "$TMP/alice.key" -crlfeol \
  -in "$TMP/part.mime" -out "$TMP/signed.mime"

OUT=../messages/grade-B-local-authenticated-smime-signed.eml
{
  printf 'Return-Path: <alice@example.com>\r\n'
  printf 'Delivered-To: bob@example.com\r\n'
  printf 'Received: from mail.example.org\r\n'
  printf '\tby mail.example.org with LMTP\r\n'
  printf '\tid mFmqEFJfQ2bXHAAAaQ2hzw\r\n'
  printf '\t(envelope-from <alice@example.com>)\r\n'
  printf '\tfor <bob@example.com>; Tue, 14 May 2024 10:21:07 +0200\r\n'
  printf 'Received: from [127.0.0.1] (localhost [127.0.0.1])\r\n'
  printf '\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\r\n'
  printf '\t key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256)\r\n'
  printf '\t(No client certificate requested)\r\n'
  printf '\t(Authenticated sender: alice)\r\n'
  printf '\tby mail.example.org (Postfix) with ESMTPSA id 4F1A2B3C4D\r\n'
  printf '\tfor <bob@example.com>; Tue, 14 May 2024 10:21:06 +0200 (CEST)\r\n'
  printf 'Date: Tue, 14 May 2024 10:21:05 +0200\r\n'
  printf 'From: Alice <alice@example.com>\r\n'
  printf 'To: Bob <bob@example.com>\r\n'
  printf 'Subject: S/MIME signed by a certificate of the example CA\r\n'
  printf 'Message-ID: <grade-b-smime-signed@example.com>\r\n'
  cat "$TMP/signed.mime"
} > "$OUT"
openssl cms -verify -CAfile ca.pem -in "$OUT" -out /dev/null
