/*
 * pktc_km.h: PacketCable Kerberized key-management messages (UDP 1293)
 * between the eUE and the provisioning server (eUE-13/14): Wake Up, AP
 * Request, AP Reply, Security Parameter Recovered, Rekey, Error Reply.
 * Pure codec: no I/O, no crypto, no krb5, no policy.  The HMAC is computed
 * and checked by kerberos/km_keys.c; KRB_AP_REQ / KRB_AP_REP / KRB_ERROR are
 * opaque DER blobs made and read by libkrb5 elsewhere (here only delimited).
 *
 * Layouts: reference/security-keymgmt.md sections 2 and 3 (verified against
 * Wireshark's packet-pktc.c, PacketCable 1.0 security).  Every message:
 *
 *   KMMID(1) DOI(1) version(1, major<<4 | minor)   then the body:
 *   1 Wake Up    nonce(4) server principal (ASCII, NUL-terminated)
 *   2 AP Req     KRB_AP_REQ(DER) nonce(4) ASD CS-list reestablish(1) HMAC(20)
 *   3 AP Rep     KRB_AP_REP(DER) ASD CS-list(count 1) lifetime(4) grace(4)
 *                reestablish(1) ack-required(1) HMAC(20)
 *   4 SP Recov.  HMAC(20)
 *   5 Rekey      nonce(4) server principal(NUL-term.) timestamp(13,
 *                "YYMMDDhhmmssZ") ASD CS-list lifetime(4) grace(4)
 *                reestablish(1) HMAC(20)
 *   6 Error Rep. KRB_ERROR(DER)
 *   ASD (DOI 2, SNMPv3): engineID len(1) engineID, engineBoots(4),
 *       engineTime(4), usmUserName len(1) usmUserName
 *   CS-list: count(1), count x {auth alg(1), privacy alg(1)}
 *
 * This product's readings (README Interpretations; open-questions A3, A4):
 *  - DOI: only 2 (SNMPv3) is spoken; DOI 1 (IPsec) is the CMS key management,
 *    not the provisioning server's, and is refused as "bad DOI" (KM_R_DOI).
 *  - Version (A4): we send 1.0 (0x10); we accept any minor of major 1 and
 *    refuse other majors (KM_R_VERSION).  One constant and one test below.
 *  - Rekey with DOI 2 (Wireshark only knows IPsec Rekey data): the same
 *    SNMPv3 ASD as the AP Reply.
 *  - Flags are 0 or 1; anything else is refused (KM_R_FLAG).
 *  - AP Reply "selected ciphersuite": exactly one (KM_R_CS_COUNT); the AP
 *    Request and Rekey lists hold 1..KM_CS_MAX.
 *  - Field bounds from RFC 3411/3414: snmpEngineID 5..32 bytes, usmUserName
 *    1..32 bytes; principal 1..KM_PRINC_MAX printable ASCII.
 */
#ifndef KERBEROS_PKTC_KM_H
#define KERBEROS_PKTC_KM_H

#include <stddef.h>
#include <stdint.h>

#include "tlv/wr.h"

#define KM_PORT 1293                  /* reference section 1 (V) */

enum km_kmmid {
	KM_WAKEUP = 1,
	KM_AP_REQ = 2,
	KM_AP_REP = 3,
	KM_SP_RECOVERED = 4,
	KM_REKEY = 5,
	KM_ERROR_REPLY = 6,
};

enum km_doi { KM_DOI_IPSEC = 1, KM_DOI_SNMPV3 = 2 };

/* A4 (UNVERIFIED): the version byte we send; majors other than ours refused. */
#define KM_VERSION 0x10
#define KM_VERSION_MAJOR(v) ((unsigned)(v) >> 4)

/* Ciphersuite codes for DOI 2 (reference section 3, V from Wireshark; the
 * two bytes are positional).  AES is A3: UNVERIFIED, low confidence. */
#define KM_SNMP_AUTH_MD5 0x21
#define KM_SNMP_AUTH_SHA1 0x22
#define KM_SNMP_PRIV_NULL 0x20
#define KM_SNMP_PRIV_DES 0x21
#define KM_SNMP_PRIV_AES 0x22          /* A3 */

#define KM_HDR_LEN 3
#define KM_HMAC_LEN 20
#define KM_TIMESTAMP_LEN 13           /* YYMMDDhhmmssZ */
#define KM_ENGINEID_MIN 5             /* RFC 3411 SnmpEngineID SIZE(5..32) */
#define KM_ENGINEID_MAX 32
#define KM_USER_MAX 32                /* RFC 3414 usmUserName SIZE(1..32) */
#define KM_PRINC_MAX 255              /* principal text, without its NUL */
#define KM_CS_MAX 16                  /* longest ciphersuite list accepted (the
                                       * DOI-2 codes give 2 x 3 pairs) */

/* Why a message was refused, with the byte offset (struct km_diag). */
enum km_reason {
	KM_R_OK = 0,
	KM_R_TRUNCATED,       /* E_SHORT: the message ends inside a field */
	KM_R_VERSION,         /* E_VERSION: a major version we do not speak */
	KM_R_KMMID,           /* E_UNSUPPORTED: unknown message id */
	KM_R_DOI,             /* E_UNSUPPORTED: DOI other than 2 */
	KM_R_DER_TAG,         /* E_PROTO: not the expected Kerberos APPLICATION tag */
	KM_R_DER_LEN,         /* E_PROTO: indefinite, non-minimal or > 4-byte length */
	KM_R_DER_PAST_END,    /* E_SHORT: the DER length runs past the end */
	KM_R_TRAILING,        /* E_TRAILING: bytes after the last field */
	KM_R_NAME_LONG,       /* E_RANGE: principal, engine ID or user name too long */
	KM_R_NAME_SHORT,      /* E_RANGE: empty principal/user, engine ID < 5 */
	KM_R_NAME_CHARS,      /* E_PROTO: a byte that is not printable ASCII */
	KM_R_CS_COUNT,        /* E_RANGE: ciphersuite count 0, > KM_CS_MAX, or not 1 in an AP Reply */
	KM_R_FLAG,            /* E_PROTO: a flag byte other than 0/1 */
	KM_R_TIMESTAMP,       /* E_PROTO: Rekey timestamp not YYMMDDhhmmssZ */
	KM_R__COUNT
};

struct km_diag {
	int reason;           /* enum km_reason */
	size_t off;           /* byte offset of the offending field */
};

const char *km_reason_str(int reason);

struct km_cs {
	uint8_t auth;         /* KM_SNMP_AUTH_* */
	uint8_t priv;         /* KM_SNMP_PRIV_* */
};

/* DOI 2 application-specific data. */
struct km_snmp_asd {
	uint8_t engine_id[KM_ENGINEID_MAX];
	uint8_t engine_id_len;
	uint32_t boots;
	uint32_t time;
	char user[KM_USER_MAX + 1];   /* NUL-terminated copy */
};

/* A KRB_* DER blob: on decode it points into the caller's buffer. */
struct km_der {
	const uint8_t *p;
	size_t len;           /* whole TLV: tag, length and content */
};

/*
 * One message.  Only the fields of msg.kmmid's layout are used.  hmac_off is
 * set by km_decode() and km_encode(): the offset of the HMAC field (also the
 * number of bytes the HMAC covers, km_keys.h), 0 for messages without one.
 */
struct km_msg {
	uint8_t kmmid;
	uint8_t doi;
	uint8_t version;
	uint32_t nonce;                       /* Wake Up, AP Req, Rekey */
	char principal[KM_PRINC_MAX + 1];     /* Wake Up, Rekey */
	char timestamp[KM_TIMESTAMP_LEN + 1]; /* Rekey */
	struct km_der krb;                    /* AP Req, AP Rep, Error Reply */
	struct km_snmp_asd asd;               /* AP Req, AP Rep, Rekey */
	struct km_cs cs[KM_CS_MAX];           /* AP Req, AP Rep (1), Rekey */
	uint8_t n_cs;
	uint32_t lifetime;                    /* AP Rep, Rekey: seconds */
	uint32_t grace;                       /* AP Rep, Rekey: seconds */
	uint8_t reestablish;                  /* AP Req, AP Rep, Rekey */
	uint8_t ack_required;                 /* AP Rep */
	uint8_t hmac[KM_HMAC_LEN];            /* all but Wake Up, Error Reply */
	size_t hmac_off;
};

/* Start a message of this kind: DOI 2, version KM_VERSION, the rest zero. */
void km_msg_init(struct km_msg *m, uint8_t kmmid);

/* 1 when messages of this kind end with an HMAC field. */
int km_has_hmac(uint8_t kmmid);

/*
 * Decode buf[0..len) into m.  Returns 0, or (with d->reason and d->off set;
 * d may be NULL): E_SHORT (truncated, DER past the end), E_VERSION,
 * E_UNSUPPORTED (KMMID, DOI), E_PROTO (DER tag/length, characters, flags,
 * timestamp), E_RANGE (lengths of names, ciphersuite count), E_TRAILING.
 * m->krb.p points into buf.  The HMAC is NOT checked here (km_keys.h).
 * After a refusal m is partly filled and means nothing.
 */
int km_decode(struct km_msg *m, const uint8_t *buf, size_t len, struct km_diag *d);

/*
 * Append m to w, HMAC field as m->hmac (normally zeros, then sealed in place
 * by km_mac_seal() at m->hmac_off, which this sets relative to the start of
 * the message).  The same bounds as km_decode() apply; a violation is
 * E_INVAL (also sticky in w).  m->krb must be one whole DER TLV with the
 * message's tag.  Returns 0 or the writer's error.
 */
int km_encode(struct km_msg *m, struct wr *w);

/*
 * Delimit one DER TLV at buf[0..len): *tlv_len gets tag + length + content.
 * 0, E_SHORT (truncated header or content past the end), E_PROTO (indefinite,
 * non-minimal, or more than 4 length bytes).  Only single-byte tags
 * (Kerberos APPLICATION 14/15/30 are single-byte).
 */
int km_der_span(const uint8_t *buf, size_t len, size_t *tlv_len);

/* The DER tags of the Kerberos messages carried (RFC 4120 section 5). */
#define KM_TAG_AP_REQ 0x6e    /* [APPLICATION 14] constructed */
#define KM_TAG_AP_REP 0x6f    /* [APPLICATION 15] */
#define KM_TAG_KRB_ERROR 0x7e /* [APPLICATION 30] */

#endif
