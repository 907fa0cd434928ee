/*
 * agent.h: eued's embedded SNMP agent and its notification sender.
 *
 * Net-SNMP's agent library runs inside our event loop (platform/loop.h):
 * its sockets are watched fds and its timeouts one loop timer, so nothing
 * blocks.  Every GET / GETNEXT / GETBULK / SET on the served subtrees is
 * answered from the model (snmp-mibs/mib.h); a SET PDU is one mib.h
 * transaction.  No snmpd.conf or snmp.conf is read, no MIB file is loaded
 * and nothing is written to /var/lib/snmp (snmp-mibs/nsloop.c).  agent.c,
 * nsloop.c and ecm/esafe_snmp.c are the only files that include Net-SNMP's
 * agent headers (STYLE.md section 4).
 *
 * Access: agent_config.mode says which SNMP the agent answers.
 *
 * - AGENT_SNMP_V2C (Basic/Hybrid, open question A9: no Kerberos, so no USM
 *   keys; the default, 0): the read-only community is answered from any
 *   source; the read-write community only from the provisioning server's
 *   addresses (the SNMP entity of 122.3 / CCCv6.3, resolved by the caller).
 *   Anything else (unknown community, the read-write community from another
 *   source, SNMPv1) is dropped without a response and counted; a SET with
 *   the read-only community is answered noAccess (RFC 3416 4.2.5).  An
 *   SNMPv3 request gets Net-SNMP's RFC 3414 reports, or authorizationError
 *   once it is past USM; nothing reaches the model.
 * - AGENT_SNMP_USM (Secure): SNMPv3 only.  Before agent_set_usm_user() the
 *   agent answers nothing but the RFC 3414 4 engine-ID discovery (its
 *   usmStatsUnknownEngineIDs report); every other USM report is held back
 *   and counted (usm_reports_held).  Afterwards a request reaches the
 *   model (read and write, from any source: the keys are the credential;
 *   communities and managers are not used) only when it is authPriv
 *   (authNoPriv for a user without privacy) with that user, addressed to
 *   our snmpEngineID.  A wrong key or
 *   an unknown user is refused by USM with its report (usmStatsWrongDigests,
 *   usmStatsUnknownUserNames, ...); the user with a lower security level
 *   gets authorizationError (RFC 3413 / VACM's noAccess).  SNMPv1/v2c
 *   requests are dropped without a response.  Everything is counted.
 * - AGENT_SNMP_BOTH: the union (community rules for v1/v2c, USM rules for v3).
 *
 * snmpEngineID: RFC 3411 format 3, enterprise 4491 (CableLabs) with the
 * eUE MAC (agent_engine_id_mac()), so it is stable across restarts and
 * known before the agent starts: the key-management AP Request carries it
 * with snmpEngineBoots and snmpEngineTime (DOI 2 application data).
 *
 * Callbacks: agent_stop() may be called from a notification's completion
 * callback, but not from inside a request (e.g. from the mib.h change hook
 * that a committed SET runs): defer it to a loop timer there.
 *
 * Net-SNMP keeps its state in process globals: one agent per process at a
 * time (a second agent_start() fails with E_STATE).  The library itself is
 * initialised by the first agent_start() and stays initialised; everything
 * an agent opens or registers is released by agent_stop(), so a
 * re-provisioning can start a new one.
 */
#ifndef SNMP_MIBS_AGENT_H
#define SNMP_MIBS_AGENT_H

#include <stddef.h>
#include <stdint.h>

#include "platform/loop.h"
#include "platform/net.h"
#include "snmp-mibs/mib.h"
#include "snmp-mibs/notify.h"

#define AGENT_MANAGERS_MAX 4
#define AGENT_PORT_DEFAULT 161u         /* RFC 3417 (snmp) */
#define AGENT_RO_COMMUNITY_DEFAULT "public"
#define AGENT_RW_COMMUNITY_DEFAULT "private"

/* Which SNMP the agent answers (see the access rules above). */
enum agent_snmp_mode {
	AGENT_SNMP_V2C = 0,     /* communities only (Basic, Hybrid); the default */
	AGENT_SNMP_USM = 1,     /* SNMPv3 USM only (Secure) */
	AGENT_SNMP_BOTH = 2,
};

/* RFC 3411 SnmpEngineID format 3: 4491 | 0x80000000, 3 (MAC), the MAC. */
#define AGENT_ENGINE_ID_LEN 11
#define AGENT_ENGINE_ID_MAX 32          /* RFC 3411 SnmpEngineID SIZE(5..32) */

/* USM protocols (RFC 3414 6, 7, 8; RFC 3826), as agent_set_usm_user() takes them. */
#define AGENT_USM_AUTH_MD5 1            /* usmHMACMD5AuthProtocol, 16-byte key */
#define AGENT_USM_AUTH_SHA 2            /* usmHMACSHAAuthProtocol, 20-byte key */
#define AGENT_USM_PRIV_NONE 0           /* usmNoPrivProtocol: authNoPriv (ciphersuite 0x20) */
#define AGENT_USM_PRIV_DES 1            /* usmDESPrivProtocol, 16 bytes: key + pre-IV */
#define AGENT_USM_PRIV_AES 2            /* usmAesCfb128Protocol, 16-byte key */
#define AGENT_USM_USER_MAX 32           /* SnmpAdminString SIZE(1..32) */

struct agent_config {
	struct net_addr listen;         /* the eUE's own address; port 0: 161 */
	const char *ro_community;       /* NULL: "public" */
	const char *rw_community;       /* NULL: "private" */
	struct net_addr managers[AGENT_MANAGERS_MAX];   /* read-write sources; ports ignored */
	unsigned n_managers;
	enum agent_snmp_mode mode;      /* 0: AGENT_SNMP_V2C */
	/* The eUE MAC for the snmpEngineID; all zero: the model's
	 * (mib->id.mac), and when that is zero too, Net-SNMP's own random one. */
	uint8_t mac[6];
	/* snmpEngineBoots (RFC 3414 2.2.2: the caller keeps it in nvram and
	 * adds one per start of eued); 0: unchanged (1 in a new process).
	 * snmpEngineTime counts from the process's first agent_start(). */
	uint32_t engine_boots;
};

/* Counters; the drops are also counted in Net-SNMP's snmpIn* statistics. */
struct agent_stats {
	unsigned long requests;         /* PDUs let through to the handler */
	unsigned long bad_community;    /* unknown community: dropped (snmpInBadCommunityNames) */
	unsigned long bad_source;       /* rw community from a non-manager: dropped (snmpInBadCommunityUses) */
	unsigned long bad_version;      /* SNMPv1 request (or SNMPv3 past USM): dropped */
	unsigned long ro_set;           /* SET with the read-only community: noAccess */
	unsigned long set_commits;      /* SET PDUs committed to the model */
	unsigned long set_rejects;      /* SET PDUs refused (mib_set_test / mib_set_check) */
	unsigned long notify_sent;      /* notifications handed to the network */
	unsigned long notify_acked;     /* INFORMs acknowledged */
	unsigned long notify_timeouts;  /* INFORMs unanswered after every retry */
	unsigned long notify_errors;    /* notifications that could not be sent */
	/* SNMPv3, since agent_start.  usm_discovery .. usm_bad_level and
	 * parse_errors are deltas of Net-SNMP's process-wide counters, so they
	 * include what answers to our INFORMs provoke. */
	unsigned long usm_requests;     /* SNMPv3 PDUs let through (also in requests) */
	unsigned long usm_refused;      /* past USM, wrong user/level/engine: authorizationError */
	unsigned long usm_discovery;    /* usmStatsUnknownEngineIDs: RFC 3414 4 discovery */
	unsigned long usm_unknown_user; /* usmStatsUnknownUserNames */
	unsigned long usm_wrong_digest; /* usmStatsWrongDigests: wrong auth key */
	unsigned long usm_decrypt_errors;       /* usmStatsDecryptionErrors: wrong priv key */
	unsigned long usm_not_in_time;  /* usmStatsNotInTimeWindows */
	unsigned long usm_bad_level;    /* usmStatsUnsupportedSecLevels */
	unsigned long usm_reports_held; /* USM-only mode, no user yet: reports not sent */
	unsigned long parse_errors;     /* snmpInASNParseErrs: undecodable (a wrong priv key) */
};

struct agent;

/*
 * Start an agent on c->listen ("udp:A.B.C.D:port" / "udp6:[addr]:port"),
 * answering from m, driven by l.  *ap gets the agent.  0, or E_STATE (one is
 * running), E_INVAL, E_IO (the address cannot be bound), E_NOMEM.
 */
int agent_start(struct agent **ap, struct loop *l, struct mib *m, const struct agent_config *c);

/*
 * Stop: close every socket (unwatched first), cancel the timers, unregister
 * the handlers, drop pending notifications without calling their
 * callbacks, free a.  NULL is a no-op.
 */
void agent_stop(struct agent *a);

/* Replace the read-write sources (n <= AGENT_MANAGERS_MAX; more are cut). */
void agent_set_managers(struct agent *a, const struct net_addr *m, unsigned n);

void agent_get_stats(const struct agent *a, struct agent_stats *s);

/*
 * Completion of a notification: acked 1 = the INFORM was acknowledged, or
 * the trap was handed to the network (traps have no acknowledgement); 0 =
 * no response after every retry; < 0 = it could not be sent (E_IO).
 */
typedef void agent_notify_fn(void *arg, int acked);

/*
 * Send notification k (contents: notify_build) to d.  Never blocks: an
 * INFORM is retransmitted every d->timeout_ms, d->retries times (defaults in
 * notify.h).  cb (may be NULL) is called exactly once, from the loop, never
 * from inside this call, unless this call fails.  The source address is the
 * agent's listen address.
 *
 * Types 4/5 (SNMPv3, 38.3) are sent authPriv (authNoPriv for a user
 * without privacy) with the agent's USM user.  A trap carries our
 * snmpEngineID (we are authoritative, RFC 3412 / 3414 3.1.1).  An INFORM
 * is sent to the receiver's engine (RFC 3414 1.5.1): d->engine_id when the
 * caller knows it (the AP Reply's DOI 2 data carries the provisioning
 * server's), else it is discovered first (RFC 3414 4: a noAuthNoPriv probe,
 * asynchronous, with the same timeout and retries as the INFORM itself).
 * The user's keys are used as the localized keys for that engine as they
 * are (A1: the derived keys belong to the pair, not to one engine ID).
 * acked < 0 for an INFORM: E_AUTH when the receiver refused it with a USM
 * report (wrong keys, unknown user), E_PROTO for a nonsensical answer.
 *
 * 0, or E_STATE (types 4/5 without a USM user), E_INVAL, E_NOTFOUND (the
 * model lacks a mandatory object), E_IO, E_NOMEM.
 */
int agent_notify(struct agent *a, enum notify_kind k, const struct notify_dest *d,
		 agent_notify_fn *cb, void *arg);

/* Notifications still waiting for an answer. */
unsigned agent_notify_pending(const struct agent *a);

/*
 * Install, or replace (a rekey), the one SNMPv3 USM user: the keys are
 * LOCALIZED keys (RFC 3414 2.6) for this agent's snmpEngineID, used as
 * given (no password-to-key step): what Kerberized key management derives
 * from the AP Reply (eUE-14; open question A1, kerberos/km_keys.h).
 * auth_proto AGENT_USM_AUTH_MD5 (auth_len 16) or _SHA (20); priv_proto
 * AGENT_USM_PRIV_DES or _AES (priv_len 16), or _NONE (priv_len 0: the user
 * is authNoPriv).  A replaced user's old keys stop working at once, for
 * requests and for notifications (an INFORM still waiting for its answer
 * is then refused by its receiver and ends with E_AUTH).  The keys are
 * copied into Net-SNMP and wiped from it at agent_stop() or the next call.
 * In AGENT_SNMP_V2C mode the user only signs notification types 4/5.
 * 0, or E_INVAL (a length, a protocol code, an empty or too long name:
 * nothing changed), E_NOMEM (the old user is gone, no new one).
 */
int agent_set_usm_user(struct agent *a, const char *user, int auth_proto, const uint8_t *auth_key,
		       size_t auth_len, int priv_proto, const uint8_t *priv_key, size_t priv_len);

/*
 * The agent's snmpEngineID, snmpEngineBoots and snmpEngineTime (seconds),
 * for the AP Request's DOI 2 data.  Copies at most cap bytes of the ID;
 * returns its length, or E_INVAL (a NULL, cap too small).  boots / time may
 * be NULL.
 */
int agent_engine_id(const struct agent *a, uint8_t *buf, size_t cap, uint32_t *boots,
		    uint32_t *time_s);

/* The snmpEngineID of an eUE with this MAC (what agent_start() will use). */
void agent_engine_id_mac(const uint8_t mac[6], uint8_t out[AGENT_ENGINE_ID_LEN]);

#endif
