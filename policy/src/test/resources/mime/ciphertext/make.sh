#!/bin/sh
# Makes the real ciphertext the content-protection tests wrap in crafted messages (ContentProtectionTest,
# LabelWithoutCiphertextTest): run from this directory, with gpg and openssl on the PATH.
#   sh make.sh
# Keys: the Delta Chat test key of alice (../../../../../../../shared/fixtures/pgp) and the NSS test certificate of
# Alice (../../../../../../../shared/fixtures/smime/Alice.p12, password nss). The outputs are committed; rerunning
# makes new, equally valid ciphertext.
set -eu
FIXTURES=../../../../../../../shared/fixtures
TMP=$(mktemp -d)
trap 'gpgconf --homedir "$TMP/gnupg" --kill all 2>/dev/null || true; rm -rf "$TMP"' EXIT
mkdir -m 700 "$TMP/gnupg"
GPG="gpg --yes --homedir $TMP/gnupg --batch --quiet --trust-model always"
$GPG --import "$FIXTURES/pgp/alice-public.asc" 2>/dev/null
printf 'The meeting moves to Thursday.\n' > "$TMP/clear.txt"
# PKESK (to alice) + SEIPD, armored and binary
$GPG --armor --recipient alice@example.org --output pgp-to-alice.asc --encrypt "$TMP/clear.txt"
$GPG --recipient alice@example.org --output pgp-to-alice.gpg --encrypt "$TMP/clear.txt"
# SKESK + SEIPD (a passphrase)
$GPG --armor --passphrase caliop --pinentry-mode loopback --symmetric --output pgp-symmetric.asc "$TMP/clear.txt"
# CMS enveloped-data to Alice's certificate, base64 as it sits in an smime.p7m part
openssl pkcs12 -legacy -in "$FIXTURES/smime/Alice.p12" -passin pass:nss -nokeys -clcerts -out "$TMP/alice.crt"
printf 'Content-Type: text/plain\r\n\r\nThe meeting moves to Thursday.\r\n' > "$TMP/clear.mime"
openssl cms -encrypt -aes256 -binary -in "$TMP/clear.mime" -outform DER -out "$TMP/env.der" "$TMP/alice.crt"
openssl base64 -in "$TMP/env.der" -out smime-enveloped.b64
# A certs-only CMS (signed-data without content or signers): Alice's certificate, as an smime.p7c part
openssl crl2pkcs7 -nocrl -certfile "$TMP/alice.crt" -outform DER -out "$TMP/certs.der"
openssl base64 -in "$TMP/certs.der" -out smime-certs-only.b64
# A literal data packet only (gpg --store, no compression): readable OpenPGP, no ciphertext
$GPG --armor --compress-algo none --store --output pgp-literal.asc "$TMP/clear.txt"
# Opaque CMS signed-data (signed by Alice) around a clear multipart: no ciphertext, whatever smime-type says
openssl pkcs12 -legacy -in "$FIXTURES/smime/Alice.p12" -passin pass:nss -nocerts -nodes -out "$TMP/alice.key"
printf 'Content-Type: multipart/mixed; boundary="in"\r\n\r\n--in\r\nContent-Type: text/plain\r\n\r\nThe meeting moves to Thursday.\r\n--in--\r\n' > "$TMP/clear-multipart.mime"
openssl cms -sign -nodetach -binary -md sha256 -in "$TMP/clear-multipart.mime" -signer "$TMP/alice.crt" \
  -inkey "$TMP/alice.key" -outform DER -out "$TMP/signed.der"
openssl base64 -in "$TMP/signed.der" -out smime-signed-clear-multipart.b64
# A detached signature (gpg --detach-sign --armor by alice): real OpenPGP, no ciphertext
$GPG --import "$FIXTURES/pgp/alice-secret.asc" 2>/dev/null
$GPG --armor --local-user alice@example.org --output pgp-detached-signature.asc --detach-sign "$TMP/clear.txt"
# CMS id-data (clear content in a ContentInfo)
openssl cms -data_create -binary -in "$TMP/clear.mime" -outform DER -out "$TMP/data.der"
openssl base64 -in "$TMP/data.der" -out smime-data.b64
# CMS authEnveloped-data (AES-256-GCM) to Alice, and enveloped-data streamed as BER (indefinite lengths, the
# encrypted content in constructed chunks): the framing tests walk both to their end
openssl cms -encrypt -aes-256-gcm -binary -in "$TMP/clear.mime" -outform DER -out "$TMP/auth.der" "$TMP/alice.crt"
openssl base64 -in "$TMP/auth.der" -out smime-authenveloped.b64
openssl cms -encrypt -aes256 -binary -stream -in "$TMP/clear.mime" -outform DER -out "$TMP/stream.der" "$TMP/alice.crt"
openssl base64 -in "$TMP/stream.der" -out smime-enveloped-ber.b64
