/*
 * agent.h: eued's embedded SNMP agent and its notification sender.
 *
 * Net-SNMP's agent library runs inside our event loop (platform/loop.h):
 * its sockets are watched fds and its timeouts one loop timer, so nothing
 * blocks.  Every GET / GETNEXT / GETBULK / SET on the served subtrees is
 * answered from the model (snmp-mibs/mib.h); a SET PDU is one mib.h
 * transaction.  No snmpd.conf or snmp.conf is read, no MIB file is loaded
 * and nothing is written to /var/lib/snmp.  agent.c is the only file that
 * includes Net-SNMP's agent headers (STYLE.md section 4).
 *
 * Access (Basic/Hybrid, open question A9: no Kerberos, so no USM keys):
 * SNMPv2c only.  The read-only community is answered from any source; the
 * read-write community only from the provisioning server's addresses
 * (the SNMP entity of 122.3 / CCCv6.3, resolved by the caller).  Anything
 * else (unknown community, the read-write community from another source,
 * SNMPv1) is dropped without a response and counted; a SET with the
 * read-only community is answered noAccess (RFC 3416 4.2.5).  SNMPv3 has
 * no USM user until agent_set_usm_user() is built: Net-SNMP's USM answers
 * with its RFC 3414 reports (unknownUserNames), nothing reaches the model.
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

struct agent_config {
	struct net_addr listen;         /* the eUE's own address; port 0: 161 */
	const char *ro_community;       /* NULL: "public" */
	const char *rw_community;       /* NULL: "private" */
	struct net_addr managers[AGENT_MANAGERS_MAX];   /* read-write sources; ports ignored */
	unsigned n_managers;
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
 * agent's listen address.  0, or E_UNSUPPORTED (38.3 types 4/5: SNMPv3
 * needs a USM user), E_INVAL, E_NOTFOUND (the model lacks a mandatory
 * object), E_IO, E_NOMEM.
 */
int agent_notify(struct agent *a, enum notify_kind k, const struct notify_dest *d,
		 agent_notify_fn *cb, void *arg);

/* Notifications still waiting for an answer. */
unsigned agent_notify_pending(const struct agent *a);

/*
 * NOT BUILT YET (the Secure flow's issue): install the SNMPv3 USM user whose
 * keys Kerberized key management derived (eUE-14; open question A1), for
 * requests and for notification types 4/5.  Returns E_UNSUPPORTED today.
 */
int agent_set_usm_user(struct agent *a, const char *user, int auth_proto, const uint8_t *auth_key,
		       size_t auth_len, int priv_proto, const uint8_t *priv_key, size_t priv_len);

#endif
