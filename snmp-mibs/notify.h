/*
 * notify.h: what the eUE's two provisioning notifications contain, and where
 * they go.  No Net-SNMP here: notify.c reads the values through mib.h and
 * hands the agent (snmp-mibs/agent.c) a plain list of VarBinds to send.
 *
 * - pktcMtaDevProvisioningEnrollment (eUE-15) goes to the SNMP entity of
 *   CCCv6.3 / 122.3, port 162.
 * - pktcMtaDevProvisioningStatus (eUE-25) goes to the SNMP entity and to
 *   every TLV 38 notification receiver (6.5; config-file.md section 4).
 *
 * Every notification starts with sysUpTime.0 and snmpTrapOID.0 (RFC 3416
 * 4.2.6), then the notification's OBJECTS in the MIB's order.
 */
#ifndef SNMP_MIBS_NOTIFY_H
#define SNMP_MIBS_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "platform/net.h"
#include "snmp-mibs/mib.h"

enum notify_kind {
	NOTIFY_ENROLLMENT,      /* pktcMtaDevProvisioningEnrollment, eUE-15 */
	NOTIFY_STATUS,          /* pktcMtaDevProvisioningStatus, eUE-25 */
	NOTIFY_KIND_COUNT
};

/*
 * TLV 38.3 notification type (config-file.md 4; open-questions A15: the
 * DOCSIS meanings, not verified against PKT-PROV1.5).
 */
enum notify_type {
	NOTIFY_V1_TRAP = 1,     /* SNMPv1 Trap-PDU */
	NOTIFY_V2C_TRAP = 2,    /* SNMPv2-Trap-PDU, community-based */
	NOTIFY_V2C_INFORM = 3,  /* InformRequest-PDU, community-based */
	NOTIFY_V3_TRAP = 4,     /* SNMPv3 USM (the agent's user; agent.h) */
	NOTIFY_V3_INFORM = 5,   /* SNMPv3 USM, to the receiver's engine */
};

/*
 * Timeout and retries when a destination gives none (timeout_ms 0).  RFC
 * 3413's snmpTargetAddrTimeout DEFVAL is 15 s with 3 retries; that is one
 * minute before eUE-15 may fail and restart at eUE-1, so the SNMP entity
 * gets 1 s per try and 3 retries (4 s in all), like Net-SNMP's own 1 s
 * default.  A TLV 38 receiver keeps whatever 38.4 / 38.5 say.
 */
#define NOTIFY_TIMEOUT_MS_DEFAULT 1000u
#define NOTIFY_RETRIES_DEFAULT 3u
#define NOTIFY_PORT_DEFAULT 162u        /* RFC 3417 (snmptrap) */
#define NOTIFY_COMMUNITY_DEFAULT "public"

/*
 * One receiver: the SNMP entity (notify_dest_entity()), or a TLV 38 row
 * mapped by the caller (struct mib_target: family 4/6 -> AF_INET/AF_INET6,
 * addr, port, type, timeout_ms, retries as they are).  addr.addr holds IPv4
 * in its first 4 bytes; addr.port 0 means 162; timeout_ms 0 means
 * NOTIFY_TIMEOUT_MS_DEFAULT with NOTIFY_RETRIES_DEFAULT (the entity, or a
 * file without 38.4), otherwise retries is used as given (38.5); community
 * NULL means "public" (DOCSIS OSSI's TLV 38 mapping uses no other
 * community for types 1..3).  Types 4/5 use the agent's USM user
 * (agent_set_usm_user()) and no community; for an INFORM, engine_id may
 * name the receiver's snmpEngineID (5..32 bytes, e.g. the provisioning
 * server's from the AP Reply); engine_id_len 0: discovered (RFC 3414 4).
 */
struct notify_dest {
	struct net_addr addr;
	uint8_t type;           /* enum notify_type */
	uint32_t timeout_ms;
	uint32_t retries;
	const char *community;
	const uint8_t *engine_id;       /* type 5 only; NULL: discover */
	size_t engine_id_len;
};

#define NOTIFY_VB_MAX 8

struct notify_vb {
	uint32_t oid[MIB_OID_MAX];
	size_t n;
	struct mib_out val;     /* OID values as BER contents, like mib.h */
};

/* A notification ready to send: vb[0] sysUpTime.0, vb[1] snmpTrapOID.0. */
struct notify_msg {
	enum notify_kind kind;
	const uint32_t *trap_oid;       /* the notification's OID (static) */
	size_t trap_oid_n;
	struct notify_vb vb[NOTIFY_VB_MAX];
	size_t n;
};

/* The SNMP entity of 122.3 / CCCv6.3 as a receiver: an SNMPv2c INFORM to
 * port 162, NOTIFY_TIMEOUT_MS_DEFAULT, NOTIFY_RETRIES_DEFAULT. */
void notify_dest_entity(struct notify_dest *d, const struct net_addr *entity);

/* "enrollment", "status". */
const char *notify_kind_name(enum notify_kind k);

/*
 * Fill *out for kind k from the model.  sysUpTime.0 is read from the model;
 * when it has none, uptime_cs (hundredths of a second) is used.  An object
 * the MIB makes mandatory that the model lacks fails with E_NOTFOUND (a bug
 * in the model, not input); the optional ones (see notify.c) are left out.
 * 0, E_INVAL or E_NOTFOUND.
 */
int notify_build(struct mib *m, enum notify_kind k, uint32_t uptime_cs, struct notify_msg *out);

/* 0 if d is well formed (types 1..5, an IP family, engine_id_len 0 or
 * 5..32 with engine_id set); E_INVAL else.  Whether a USM user exists for
 * types 4/5 is the agent's to say (agent_notify(): E_STATE). */
int notify_dest_check(const struct notify_dest *d);

#endif
