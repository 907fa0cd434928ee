/*
 * pkinit.h: eUE-9 .. eUE-12 (MTA9 .. MTA12) as a non-blocking module: the
 * PKINIT AS exchange with the device certificate and, when 122.7 / CCCv6.7
 * asks for a TGT, the TGS exchange for the provisioning server's ticket.
 *
 * MIT libkrb5 builds and checks every message; this module owns the wire.
 * krb5_init_creds_step() / krb5_tkt_creds_step() hand out each request, we
 * send it over UDP (platform/net.h, one socket on the loop) to the KDC
 * address eUE-5 .. eUE-8 found, retransmit it per the 122.4 schedule, and
 * feed the reply back.  libkrb5 never opens a socket (the profile names no
 * KDC and forbids DNS lookups, so a stray krb5_sendto() would fail, not
 * send) and never reads /etc/krb5.conf or KRB5_CONFIG: the context is made
 * with krb5_init_context_profile(KRB5_INIT_CONTEXT_SECURE) from a profile
 * file this module writes under cfg->state_dir (see pkinit.c for why a file).
 *
 * The 122.4 / CCCv6.4 schedule (RFC 4682 pktcMtaDevRealmUnsolicitedKey*;
 * reference/security-keymgmt.md section 7): a request is sent, then resent
 * after waits of nominal, 2*nominal, 4*nominal ... each capped at the
 * maximum, no jitter; "retries" counts the RE-transmissions, so a request
 * goes out at most 1 + retries times and the exchange fails "timeout" when
 * the wait after the last one runs out.  E.g. nominal 3 s, max 20 s,
 * 5 retries: sends at 0, 3, 9, 21, 41, 61 s, failure at 81 s.  Each request
 * of the exchange (the first AS-REQ, the PKINIT AS-REQ after
 * PREAUTH_REQUIRED, the TGS-REQ) starts its own schedule.  Implemented with
 * platform/retx (irt = nominal, mrt = max, mrc = 1 + retries, no jitter).
 *
 * Not built: Kerberos over TCP.  A KDC that answers KRB_ERR_RESPONSE_TOO_BIG
 * ends the exchange with PKINIT_R_TOO_BIG (the lab's MIT 1.20 KDC never
 * sent it: the 3.8 KB PKINIT AS-REQ and 2.6 KB AS-REP go as fragmented UDP
 * datagrams, lab-kprobe-*.scn).  TCP needs a net_tcp_send() in platform/net.h
 * and the 4-byte length framing of RFC 4120 7.2.2.  Cross-realm referrals are refused
 * (PKINIT_R_REALM): we know one KDC.
 *
 * Life cycle: pkinit_start() validates the configuration (a bad one is
 * reported by its return value, the callback is not called), sends the first
 * AS-REQ and returns.  The callback runs exactly once per start, from the
 * loop, never from pkinit_start().  pkinit_stop() may be called at any
 * moment, also from the callback; it frees everything.  The ticket the
 * callback sees stays valid until pkinit_stop() or the next pkinit_start().
 *
 * Needs libkrb5 (host / armhf boards); not built for mips.
 */
#ifndef KERBEROS_PKINIT_H
#define KERBEROS_PKINIT_H

#include <stddef.h>
#include <stdint.h>

#include "platform/loop.h"
#include "platform/net.h"
#include "platform/retx.h"

struct cl_backoff;
struct _krb5_context;
struct _krb5_creds;

#define PKINIT_CHAIN_MAX 4      /* intermediate CA files (manufacturer CA) */
#define PKINIT_ANCHORS_MAX 4    /* trust anchor files */
#define PKINIT_KDC_PORT 88

/* The schedule in milliseconds (see above). */
struct pkinit_backoff {
	uint32_t nominal_ms;    /* first wait, 1 .. 600000 */
	uint32_t max_ms;        /* cap of a wait; 0 = no cap */
	uint32_t retries;       /* retransmissions, 0 .. 1024 */
};

/* 122.4 / CCCv6.4 as received (nominal in ms, maximum in SECONDS, retries:
 * RFC 4682 units) -> the schedule.  E_RANGE when nominal is 0. */
int pkinit_backoff_from_cl(const struct cl_backoff *b, struct pkinit_backoff *out);
/* The retx table row of a schedule (pure; the unit tests drive it). */
void pkinit_retx_param(const struct pkinit_backoff *b, struct retx_param *p);

struct pkinit_config {
	const char *client;       /* client principal text, e.g. from princ_client() */
	const char *service;      /* "mtaprovsrvr/<fqdn>@REALM" (princ_provsrv()) */
	const char *realm;        /* upper-case; the realm of both principals */
	struct net_addr kdc;      /* from eUE-8; port 0 = 88 */
	const char *ifname;       /* interface to send from (NULL: routing decides) */
	const char *cert;         /* device certificate, PEM file */
	const char *key;          /* its private key, PEM file */
	const char *chain[PKINIT_CHAIN_MAX];     /* intermediates sent along (mfg CA) */
	const char *anchors[PKINIT_ANCHORS_MAX]; /* trusted roots: the KDC's (service
	                                          * provider root), and the device root
	                                          * (MIT checks its own chain too) */
	const char *kdc_hostname; /* pkinit_kdc_hostname (KDC cert's DNS SAN); may be NULL */
	const char *state_dir;    /* writable dir for the generated krb5 profile */
	struct pkinit_backoff backoff;  /* 122.4 */
	int tgt;                  /* 122.7: 1 = TGT by AS, then the ticket by TGS */
};

/* Why an exchange failed; pkinit_reason_str() names them ("timeout", ...). */
enum pkinit_reason {
	PKINIT_R_OK = 0,
	PKINIT_R_TIMEOUT,        /* no reply after 1 + retries transmissions */
	PKINIT_R_KDC_ERROR,      /* the KDC answered KRB-ERROR (kdc_error, text) */
	PKINIT_R_CERT_REJECTED,  /* KRB-ERROR about our certificate / PKINIT (24, 62..81) */
	PKINIT_R_KDC_UNTRUSTED,  /* the KDC's reply did not verify against our anchors */
	PKINIT_R_IDENTITY,       /* our certificate / key could not be used */
	PKINIT_R_TOO_BIG,        /* RESPONSE_TOO_BIG: TCP needed, not built */
	PKINIT_R_REALM,          /* libkrb5 wanted another realm's KDC */
	PKINIT_R_NETWORK,        /* socket error */
	PKINIT_R_KRB5,           /* another libkrb5 failure (text says which) */
	PKINIT_R__COUNT
};
const char *pkinit_reason_str(int reason);

struct pkinit_result {
	int reason;              /* enum pkinit_reason; PKINIT_R_OK = success */
	const char *step;        /* the spec step that failed or last ran: "eUE-9" .. "eUE-12" */
	int32_t krb5_code;       /* libkrb5's error code (0 on success) */
	int kdc_error;           /* the KDC's error-code (RFC 4120 7.5.9), -1 if none */
	char text[256];          /* libkrb5's / the KDC's message, "" on success */
	unsigned as_sent;        /* AS-REQ transmissions (all requests, with retries) */
	unsigned tgs_sent;       /* TGS-REQ transmissions */
	const struct pkinit_ticket *ticket;  /* on success: the service ticket */
};

struct pkinit;
typedef void pkinit_done_fn(struct pkinit *p, const struct pkinit_result *r, void *arg);

/* Allocation of the opaque instance (fleet mode holds many). */
struct pkinit *pkinit_new(void);
void pkinit_free(struct pkinit *p);    /* pkinit_stop() + free; NULL ok */

/*
 * Validate c, make the krb5 context and send the first AS-REQ.  Returns 0,
 * E_INVAL (a bad configuration: logged with its field), E_STATE (running),
 * E_IO (no socket / no profile file), E_NOMEM.  c's strings are copied.
 */
int pkinit_start(struct pkinit *p, struct loop *l, const struct pkinit_config *c,
		 pkinit_done_fn *cb, void *arg);
/* Cancel and free everything (socket, timer, krb5 state, the ticket). */
void pkinit_stop(struct pkinit *p);
/* 1 while an exchange runs. */
int pkinit_running(const struct pkinit *p);
/* Check a configuration without starting (the checks of pkinit_start()).
 * Returns 0 or E_INVAL; *field names the offending field. */
int pkinit_config_check(const struct pkinit_config *c, const char **field);

/* The service ticket (valid until pkinit_stop() / the next start). */
struct pkinit_ticket;
int32_t pkinit_ticket_enctype(const struct pkinit_ticket *t);
const uint8_t *pkinit_ticket_key(const struct pkinit_ticket *t, size_t *len);
const uint8_t *pkinit_ticket_der(const struct pkinit_ticket *t, size_t *len);
int64_t pkinit_ticket_endtime(const struct pkinit_ticket *t);   /* Unix seconds */
const char *pkinit_ticket_client(const struct pkinit_ticket *t);
const char *pkinit_ticket_server(const struct pkinit_ticket *t);
/* For libkrb5 calls (AP-REQ): the creds and the context they came from. */
const struct _krb5_creds *pkinit_ticket_creds(const struct pkinit_ticket *t);
struct _krb5_context *pkinit_ticket_context(const struct pkinit_ticket *t);
int64_t pkinit_ticket_starttime(const struct pkinit_ticket *t);  /* Unix seconds */
/* Forget the KDC's clock that libkrb5 took in ctx during an AS exchange
 * (MIT kdc_timesync: the offset from the KDC's PREAUTH_REQUIRED error and its
 * AS-REP), so that ctx dates what it builds next, the AP Request to the
 * provisioning server, by the eUE's own clock, as an imported (cached) ticket's
 * context does.  Done to every ticket an exchange hands out: with a KDC 10
 * minutes behind, the server refused that AP Request (KRB_AP_ERR_SKEW) and the
 * same ticket from nvram one pass later.  0 or E_*. */
int pkinit_ctx_own_clock(struct _krb5_context *ctx);

/* The ticket across resets (Table 5 note 3; kerberos/tktcache.h keeps the
 * record): libkrb5's serialisation of the creds into out (cap bytes, *len
 * its size; E_OVERFLOW, E_NOMEM), and back: a ticket that owns its own
 * krb5 context (E_PROTO for bytes libkrb5 refuses or creds without client,
 * server, ticket or key).  pkinit_ticket_free() frees an imported ticket and
 * ignores a PKINIT instance's (that one goes with pkinit_stop()). */
int pkinit_ticket_export(const struct pkinit_ticket *t, uint8_t *out, size_t cap, size_t *len);
int pkinit_ticket_import(struct pkinit_ticket **out, const uint8_t *buf, size_t len);
void pkinit_ticket_free(struct pkinit_ticket *t);

#endif
