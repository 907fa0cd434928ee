/*
 * tktcache.h: the provisioning server's ticket as the eUE keeps it in nvram
 * (Table 5 note 3), and the rules that say whether it may be used.  Pure:
 * no I/O, no clock, no krb5 (the credentials are an opaque blob that
 * pkinit_ticket_export() made), so the rules are unit-tested with any time
 * and the record decoder is fuzzed.
 *
 * The record (big-endian), one nvram key:
 *
 *   "TKC1" | i64 start | i64 end (Unix s) | u16 n client | u16 n server
 *          | u32 n creds | client | server | creds
 *
 * Rules (tkt_check), in this order:
 *  - Table 5 note 3: only a ticket for the provisioning server the lease
 *    names now ("mtaprovsrvr/<122.3 FQDN>@<122.6 realm>", realm included)
 *    and for this eUE's own client principal (its FQDN or address may have
 *    changed) is "a valid provisioning application server ticket";
 *  - RFC 4682 pktcMtaDevRealmPkinitGracePeriod: PKINIT starts again at the
 *    ticket's end minus the grace period, so a ticket inside its grace period
 *    is not used (it would expire during or soon after key management);
 *  - a ticket whose start is more than TKT_SKEW_S ahead of the eUE's clock
 *    (the clock went back: 6.3.2.3 invalidates those anyway; or a KDC whose
 *    clock is ahead) is not used.  Within TKT_SKEW_S it is: the server's
 *    libkrb5 refuses a ticket as "not yet valid" (KRB_AP_ERR_TKT_NYV) only
 *    when it starts more than its clock skew ahead (RFC 4120 1.6; MIT
 *    clockskew, 300 s), and the eCM's time of day (RFC 868, whole seconds,
 *    truncated) is up to 1 s behind the KDC that issued a ticket a moment
 *    ago: without the tolerance a ticket saved just before a reset was
 *    refused on the next boot.
 * The invalidations (122.9 / CCCv6.9 bit 0x0001, a ToD change of the eCM,
 * a key-management failure with the cached ticket) delete the record: the
 * glue (eue/eue_tkt.c) does that, not this file.
 */
#ifndef KERBEROS_TKTCACHE_H
#define KERBEROS_TKTCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "kerberos/principal.h"

#define TKT_NVRAM_KEY "eue.ticket.prov"
#define TKT_CREDS_MAX 8192           /* a marshalled PKINIT service ticket is ~1 KB */
#define TKT_HEAD_LEN (4 + 8 + 8 + 2 + 2 + 4)
#define TKT_RECORD_MAX (TKT_HEAD_LEN + 2 * PRINC_TEXT_MAX + TKT_CREDS_MAX)
#define TKT_GRACE_DEFAULT_S (15 * 60)   /* RFC 4682 PkinitGracePeriod DEFVAL: 15 min */
#define TKT_SKEW_S 300                  /* RFC 4120's usual clock skew; MIT's clockskew default */

struct tkt_rec {
	int64_t start, end;                 /* Unix seconds */
	char client[PRINC_TEXT_MAX];
	char server[PRINC_TEXT_MAX];
	const uint8_t *creds;               /* points into the buffer given to tkt_decode */
	size_t creds_len;
};

/* Encode r into out (cap bytes); *len gets the size.  E_INVAL for a name
 * or blob over its limit or a time outside 0 .. 2^32 - 1 (Kerberos times),
 * E_OVERFLOW when cap is too small. */
int tkt_encode(const struct tkt_rec *r, uint8_t *out, size_t cap, size_t *len);
/* Decode a record; r->creds points into buf.  E_SHORT, E_VERSION (magic),
 * E_PROTO (empty or non-text names, end before start, empty creds), E_RANGE
 * (a length over its limit, a time outside 0 .. 2^32 - 1), E_TRAILING. */
int tkt_decode(struct tkt_rec *r, const uint8_t *buf, size_t len);

enum tkt_verdict {
	TKT_USABLE = 0,
	TKT_OTHER_SERVER,       /* not the server (and realm) the lease names now */
	TKT_OTHER_CLIENT,       /* issued to another principal of this eUE */
	TKT_EXPIRING,           /* past its end minus the grace period */
	TKT_NOT_YET,            /* starts more than TKT_SKEW_S in the future */
	TKT__COUNT
};

/* May the cached ticket r be used at now (Unix s) by client for server? */
enum tkt_verdict tkt_check(const struct tkt_rec *r, int64_t now, uint32_t grace_s,
			   const char *client, const char *server);
const char *tkt_verdict_str(enum tkt_verdict v);

#endif
