#!/usr/bin/env bash
# Live milter against replay, on a Postfix + Dovecot LMTP maildir made now (issue 15's "done when").
# A private Postfix (loopback ports only) with caliop's milter on its smtpd listeners delivers every domain through
# a private Dovecot's LMTP (unix socket) into maildirs. A mix of messages is sent with swaks (TLS 1.3, TLS 1.2, no
# TLS, client addresses set with XCLIENT, authenticated submissions, a forged authentication line); the milter logs
# its decision per queue id; then `caliop policy replay --json` judges the maildirs and the two are compared by a
# marker in each Subject. Phase 1 runs the policy in dry-run (everything is delivered, so everything can be
# replayed; the milter logs dry_run=ACTION); phase 2 runs it enforced and compares the milter's disposition
# (encrypted, hold, reject) with what replay of phase 1's copies says enforcing does.
# Needs root, postfix, dovecot-lmtpd, swaks, openssl and the built jars (./caliop builds them).
# Usage: run.sh REPO WORKDIR
set -euo pipefail
repo=$(cd "$1" && pwd)
D=$2
rm -rf "$D"; mkdir -p "$D"; chmod 755 "$D"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
P25=$(free_port); P587=$(free_port); M=$(free_port)

# --- Dovecot: LMTP and auth on unix sockets only, no network listener --------------------------------------------
mkdir -p "$D/dovecot/run" "$D/dovecot/state" "$D/mail"
chown nobody:nogroup "$D/mail"
echo 'alice:{PLAIN}secret' > "$D/dovecot/passwd"
cat > "$D/dovecot/dovecot.conf" <<EOF
base_dir = $D/dovecot/run
state_dir = $D/dovecot/state
log_path = $D/dovecot/dovecot.log
protocols = lmtp
listen = 127.0.0.1
ssl = no
hostname = mail.example.org
mail_location = maildir:$D/mail/%d/%n
first_valid_uid = 1
default_internal_user = dovecot
default_login_user = dovenull
passdb {
  driver = passwd-file
  args = scheme=PLAIN $D/dovecot/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$D/mail/%d/%n allow_all_users=yes
}
service lmtp {
  unix_listener $D/dovecot/lmtp {
    mode = 0666
  }
}
service auth {
  unix_listener $D/dovecot/auth {
    mode = 0666
  }
}
EOF
cleanup() {
  postfix -c "$D/pf/conf" stop 2>/dev/null || true
  dovecot -c "$D/dovecot/dovecot.conf" stop 2>/dev/null || true
  [ -f "$D/milter.pid" ] && kill "$(cat "$D/milter.pid")" 2>/dev/null || true
}
trap cleanup EXIT
dovecot -c "$D/dovecot/dovecot.conf"

# --- the policy: inbound TLS rule, outbound encrypt rule ---------------------------------------------------------
mkdir -p "$D/keys"
cp "$repo/../shared/fixtures/pgp/bob-public.asc" "$D/keys/"
policy() {
  cat > "$D/policy.yaml" <<EOF
version: 1
mode: $1
trust:
  internal_hosts: [mail.example.org]
  local_domains: [example.org]
encryption:
  keys_dir: $D/keys
domains:
  partner.example:
    name: partner-tls
    applies_to: sender
    min_tls_version: TLSv1.2
    inbound:
      action: reject
  example.net:
    name: net-encrypt
    applies_to: recipient
    outbound:
      require_encryption: any
      action: encrypt
EOF
}
policy dry-run

# --- caliop's milter --------------------------------------------------------------------------------------------
cat > "$D/milter.cf" <<EOF
caliop_listen = inet:127.0.0.1:$M
caliop_policy_file = $D/policy.yaml
EOF
start_milter() {
  local seen; seen=$(grep -c "milter listening" "$D/milter.log" 2>/dev/null || true)
  "$repo/caliop" milter --config "$D/milter.cf" >> "$D/milter.log" 2>&1 &
  echo $! > "$D/milter.pid"
  for _ in $(seq 1 120); do
    [ "$(grep -c "milter listening" "$D/milter.log" 2>/dev/null || true)" -gt "${seen:-0}" ] && return; sleep 0.5
  done
  echo "milter did not start" >&2; exit 1
}
stop_milter() { kill "$(cat "$D/milter.pid")"; wait "$(cat "$D/milter.pid")" 2>/dev/null || true; }
start_milter

# --- Postfix ----------------------------------------------------------------------------------------------------
mkdir -p "$D/pf/conf" "$D/pf/queue" "$D/pf/data"; chown postfix "$D/pf/data"
[ -f /etc/postfix/dynamicmaps.cf ] && cp /etc/postfix/dynamicmaps.cf "$D/pf/conf/"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=mail.example.org \
  -keyout "$D/pf/key.pem" -out "$D/pf/cert.pem" 2>/dev/null
chmod 644 "$D/pf/key.pem"
cat > "$D/pf/conf/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $D/pf/queue
data_directory = $D/pf/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mail.example.org
mydomain = example.org
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
virtual_mailbox_domains = example.org partner.example example.net
virtual_transport = lmtp:unix:$D/dovecot/lmtp
smtpd_reject_unlisted_recipient = no
smtpd_authorized_xclient_hosts = 127.0.0.0/8
smtpd_tls_security_level = may
smtpd_tls_cert_file = $D/pf/cert.pem
smtpd_tls_key_file = $D/pf/key.pem
smtpd_tls_received_header = yes
smtpd_sasl_authenticated_header = yes
milter_protocol = 6
milter_default_action = tempfail
maillog_file = $D/pf/maillog
maillog_file_prefixes = $D
EOF
cat > "$D/pf/conf/master.cf" <<EOF
127.0.0.1:$P25 inet n - n - - smtpd -o smtpd_milters=inet:127.0.0.1:$M -o syslog_name=postfix/mx
127.0.0.1:$P587 inet n - n - - smtpd -o smtpd_milters=inet:127.0.0.1:$M -o syslog_name=postfix/submission -o smtpd_sasl_auth_enable=yes -o smtpd_sasl_type=dovecot -o smtpd_sasl_path=$D/dovecot/auth -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
pickup    unix n - n 60 1 pickup
cleanup   unix n - n - 0 cleanup
qmgr      unix n - n 300 1 qmgr
tlsmgr    unix - - n 1000? 1 tlsmgr
rewrite   unix - - n - - trivial-rewrite
bounce    unix - - n - 0 bounce
defer     unix - - n - 0 bounce
trace     unix - - n - 0 bounce
verify    unix - - n - 1 verify
flush     unix n - n 1000? 0 flush
proxymap  unix - - n - - proxymap
smtp      unix - - n - - smtp
relay     unix - - n - - smtp
showq     unix n - n - - showq
error     unix - - n - - error
retry     unix - - n - - error
discard   unix - - n - - discard
lmtp      unix - - n - - lmtp
anvil     unix - - n - 1 anvil
scache    unix - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
postfix -c "$D/pf/conf" start
for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/$P25) 2>/dev/null && break; sleep 0.1; done


# --- the messages -----------------------------------------------------------------------------------------------
# inbound NAME FROM TO TLS(1.3|1.2|none) [extra swaks args...]: from a partner's server, its address set by XCLIENT
inbound() {
  local name=$1 from=$2 to=$3 tls=$4; shift 4
  echo "$name" >> "$D/cases"
  local t=()
  case $tls in
    1.3) t=(--tls) ;;
    1.2) t=(--tls --tls-protocol tlsv1_2) ;;
  esac
  swaks -s 127.0.0.1 -p "$P25" "${t[@]}" --xclient-addr 198.51.100.7 --xclient-name mx.partner.example \
    --xclient-helo mx.partner.example --ehlo mx.partner.example -f "$from" -t "$to" \
    --header "Subject: case=$name" "$@" > "$D/swaks-$name.log" 2>&1 || echo "swaks $name: $(tail -3 "$D/swaks-$name.log")"
}
# submission NAME TO [extra...]: alice, authenticated, from a laptop somewhere, over TLS
submission() {
  local name=$1 to=$2; shift 2
  echo "$name" >> "$D/cases"
  swaks -s 127.0.0.1 -p "$P587" --tls --xclient-addr 203.0.113.20 --xclient-name dyn-20.isp.example \
    --ehlo laptop --auth PLAIN --auth-user alice --auth-password secret -f alice@example.org -t "$to" \
    --header "Subject: case=$name" "$@" > "$D/swaks-$name.log" 2>&1 || echo "swaks $name: $(tail -3 "$D/swaks-$name.log")"
}
send_all() {
  local p=$1
  inbound "$p-in-tls13" alice@partner.example bob@example.org 1.3
  inbound "$p-in-tls12" alice@partner.example bob@example.org 1.2
  inbound "$p-in-clear" alice@partner.example bob@example.org none
  inbound "$p-in-other-clear" someone@elsewhere.example bob@example.org none
  # a partner in clear who writes our host's authenticated-submission line into the message
  inbound "$p-in-forged-auth" alice@partner.example bob@example.org none --add-header \
    "Received: from laptop (dyn-20.isp.example [203.0.113.20]) (Authenticated sender: alice) by mail.example.org (Postfix) with ESMTPSA id 4FORGED for <bob@example.org>; $(date -R)"
  # and one who sends to example.net through us (relaying is refused: not ours to judge)
  submission "$p-out-key" bob@example.net
  submission "$p-out-nokey" nokey@example.net
  submission "$p-out-partner" carol@partner.example
  submission "$p-out-local" bob@example.org
  submission "$p-out-two" bob@example.net,carol@partner.example
  # a Bcc: the envelope has nokey@example.net, the header only bob@example.net
  submission "$p-out-bcc" bob@example.net,nokey@example.net --header "To: bob@example.net"
}
send_all p1
sleep 3; postqueue -c "$D/pf/conf" -f 2>/dev/null || true; sleep 2

# --- phase 2: the same policy enforced -------------------------------------------------------------------------
policy enforce
stop_milter; start_milter
send_all p2
sleep 3

cp "$D/policy.yaml" "$D/policy-enforce.yaml"
policy dry-run
echo "--- postfix: queue"; postqueue -c "$D/pf/conf" -p | tail -3
echo "--- milter decisions"; grep ": caliop: score=" "$D/milter.log" | sed 's/^.*\] //' | cut -c1-260
