/*
 * The floor for a content milter: what Postfix spends talking to a milter that asks for what caliop asks for (the
 * same events, the same macros, no reply until end of message) and stamps two header fields, but does no work of
 * its own. bench/milter/run.sh runs it as mode "floor" (unix socket) when libmilter-dev is installed, so the
 * distance between bare Postfix and caliop splits into what any such milter costs and what caliop adds.
 *
 * Build: cc -O2 -o floor floor.c -lmilter -lpthread      Run: ./floor unix:/path/to/socket
 * With -DFLOOR_CONTENT_ONLY it asks for the least any content milter needs (headers, body, end of message).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmilter/mfapi.h>

static sfsistat negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2, unsigned long f3,
                          unsigned long *pf0, unsigned long *pf1, unsigned long *pf2, unsigned long *pf3) {
  (void) f2; (void) f3;
  *pf0 = f0 & (SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_CHGBODY | SMFIF_ADDRCPT | SMFIF_DELRCPT | SMFIF_QUARANTINE
               | SMFIF_SETSYMLIST);
#ifdef FLOOR_CONTENT_ONLY
  /* The least a content milter can ask for: headers, body and end of message; no other event, one macro. */
  *pf1 = f1 & (SMFIP_NOUNKNOWN | SMFIP_NOCONNECT | SMFIP_NOHELO | SMFIP_NOMAIL | SMFIP_NORCPT | SMFIP_NODATA
               | SMFIP_NR_HDR | SMFIP_NR_EOH | SMFIP_NR_BODY | SMFIP_HDR_LEADSPC);
  *pf2 = 0;
  *pf3 = 0;
  smfi_setsymlist(ctx, SMFIM_EOM, "i");
  return SMFIS_CONTINUE;
#endif
  /* caliop's steps on a unix socket: every event, no reply but at end of message. */
  *pf1 = f1 & (SMFIP_NOUNKNOWN | SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_MAIL | SMFIP_NR_RCPT | SMFIP_NR_DATA
               | SMFIP_NR_HDR | SMFIP_NR_EOH | SMFIP_NR_BODY | SMFIP_HDR_LEADSPC);
  *pf2 = 0;
  *pf3 = 0;
  smfi_setsymlist(ctx, SMFIM_CONNECT, "j {daemon_name} {daemon_addr} {daemon_port} {client_addr} {client_name} {client_ptr} _ v");
  smfi_setsymlist(ctx, SMFIM_HELO, "{tls_version} {cipher} {cipher_bits} {cert_subject} {cert_issuer}");
  smfi_setsymlist(ctx, SMFIM_ENVFROM, "i {auth_type} {auth_authen} {auth_author} {mail_addr}");
  smfi_setsymlist(ctx, SMFIM_ENVRCPT, "{rcpt_addr}");
  smfi_setsymlist(ctx, SMFIM_DATA, "i");
  smfi_setsymlist(ctx, SMFIM_EOM, "i");
  return SMFIS_CONTINUE;
}

static sfsistat no_reply_connect(SMFICTX *c, char *h, _SOCK_ADDR *a) { (void) c; (void) h; (void) a; return SMFIS_NOREPLY; }
static sfsistat no_reply_helo(SMFICTX *c, char *h) { (void) c; (void) h; return SMFIS_NOREPLY; }
static sfsistat no_reply_env(SMFICTX *c, char **v) { (void) c; (void) v; return SMFIS_NOREPLY; }
static sfsistat no_reply(SMFICTX *c) { (void) c; return SMFIS_NOREPLY; }
static sfsistat no_reply_header(SMFICTX *c, char *n, char *v) { (void) c; (void) n; (void) v; return SMFIS_NOREPLY; }
static sfsistat no_reply_body(SMFICTX *c, unsigned char *b, size_t n) { (void) c; (void) b; (void) n; return SMFIS_NOREPLY; }

static sfsistat eom(SMFICTX *ctx) {
  /* Two fields the size of caliop's, at the top, as caliop inserts them. */
  smfi_insheader(ctx, 0, "Caliop-Hop",
                 " from=\"localhost\"; ip=\"127.0.0.1\"; by=\"mx.bench.test\"; tls=?0; trust=firsthand");
  smfi_insheader(ctx, 0, "Caliop-Privacy",
                 " v=1; score=40; grade=C; reasons=(\"hop-plain-firsthand\" \"no-e2e\"); policy=\"accept\"");
  return SMFIS_CONTINUE;
}

int main(int argc, char **argv) {
  struct smfiDesc desc;
  if (argc != 2) {
    fprintf(stderr, "usage: %s unix:/path | inet:port@host\n", argv[0]);
    return 2;
  }
  memset(&desc, 0, sizeof desc);
  desc.xxfi_name = "caliop-floor";
  desc.xxfi_version = SMFI_VERSION;
  desc.xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS;
  desc.xxfi_connect = no_reply_connect;
  desc.xxfi_helo = no_reply_helo;
  desc.xxfi_envfrom = no_reply_env;
  desc.xxfi_envrcpt = no_reply_env;
  desc.xxfi_data = no_reply;
  desc.xxfi_header = no_reply_header;
  desc.xxfi_eoh = no_reply;
  desc.xxfi_body = no_reply_body;
  desc.xxfi_eom = eom;
  desc.xxfi_negotiate = negotiate;
  if (smfi_setconn(argv[1]) == MI_FAILURE || smfi_register(desc) == MI_FAILURE) {
    fprintf(stderr, "cannot set up %s\n", argv[1]);
    return 1;
  }
  return smfi_main() == MI_SUCCESS ? 0 : 1;
}
