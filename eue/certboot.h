/*
 * certboot.h: certificate bootstrapping (spec 6.6.5): a TLS session with
 * mutual certificate authentication to the Certificate Bootstrapping
 * Server, and an HTTP GET of the device profile over it, on our loop.
 * This module fetches; eue/devprofile.h parses and stores.  The trigger
 * (SNMP pktcEUECBEnable, or the configuration file after pass /
 * passWithWarnings and before any SIP registration) is the caller's.
 *
 * The TLS policy (6.6.5 bullets; reference/flows-prov15.md):
 *  - offered suites: TLS_RSA_WITH_AES_128_CBC_SHA and
 *    TLS_RSA_WITH_3DES_EDE_CBC_SHA, nothing else.  The 3DES suite is
 *    offered only when the linked OpenSSL still has it: Debian 12's
 *    OpenSSL 3.0 is built without it (`openssl ciphers DES-CBC3-SHA`: "no
 *    cipher match"), so there only AES_128_CBC_SHA goes out;
 *    certboot_suites() says what this build offers;
 *  - never a suite with NULL encryption or NULL integrity (none is
 *    offered, and the negotiated suite is checked again after the
 *    handshake, as is anonymous authentication);
 *  - TLS 1.2 only: the spec states its suite rules in TLS 1.0-1.2 terms
 *    (RFC 2246 / RFC 3268 suites); a TLS 1.3 handshake would pick a
 *    TLS 1.3 suite and bypass them.  TLS 1.0/1.1 are below what the
 *    system OpenSSL allows at its default security level;
 *  - the server's certificate must chain to the operator root(s) of
 *    cfg.ca_file, nothing else (the system trust store is never read),
 *    and carry the name we connected to (cfg.host as DNS name, or the
 *    address as iPAddress SAN) unless cfg.no_name_check;
 *  - our certificate chain (device certificate + manufacturer CA) is
 *    presented; a device certificate that is expired, not yet valid, or
 *    does not match its key is refused before anything is sent;
 *  - no compression, no renegotiation, no session tickets.
 * HTTP: one "GET path HTTP/1.0" with Host and Connection: close (1.0, so
 * the server cannot answer chunked); status 200 only (no redirects);
 * Content-Length honoured when given, otherwise the body ends at the TLS
 * close_notify (a TCP close without it is truncation, an error); the body
 * is bounded by max_size, headers by 8 KB; one total timeout covers
 * connect, handshake, request and response.
 *
 * Why OpenSSL directly and not libcurl (download.c): curl expresses the
 * cipher list, TLS version, CA file and client certificate, but not (a)
 * the device certificate checks before sending, (b) the check of the
 * negotiated suite after the handshake (needs CURLOPT_SSL_CTX_FUNCTION and
 * OpenSSL anyway), nor (c) the distinct errors the caller must report: curl
 * folds "no common cipher", "server refused our certificate" and "server
 * not trusted" into CURLE_SSL_CONNECT_ERROR/CURLE_PEER_FAILED_VERIFICATION
 * with free text.  Here OpenSSL runs over memory BIOs and we move the bytes
 * with send()/recv() on a non-blocking socket (platform/net.h): nothing
 * blocks, and no SIGPIPE can come from a write to a closed socket.
 *
 * Life cycle as pkinit.h: certboot_start() validates the configuration
 * (E_INVAL) and returns; done() runs exactly once per start, from the loop,
 * never from inside certboot_start(); certboot_stop() may be called at any
 * moment, also from done().  Needs OpenSSL (host / armhf; not mips).
 */
#ifndef EUE_CERTBOOT_H
#define EUE_CERTBOOT_H

#include <stddef.h>
#include <stdint.h>

#include "platform/loop.h"
#include "platform/net.h"

struct board_conf;

#define CERTBOOT_PORT_DEFAULT 443
#define CERTBOOT_MAX_SIZE_DEFAULT (64u * 1024u)   /* = DEVPROFILE_MAX_SIZE */
#define CERTBOOT_TIMEOUT_DEFAULT_MS 30000u
#define CERTBOOT_CHAIN_MAX 4
#define CERTBOOT_HOST_MAX 255
#define CERTBOOT_PATH_MAX 1023                    /* pktcEUECBData is 0..1023 octets */

struct certboot_config {
	struct net_addr server;      /* the bootstrapping server; port 0 = 443 */
	const char *host;            /* Host header and the DNS name its certificate
	                              * must carry; NULL: the address (checked as
	                              * an iPAddress SAN) */
	const char *path;            /* "/..." of the profile; NULL = "/" */
	const char *ifname;          /* interface to connect from, or NULL */
	const char *ca_file;         /* PEM: the operator root(s) the server must chain to */
	const char *cert_file;       /* PEM: the device certificate */
	const char *key_file;        /* PEM: its private key */
	const char *chain[CERTBOOT_CHAIN_MAX];  /* PEM files sent along (manufacturer CA) */
	size_t max_size;             /* body bound; 0 = CERTBOOT_MAX_SIZE_DEFAULT */
	uint32_t timeout_ms;         /* the whole exchange; 0 = CERTBOOT_TIMEOUT_DEFAULT_MS */
	int64_t now_unix;            /* the time certificates are checked at (the
	                              * eUE's walltime, seconds); 0 = the system clock */
	int no_name_check;           /* 1: chain to ca_file only, no name match */
};

/*
 * The files from board.conf, as PKINIT uses them (eue/eue_krb.c):
 * cert_device / key_device, cert_manufacturer as the chain, and as
 * ca_file the operator root cert_cb_root (the bootstrapping server's), or
 * cert_kdc_root ("the service provider's root") when cert_cb_root is "".
 * Server, host and path are the caller's (pktcEUECBData).  Clears c first.
 */
void certboot_config_from_board(struct certboot_config *c, const struct board_conf *b);

/*
 * pktcEUECBData (OCTET STRING 0..1023) is "certificate bootstrapping data";
 * its format is not public here.  This product's interpretation: the
 * bootstrapping server's URL, "https://host[:port]/path[?query]", host an
 * FQDN, a dotted IPv4 literal or a bracketed IPv6 literal; no userinfo, no
 * fragment, no white space.  certboot_url_parse() splits it; an FQDN is
 * then resolved by the caller (eue/dns.c, the lease's servers) and the
 * answer put in certboot_config.server with .host = url.host.
 */
struct certboot_url {
	char host[CERTBOOT_HOST_MAX + 1];   /* name, or the literal without brackets */
	int literal;                        /* 1: host is an address, in addr */
	struct net_addr addr;               /* the literal, port set; else zero */
	uint16_t port;                      /* 443 unless given */
	char path[CERTBOOT_PATH_MAX + 1];   /* "/" at least; query kept */
};
/* 0, or E_PROTO / E_RANGE with *why (static; may be NULL) naming the rule. */
int certboot_url_parse(const char *text, size_t len, struct certboot_url *u, const char **why);

enum certboot_reason {
	CB_R_OK = 0,
	CB_R_DEVICE_CERT,      /* our certificate/key unusable: expired, not yet valid,
	                        * unreadable, key mismatch (nothing was sent) */
	CB_R_CONNECT,          /* TCP connect failed / reset */
	CB_R_SERVER_UNTRUSTED, /* the server's certificate does not verify against
	                        * ca_file (wrong CA, expired, wrong name) */
	CB_R_CERT_REJECTED,    /* the server refused our certificate (its alert) */
	CB_R_NO_CIPHER,        /* no common suite / version (the server's alert
	                        * before ServerHello), e.g. a NULL-only server */
	CB_R_WEAK_CIPHER,      /* a NULL-encryption / NULL-integrity / anonymous
	                        * suite was negotiated (never offered: defence) */
	CB_R_TLS,              /* another TLS failure */
	CB_R_HTTP_STATUS,      /* a status other than 200 */
	CB_R_HTTP,             /* a malformed or truncated response */
	CB_R_TOO_LARGE,        /* body over max_size (announced or received) */
	CB_R_TIMEOUT,          /* the total timeout ran out */
	CB_R_NOMEM,
	CB_R__COUNT
};
const char *certboot_reason_str(int reason);   /* "server-untrusted", ... */

struct certboot_result {
	int rc;                   /* 0, or E_*: E_AUTH (DEVICE_CERT, SERVER_UNTRUSTED,
	                           * CERT_REJECTED, NO_CIPHER, WEAK_CIPHER), E_IO
	                           * (CONNECT), E_NOTFOUND (HTTP 404), E_PROTO (other
	                           * statuses, HTTP, TLS), E_OVERFLOW (TOO_LARGE),
	                           * E_TIMEOUT, E_NOMEM */
	int reason;               /* enum certboot_reason */
	char why[256];            /* one sentence for the log / trace; "" on success */
	int http_status;          /* 0 before a status line */
	const char *suite;        /* negotiated suite (OpenSSL name), or NULL */
	const char *tls_version;  /* "TLSv1.2", or NULL */
	const uint8_t *body;      /* on success: the profile (valid during done()) */
	size_t len;
};

struct certboot;
typedef void certboot_done_fn(void *arg, const struct certboot_result *r);

/*
 * Start: check c (E_INVAL, logged with the field), load the credentials
 * and connect.  Returns the handle, or NULL with *err (E_INVAL, E_NOMEM).
 * Everything after the argument checks, including an unusable device
 * certificate and a failed connect, is reported through done().  c's
 * strings are used during the call only.
 */
struct certboot *certboot_start(struct loop *l, const struct certboot_config *c,
				certboot_done_fn *done, void *arg, int *err);
/* Stop and free (socket, timer, TLS state, body).  NULL ok. */
void certboot_stop(struct certboot *cb);

/* The suites this build offers, OpenSSL names joined by ':' (static). */
const char *certboot_suites(void);

#endif
