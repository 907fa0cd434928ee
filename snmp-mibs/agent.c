/*
 * agent.c: Net-SNMP's agent library as eued's embedded agent, driven by our
 * event loop, answering from snmp-mibs/mib.h; and the sender of the
 * provisioning notifications built by notify.c.
 *
 * With nsloop.c and ecm/esafe_snmp.c, the only files that include
 * Net-SNMP's agent headers (STYLE.md section 4).
 * It knows the six SET modes so that mib.h need not: RESERVE1 tests every
 * VarBind, COMMIT commits, FREE/UNDO abort (one mib.h transaction per PDU).
 *
 * Loop integration and the library's set-up are snmp-mibs/nsloop.c (shared
 * with ecmd's ESAFE-MIB view): after every event (a readable Net-SNMP
 * socket, the timer, a notification sent or closed) nsloop_sync() makes the
 * loop's watches and its one timer match what Net-SNMP asks for.
 *
 * SNMPv3: Net-SNMP's USM does the cryptography, its user list holds the
 * keys (agent_set_usm_user() adds our user under our snmpEngineID; each
 * INFORM adds the same user under its receiver's engine ID; agent_stop()
 * and a rekey remove every entry of the name and wipe the keys).
 * acm_cb() decides who reaches the model.  Net-SNMP's own engine-ID
 * discovery (snmp_open / snmp_send) waits in select(), so SNMPv3 INFORMs
 * discover the receiver with an asynchronous probe of our own first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

/* Net-SNMP's headers do not build under our warning set. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#pragma GCC diagnostic ignored "-Wpedantic"
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/library/large_fd_set.h>
#include <net-snmp/agent/agent_callbacks.h>
#include <net-snmp/library/lcd_time.h>
#pragma GCC diagnostic pop

#include "platform/clock.h"
#include "platform/err.h"
#include "platform/log.h"
#include "snmp-mibs/agent.h"
#include "snmp-mibs/nsloop.h"
#include "tlv/wr.h"

#define COMMUNITY_MAX 64

/*
 * Subtrees the handler is registered on: the groups mib.h serves (system,
 * PKTC-IETF-MTA-MIB, CableLabs, SNMP-TARGET/-NOTIFICATION rows of TLV 38)
 * and their neighbours the notifications name (IF-MIB, the event MIB, this
 * project's playpen module).  A subtree the model does not fill answers
 * noSuchObject, like any agent.
 */
static const oid subtrees[][10] = {
	{ 1, 3, 6, 1, 2, 1, 1 },                    /* system */
	{ 1, 3, 6, 1, 2, 1, 2 },                    /* interfaces (ifPhysAddress) */
	{ 1, 3, 6, 1, 2, 1, 33 },                   /* UPS-MIB, RFC 1628 (battery, 6.6.4) */
	{ 1, 3, 6, 1, 2, 1, 140 },                  /* PKTC-IETF-MTA-MIB, RFC 4682 */
	{ 1, 3, 6, 1, 2, 1, 182 },                  /* PKTC-IETF-EVENT-MIB, RFC 5428 */
	{ 1, 3, 6, 1, 4, 1, 4491 },                 /* CableLabs */
	{ 1, 3, 6, 1, 4, 1, 8072, 9999, 4491 },     /* EUE-PROV-LOCAL-MIB (playpen) */
	{ 1, 3, 6, 1, 6, 3, 12 },                   /* SNMP-TARGET-MIB, RFC 3413 */
	{ 1, 3, 6, 1, 6, 3, 13 },                   /* SNMP-NOTIFICATION-MIB, RFC 3413 */
};
static const size_t subtree_len[] = { 7, 7, 7, 7, 7, 7, 9, 7, 7 };
#define N_SUBTREES (sizeof(subtrees) / sizeof(subtrees[0]))
_Static_assert(N_SUBTREES == sizeof(subtree_len) / sizeof(subtree_len[0]), "one length per subtree");

enum access { ACC_BAD_COMMUNITY, ACC_BAD_SOURCE, ACC_RO, ACC_RW };

/* An SNMPv3 INFORM without the receiver's engine ID goes out in two steps. */
enum notif_phase {
	PH_SEND,        /* the notification itself is out (or about to be) */
	PH_PROBE,       /* RFC 3414 4 discovery probe out, INFORM held in pdu */
	PH_PROBED,      /* the probe's report arrived: send pdu from reap_cb */
};

/* Net-SNMP's usmStats counters, in the order of agent_stats' usm_* copies. */
static const int usm_stat_ids[] = {
	STAT_USMSTATSUNKNOWNENGINEIDS, STAT_USMSTATSUNKNOWNUSERNAMES, STAT_USMSTATSWRONGDIGESTS,
	STAT_USMSTATSDECRYPTIONERRORS, STAT_USMSTATSNOTINTIMEWINDOWS,
	STAT_USMSTATSUNSUPPORTEDSECLEVELS, STAT_SNMPINASNPARSEERRS,
};
#define N_USM_STATS (sizeof(usm_stat_ids) / sizeof(usm_stat_ids[0]))

struct agent_notif {
	struct agent *a;
	netsnmp_session *ss;
	netsnmp_pdu *pdu;                           /* PH_PROBE / PH_PROBED: the INFORM */
	enum notif_phase phase;
	enum notify_kind kind;
	agent_notify_fn *cb;
	void *arg;
	int done;
	int result;
	struct agent_notif *next;
};

struct agent {
	struct loop *loop;
	struct mib *mib;
	char ro[COMMUNITY_MAX + 1], rw[COMMUNITY_MAX + 1];
	struct net_addr listen;
	struct net_addr managers[AGENT_MANAGERS_MAX];
	unsigned n_managers;
	int nsap;                                   /* netsnmp_register_agent_nsap() handle */
	netsnmp_transport *transport;               /* the listening one (owned by the nsap) */
	netsnmp_handler_registration *regs[N_SUBTREES];
	netsnmp_handler_registration *usm_reg;      /* usmStats (usm_stats_handler) */
	struct nsloop ns;                           /* Net-SNMP's fds and timeout on our loop */
	struct loop_timer reap;                     /* finished notifications */
	uint64_t start_ms;
	struct agent_notif *notifs;
	int set_open;                               /* a mib.h transaction is staged */
	int set_checked;                            /* ... and mib_set_check() ran */
	const void *set_asp;                        /* ... for this PDU */
	const void *ro_set_asp;                     /* last PDU counted in ro_set */
	struct agent_stats st;
	struct mib_out out;                         /* one value read out (single-threaded) */
	enum agent_snmp_mode mode;
	uint8_t eid[AGENT_ENGINE_ID_MAX];           /* our snmpEngineID */
	size_t eid_len;
	/* The USM user; its keys live only in Net-SNMP's user list. */
	char usm_name[AGENT_USM_USER_MAX + 1];     /* "" until agent_set_usm_user() */
	int usm_level;                              /* SNMP_SEC_LEVEL_AUTHPRIV / _AUTHNOPRIV */
	u_long usm_base[N_USM_STATS];               /* the counters at agent_start */
	unsigned long reports_held;                 /* USM reports not sent (report_hook) */
};

/* Net-SNMP's sessions and registry are process-wide: so is "the" agent. */
static struct agent *running;
static unsigned long generation;

/* ------------------------------------------------------------ access */

static int community_eq(const netsnmp_pdu *pdu, const char *c)
{
	return nsloop_community_eq(pdu->community, pdu->community_len, c);
}

/*
 * The request's source.  Net-SNMP 5.9's UDP transport hands a
 * netsnmp_indexed_addr_pair, its UDP/IPv6 transport a bare sockaddr_in6;
 * both begin with the remote sockaddr, which is all we read.
 */
static int pdu_source(const netsnmp_pdu *pdu, struct net_addr *src)
{
	struct sockaddr_storage ss;
	size_t n = (size_t)pdu->transport_data_length;

	if (pdu->transport_data == NULL || n < sizeof(struct sockaddr_in))
		return E_NOTFOUND;
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, pdu->transport_data, n < sizeof(ss) ? n : sizeof(ss));
	memset(src, 0, sizeof(*src));
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in sin;

		memcpy(&sin, &ss, sizeof(sin));
		src->family = AF_INET;
		memcpy(src->addr, &sin.sin_addr, 4);
		return 0;
	}
	if (ss.ss_family == AF_INET6 && n >= sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 sin6;

		memcpy(&sin6, &ss, sizeof(sin6));
		src->family = AF_INET6;
		memcpy(src->addr, &sin6.sin6_addr, 16);
		return 0;
	}
	return E_NOTFOUND;
}

static int is_manager(const struct agent *a, const netsnmp_pdu *pdu)
{
	struct net_addr src;

	if (pdu_source(pdu, &src) != 0)
		return 0;
	for (unsigned i = 0; i < a->n_managers; i++) {
		const struct net_addr *m = &a->managers[i];

		if (m->family == src.family &&
		    memcmp(m->addr, src.addr, src.family == AF_INET ? 4 : 16) == 0)
			return 1;
	}
	return 0;
}

static enum access pdu_access(const struct agent *a, const netsnmp_pdu *pdu)
{
	int rw = community_eq(pdu, a->rw);

	if (rw && is_manager(a, pdu))
		return ACC_RW;
	if (community_eq(pdu, a->ro))
		return ACC_RO;
	return rw ? ACC_BAD_SOURCE : ACC_BAD_COMMUNITY;
}

/*
 * An SNMPv3 PDU that USM has let through (it authenticated and decrypted,
 * or it is noAuthNoPriv with a known user name): it reaches the model only
 * with our user, at least the user's level, addressed to our engine (USM
 * would also accept a user that an INFORM added under a receiver's engine
 * ID), in a mode that takes SNMPv3.
 */
static int usm_allowed(const struct agent *a, const netsnmp_pdu *pdu)
{
	size_t n = strlen(a->usm_name);

	if (a->mode == AGENT_SNMP_V2C || n == 0)
		return 0;
	if (pdu->securityModel != SNMP_SEC_MODEL_USM || pdu->securityLevel < a->usm_level)
		return 0;
	if (pdu->securityName == NULL || pdu->securityNameLen != n ||
	    memcmp(pdu->securityName, a->usm_name, n) != 0)
		return 0;
	return pdu->securityEngineID != NULL && pdu->securityEngineIDLen == a->eid_len &&
	       memcmp(pdu->securityEngineID, a->eid, a->eid_len) == 0;
}

/* May this PDU write (RESERVE1)?  acm_cb() has let it in already. */
static int pdu_writable(const struct agent *a, const netsnmp_pdu *pdu)
{
	if (pdu->version == SNMP_VERSION_3)
		return usm_allowed(a, pdu);
	return pdu_access(a, pdu) == ACC_RW;
}

/*
 * Net-SNMP asks its access-control callbacks before it dispatches a request
 * (check_access(): SNMPD_CALLBACK_ACM_CHECK_INITIAL), per subtree of a
 * GETNEXT (ACM_CHECK_SUBTREE) and per VarBind of a response (ACM_CHECK).
 * init_agent() installs VACM's callbacks there, which without a
 * snmpd.conf refuse everything; they are removed (acm_install) and ours
 * decide alone.  A non-zero errorcode at the initial check makes Net-SNMP
 * drop an SNMPv1/v2c request without a response (RFC 3584 5.2.1: no
 * response to an unknown community) and answer an SNMPv3 one with
 * authorizationError (RFC 3416 4.2; what VACM's noAccess gives).
 */
static int acm_cb(int major, int minor, void *server, void *client)
{
	struct view_parameters *vp = server;
	struct agent *a = client;
	int initial = minor == SNMPD_CALLBACK_ACM_CHECK_INITIAL;
	enum access acc;

	(void)major;
	if (vp == NULL || vp->pdu == NULL || a != running)
		return 0;
	if (vp->pdu->version == SNMP_VERSION_3 && a->mode != AGENT_SNMP_V2C) {
		int ok = usm_allowed(a, vp->pdu);

		vp->errorcode = ok ? VACM_SUCCESS : VACM_NOACCESS;
		if (initial && ok) {
			a->st.requests++;
			a->st.usm_requests++;
		} else if (initial) {
			a->st.usm_refused++;
		}
		return 0;
	}
	if (vp->pdu->version != SNMP_VERSION_2c || a->mode == AGENT_SNMP_USM) {
		if (initial)
			a->st.bad_version++;
		vp->errorcode = VACM_NOSECNAME;
		return 0;
	}
	acc = pdu_access(a, vp->pdu);
	vp->errorcode = acc == ACC_RO || acc == ACC_RW ? VACM_SUCCESS :
			acc == ACC_BAD_SOURCE ? VACM_NOACCESS : VACM_NOSECNAME;
	if (!initial)
		return 0;
	switch (acc) {
	case ACC_BAD_COMMUNITY:
		a->st.bad_community++;
		snmp_increment_statistic(STAT_SNMPINBADCOMMUNITYNAMES);
		break;
	case ACC_BAD_SOURCE:
		a->st.bad_source++;
		snmp_increment_statistic(STAT_SNMPINBADCOMMUNITYUSES);
		break;
	case ACC_RO:
	case ACC_RW:
		a->st.requests++;
		break;
	}
	return 0;
}

static void acm_install(struct agent *a)
{
	nsloop_acm_take(acm_cb, a);
}

static void acm_remove(struct agent *a)
{
	nsloop_acm_release(acm_cb, a);
}

/* ------------------------------------------------------------ values */

static int oid_to_arcs(const oid *o, size_t n, uint32_t *arcs)
{
	if (n > MIB_OID_MAX)
		return E_RANGE;
	for (size_t i = 0; i < n; i++) {
		if (o[i] != (uint32_t)o[i])    /* oid is 64 bits on amd64, 32 on armhf */
			return E_RANGE;
		arcs[i] = (uint32_t)o[i];
	}
	return 0;
}

/* Put a model value into a Net-SNMP VarBind; E_PROTO for what cannot be sent. */
static int vb_set(netsnmp_variable_list *vb, const struct mib_val *v)
{
	switch (v->type) {
	case BER_INTEGER: {
		long x = (long)v->num;

		return snmp_set_var_typed_value(vb, ASN_INTEGER, &x, sizeof(x)) == 0 ? 0 : E_PROTO;
	}
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS: {
		u_long x = (u_long)(uint32_t)v->num;

		return snmp_set_var_typed_value(vb, v->type, &x, sizeof(x)) == 0 ? 0 : E_PROTO;
	}
	case BER_COUNTER64: {
		struct counter64 c = { .high = (u_long)(v->u64 >> 32), .low = (u_long)(v->u64 & 0xffffffffu) };

		return snmp_set_var_typed_value(vb, ASN_COUNTER64, &c, sizeof(c)) == 0 ? 0 : E_PROTO;
	}
	case BER_OCTETS:
	case BER_IPADDR:
	case BER_OPAQUE:
		return snmp_set_var_typed_value(vb, v->type, v->len ? v->bytes : (const u_char *)"",
						v->len) == 0 ? 0 : E_PROTO;
	case BER_OID: {
		uint32_t arcs[MIB_OID_MAX];
		oid o[MIB_OID_MAX];
		int n = ber_oid_arcs(v->bytes, v->len, arcs, MIB_OID_MAX);

		if (n < 0)
			return E_PROTO;
		for (int i = 0; i < n; i++)
			o[i] = arcs[i];
		return snmp_set_var_typed_value(vb, ASN_OBJECT_ID, o, (size_t)n * sizeof(oid)) == 0 ?
		       0 : E_PROTO;
	}
	default:
		return E_PROTO;
	}
}

/* A SET's value as mib.h sees it; OID values are encoded into obuf. */
static void vb_get(const netsnmp_variable_list *vb, struct mib_val *v, uint8_t *obuf, size_t ocap)
{
	memset(v, 0, sizeof(*v));
	v->type = vb->type;
	switch (vb->type) {
	case ASN_INTEGER:
		v->num = *vb->val.integer;
		break;
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
		v->num = (int64_t)(uint32_t)*vb->val.integer;
		break;
	case ASN_COUNTER64:
		v->u64 = ((uint64_t)(uint32_t)vb->val.counter64->high << 32) |
			 (uint32_t)vb->val.counter64->low;
		break;
	case ASN_OBJECT_ID: {
		uint32_t arcs[MIB_OID_MAX];
		size_t n = vb->val_len / sizeof(oid);
		struct wr w;

		wr_init(&w, obuf, ocap);
		if (oid_to_arcs(vb->val.objid, n, arcs) != 0 || ber_oid_put(&w, arcs, n) != 0 || w.err) {
			v->type = BER_NULL;     /* the model answers wrongValue/wrongType */
			break;
		}
		v->bytes = obuf;
		v->len = w.len;
		break;
	}
	default:
		v->bytes = vb->val.string;
		v->len = vb->val_len;
		break;
	}
}

static int in_subtree(const netsnmp_handler_registration *reg, const uint32_t *arcs, size_t n)
{
	if (n < reg->rootoid_len)
		return 0;
	for (size_t i = 0; i < reg->rootoid_len; i++)
		if (arcs[i] != reg->rootoid[i])
			return 0;
	return 1;
}

/* ------------------------------------------------------------ handler */

static void do_get(struct agent *a, netsnmp_agent_request_info *ri, netsnmp_request_info *r)
{
	uint32_t arcs[MIB_OID_MAX];
	struct mib_out *out = &a->out;
	int rc;

	if (oid_to_arcs(r->requestvb->name, r->requestvb->name_length, arcs) != 0)
		rc = MIB_NO_SUCH_OBJECT;
	else
		rc = mib_get(a->mib, arcs, r->requestvb->name_length, out);
	if (rc == MIB_GET_OK && vb_set(r->requestvb, &out->v) != 0)
		netsnmp_set_request_error(ri, r, SNMP_ERR_GENERR);
	else if (rc == MIB_NO_SUCH_INSTANCE)
		netsnmp_set_request_error(ri, r, SNMP_NOSUCHINSTANCE);
	else if (rc != MIB_GET_OK)
		netsnmp_set_request_error(ri, r, SNMP_NOSUCHOBJECT);
}

/*
 * GETNEXT (and GETBULK, through Net-SNMP's bulk-to-next helper).  An answer
 * outside this registration's subtree is left unset: Net-SNMP then asks the
 * next registered subtree, starting at its root, so the walk never jumps
 * over another registration.
 */
static void do_getnext(struct agent *a, const netsnmp_handler_registration *reg,
		       netsnmp_agent_request_info *ri, netsnmp_request_info *r)
{
	uint32_t arcs[MIB_OID_MAX], next[MIB_OID_MAX];
	oid o[MIB_OID_MAX];
	size_t n = r->requestvb->name_length, nn = 0;
	struct mib_out *out = &a->out;
	int rc;

	if (oid_to_arcs(r->requestvb->name, n, arcs) != 0)
		return;
	/*
	 * Net-SNMP passes a name that ended in an earlier subtree on to the
	 * next one unchanged: search from this subtree's root instead.
	 */
	if (snmp_oid_compare(r->requestvb->name, n, reg->rootoid, reg->rootoid_len) < 0) {
		n = reg->rootoid_len;
		for (size_t i = 0; i < n; i++)
			arcs[i] = (uint32_t)reg->rootoid[i];
	}
	/* "inclusive": the name itself counts if it is an instance. */
	if (r->inclusive && mib_get(a->mib, arcs, n, out) == MIB_GET_OK) {
		memcpy(next, arcs, n * sizeof(uint32_t));
		nn = n;
		rc = MIB_GET_OK;
	} else {
		rc = mib_getnext(a->mib, arcs, n, next, &nn, out);
	}
	if (rc != MIB_GET_OK || nn == 0 || nn > MIB_OID_MAX || !in_subtree(reg, next, nn))
		return;
	for (size_t i = 0; i < nn; i++)
		o[i] = next[i];
	snmp_set_var_objid(r->requestvb, o, nn);
	if (vb_set(r->requestvb, &out->v) != 0)
		netsnmp_set_request_error(ri, r, SNMP_ERR_GENERR);
}

static void do_reserve1(struct agent *a, netsnmp_agent_request_info *ri, netsnmp_request_info *reqs)
{
	netsnmp_request_info *r;
	uint8_t obuf[MIB_OID_MAX * 5];

	if (!pdu_writable(a, ri->asp->pdu)) {
		/* The read-only community: noAccess on every VarBind (RFC 3416 4.2.5). */
		if (a->ro_set_asp != ri->asp) {
			a->ro_set_asp = ri->asp;
			a->st.ro_set++;
		}
		for (r = reqs; r != NULL; r = r->next)
			if (!r->processed)
				netsnmp_set_request_error(ri, r, SNMP_ERR_NOACCESS);
		return;
	}
	/* One transaction for the whole PDU, though each subtree calls us. */
	if (!a->set_open || a->set_asp != ri->asp) {
		mib_set_begin(a->mib, MIB_BY_SNMP);
		a->set_open = 1;
		a->set_checked = 0;
		a->set_asp = ri->asp;
	}
	for (r = reqs; r != NULL; r = r->next) {
		uint32_t arcs[MIB_OID_MAX];
		struct mib_val v;
		const char *why = NULL;
		int rc;

		if (r->processed)
			continue;
		if (oid_to_arcs(r->requestvb->name, r->requestvb->name_length, arcs) != 0) {
			netsnmp_set_request_error(ri, r, SNMP_ERR_NOTWRITABLE);
			continue;
		}
		vb_get(r->requestvb, &v, obuf, sizeof(obuf));
		rc = mib_set_test(a->mib, arcs, r->requestvb->name_length, &v, &why);
		if (rc != MIB_E_OK) {
			log_debug("agent: SET refused: error %d (%s)", rc, why ? why : "-");
			netsnmp_set_request_error(ri, r, rc);
		}
	}
}

/*
 * RFC 3414 usmStats (1.3.6.1.6.3.15.1.1.1 .. 6): the requests USM refused,
 * counted by Net-SNMP's library as it refuses them (unknown users, wrong
 * digests, outside the time window, ...).  Read-only scalars; Net-SNMP's
 * scalar-group helper walks them, this answers the exact instance.
 */
static const oid usm_stats_oid[] = { 1, 3, 6, 1, 6, 3, 15, 1, 1 };
static const int usm_stats_by_subid[] = {
	0, STAT_USMSTATSUNSUPPORTEDSECLEVELS, STAT_USMSTATSNOTINTIMEWINDOWS,
	STAT_USMSTATSUNKNOWNUSERNAMES, STAT_USMSTATSUNKNOWNENGINEIDS, STAT_USMSTATSWRONGDIGESTS,
	STAT_USMSTATSDECRYPTIONERRORS,
};

static int usm_stats_handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
			     netsnmp_agent_request_info *ri, netsnmp_request_info *reqs)
{
	const size_t at = OID_LENGTH(usm_stats_oid);

	(void)h;
	(void)reg;
	if (ri->mode != MODE_GET)
		return SNMP_ERR_NOERROR;   /* SETs: the scalar-group helper answers notWritable */
	for (netsnmp_request_info *r = reqs; r != NULL; r = r->next) {
		const netsnmp_variable_list *vb = r->requestvb;
		u_long v;

		if (r->processed)
			continue;
		if (vb->name_length != at + 2 || vb->name[at] < 1 || vb->name[at] > 6 ||
		    vb->name[at + 1] != 0) {
			netsnmp_set_request_error(ri, r, SNMP_NOSUCHINSTANCE);
			continue;
		}
		v = (u_long)snmp_get_statistic(usm_stats_by_subid[vb->name[at]]);
		snmp_set_var_typed_value(r->requestvb, ASN_COUNTER, (const u_char *)&v, sizeof(v));
	}
	return SNMP_ERR_NOERROR;
}

static int handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
		   netsnmp_agent_request_info *ri, netsnmp_request_info *reqs)
{
	struct agent *a = h->myvoid;
	netsnmp_request_info *r;

	if (a == NULL || a != running)
		return SNMP_ERR_GENERR;
	switch (ri->mode) {
	case MODE_GET:
		for (r = reqs; r != NULL; r = r->next)
			if (!r->processed)
				do_get(a, ri, r);
		break;
	case MODE_GETNEXT:
		for (r = reqs; r != NULL; r = r->next)
			if (!r->processed)
				do_getnext(a, reg, ri, r);
		break;
	case MODE_SET_RESERVE1:
		do_reserve1(a, ri, reqs);
		break;
	case MODE_SET_RESERVE2:
		/*
		 * Every VarBind of the PDU is staged now (RESERVE1 ran for
		 * each subtree): the whole-transaction check, once, so an
		 * incomplete row is refused with its error instead of being
		 * dropped silently by the commit.
		 */
		if (a->set_open && a->set_asp == ri->asp && !a->set_checked) {
			const char *why = NULL;
			int rc;

			a->set_checked = 1;
			rc = mib_set_check(a->mib, NULL, NULL, &why);
			for (r = reqs; rc != MIB_E_OK && r != NULL; r = r->next) {
				if (r->processed)
					continue;
				log_debug("agent: SET inconsistent: error %d (%s)", rc, why ? why : "-");
				netsnmp_set_request_error(ri, r, rc);
				break;
			}
		}
		break;
	case MODE_SET_ACTION:
		break;      /* everything is staged and checked; commit cannot fail */
	case MODE_SET_COMMIT:
		if (a->set_open && a->set_asp == ri->asp) {
			a->set_open = 0;
			a->st.set_commits++;
			mib_set_commit(a->mib);
		}
		break;
	case MODE_SET_FREE:
	case MODE_SET_UNDO:
		if (a->set_open && a->set_asp == ri->asp) {
			a->set_open = 0;
			a->st.set_rejects++;
			mib_set_abort(a->mib);
		}
		break;
	default:
		break;
	}
	return SNMP_ERR_NOERROR;
}

/* ------------------------------------------------------------ SNMPv3 */

/*
 * USM's report sender, wrapped while an agent runs.  In AGENT_SNMP_USM
 * mode before a user exists the agent answers nothing but the engine-ID
 * discovery (RFC 3414 4, usmStatsUnknownEngineIDs); the other reports
 * (an unknownUserNames report to whoever guesses a name) are not sent
 * (the usmStats counters still count them).  Everything else, and every
 * other session (an INFORM's), goes to USM's own function.
 */
static SecmodHandleReport *usm_report_orig;

static void report_hook(struct session_list *slp, netsnmp_transport *t, netsnmp_session *s,
			int result, netsnmp_pdu *pdu)
{
	struct agent *a = running;

	if (a != NULL && t != NULL && t == a->transport && a->mode == AGENT_SNMP_USM &&
	    a->usm_name[0] == '\0' && result != SNMPERR_USM_UNKNOWNENGINEID) {
		a->reports_held++;
		return;
	}
	if (usm_report_orig != NULL)
		usm_report_orig(slp, t, s, result, pdu);
}

static void report_hook_set(int on)
{
	struct snmp_secmod_def *usm = find_sec_mod(SNMP_SEC_MODEL_USM);

	if (usm == NULL)
		return;
	if (on && usm->handle_report != report_hook) {
		usm_report_orig = usm->handle_report;
		usm->handle_report = report_hook;
	} else if (!on && usm->handle_report == report_hook) {
		usm->handle_report = usm_report_orig;
		usm_report_orig = NULL;
	}
}

void agent_engine_id_mac(const uint8_t mac[6], uint8_t out[AGENT_ENGINE_ID_LEN])
{
	/* RFC 3411 SnmpEngineID: the first bit 1, then the private enterprise
	 * number (4491, CableLabs), then format 3 (MAC address) and the MAC. */
	out[0] = 0x80;
	out[1] = 0x00;
	out[2] = (uint8_t)(4491u >> 8);
	out[3] = (uint8_t)(4491u & 0xffu);
	out[4] = 3;
	memcpy(out + 5, mac, 6);
}

static int mac_set(const uint8_t *mac)
{
	for (size_t i = 0; i < 6; i++)
		if (mac[i] != 0)
			return 1;
	return 0;
}

/*
 * Our snmpEngineID and snmpEngineBoots, in Net-SNMP's globals (read and
 * written only here).  snmpEngineTime runs from the library's start (5.9
 * exports no setter for it): eued's start is the engine's (re)boot, which
 * is when the caller adds one to the boots it keeps.  set_enginetime()
 * enters the engine in USM's LCD, without which every request to it would
 * get unknownEngineID.
 */
static int engine_setup(struct agent *a, const struct agent_config *c)
{
	const uint8_t *mac = mac_set(c->mac) ? c->mac : mac_set(a->mib->mac) ? a->mib->mac : NULL;
	char b[16];

	if (mac != NULL) {
		agent_engine_id_mac(mac, a->eid);
		a->eid_len = AGENT_ENGINE_ID_LEN;
		if (set_exact_engineID(a->eid, a->eid_len) != SNMPERR_SUCCESS)
			return E_NOMEM;
	} else {
		a->eid_len = snmpv3_get_engineID(a->eid, sizeof(a->eid));
		if (a->eid_len == 0)
			return E_IO;
	}
	if (c->engine_boots != 0) {
		snprintf(b, sizeof(b), "%lu", (unsigned long)c->engine_boots - 1u);
		engineBoots_conf("engineBoots", b);         /* sets boots to the value + 1 */
	}
	if (set_enginetime(a->eid, (u_int)a->eid_len, (u_int)snmpv3_local_snmpEngineBoots(),
			   (u_int)snmpv3_local_snmpEngineTime(), TRUE) != SNMPERR_SUCCESS)
		return E_NOMEM;
	return 0;
}

int agent_engine_id(const struct agent *a, uint8_t *buf, size_t cap, uint32_t *boots,
		    uint32_t *time_s)
{
	if (a == NULL || buf == NULL || cap < a->eid_len)
		return E_INVAL;
	memcpy(buf, a->eid, a->eid_len);
	if (boots != NULL)
		*boots = (uint32_t)snmpv3_local_snmpEngineBoots();
	if (time_s != NULL)
		*time_s = (uint32_t)snmpv3_local_snmpEngineTime();
	return (int)a->eid_len;
}

static void usm_user_drop(struct usmUser *u)
{
	usm_remove_user(u);
	usm_free_user(u);       /* zeroes the keys before freeing them */
}

/* Remove every entry of this name, whatever its engine ID. */
static void usm_drop_name(const char *name)
{
	struct usmUser *u = usm_get_userList(), *next;

	if (name[0] == '\0')
		return;
	for (; u != NULL; u = next) {
		next = u->next;
		if (u->name != NULL && strcmp(u->name, name) == 0)
			usm_user_drop(u);
	}
}

/*
 * Add (replacing) the entry (eid, name) with these protocols and localized
 * keys.  READONLY storage: nothing persists it, no SNMP write changes it.
 */
static int usm_user_put(const uint8_t *eid, size_t eid_len, const char *name,
			const oid *ap, size_t apn, const u_char *ak, size_t akl,
			const oid *pp, size_t ppn, const u_char *pk, size_t pkl)
{
	struct usmUser *u = usm_create_user(), *old;

	if (u == NULL)
		return E_NOMEM;
	SNMP_FREE(u->authProtocol);
	SNMP_FREE(u->privProtocol);
	u->engineID = netsnmp_memdup(eid, eid_len);
	u->engineIDLen = eid_len;
	u->name = strdup(name);
	u->secName = strdup(name);
	u->authProtocol = snmp_duplicate_objid(ap, apn);
	u->authProtocolLen = apn;
	u->privProtocol = snmp_duplicate_objid(pp, ppn);
	u->privProtocolLen = ppn;
	u->authKey = netsnmp_memdup(ak, akl);
	u->authKeyLen = akl;
	if (pkl > 0) {
		u->privKey = netsnmp_memdup(pk, pkl);
		u->privKeyLen = pkl;
	}
	u->userStorageType = ST_READONLY;
	u->userStatus = RS_ACTIVE;
	if (u->engineID == NULL || u->name == NULL || u->secName == NULL ||
	    u->authProtocol == NULL || u->privProtocol == NULL || u->authKey == NULL ||
	    (pkl > 0 && u->privKey == NULL)) {
		usm_free_user(u);
		return E_NOMEM;
	}
	if ((old = usm_get_user(eid, eid_len, name)) != NULL)
		usm_user_drop(old);
	usm_add_user(u);
	return 0;
}

/* Our user, under our engine ID (NULL: none installed). */
static struct usmUser *usm_own(const struct agent *a)
{
	if (a->usm_name[0] == '\0')
		return NULL;
	return usm_get_user(a->eid, a->eid_len, a->usm_name);
}

/*
 * The same user and keys under a receiver's engine ID, for an INFORM
 * (A1: the derived keys are the pair's localized keys, used as they are;
 * no RFC 3414 2.6 localisation to the receiver's engine).
 */
static int usm_put_for(const struct agent *a, const uint8_t *eid, size_t eid_len)
{
	const struct usmUser *u = usm_own(a);

	if (u == NULL)
		return E_STATE;
	if (eid_len == a->eid_len && memcmp(eid, a->eid, eid_len) == 0)
		return 0;
	return usm_user_put(eid, eid_len, a->usm_name, u->authProtocol, u->authProtocolLen,
			    u->authKey, u->authKeyLen, u->privProtocol, u->privProtocolLen,
			    u->privKey, u->privKeyLen);
}

int agent_set_usm_user(struct agent *a, const char *user, int auth_proto, const uint8_t *auth_key,
		       size_t auth_len, int priv_proto, const uint8_t *priv_key, size_t priv_len)
{
	const oid *ap, *pp;
	size_t apn, ppn, n;
	int rc;

	if (a == NULL || user == NULL || auth_key == NULL)
		return E_INVAL;
	n = strlen(user);
	if (n == 0 || n > AGENT_USM_USER_MAX)
		return E_INVAL;
	/* RFC 3414 6.2.1 / 7.2.1: the localized key is the digest's length. */
	if (auth_proto == AGENT_USM_AUTH_MD5 && auth_len == 16) {
		ap = usmHMACMD5AuthProtocol;
		apn = OID_LENGTH(usmHMACMD5AuthProtocol);
	} else if (auth_proto == AGENT_USM_AUTH_SHA && auth_len == 20) {
		ap = usmHMACSHA1AuthProtocol;
		apn = OID_LENGTH(usmHMACSHA1AuthProtocol);
	} else {
		return E_INVAL;
	}
	/* RFC 3414 8.1.1.1 (DES key + pre-IV) and RFC 3826 3.1.2.1: 16 bytes. */
	if (priv_proto == AGENT_USM_PRIV_NONE && priv_len == 0) {
		pp = usmNoPrivProtocol;
		ppn = OID_LENGTH(usmNoPrivProtocol);
	} else if (priv_proto == AGENT_USM_PRIV_DES && priv_len == 16 && priv_key != NULL) {
		pp = usmDESPrivProtocol;
		ppn = OID_LENGTH(usmDESPrivProtocol);
	} else if (priv_proto == AGENT_USM_PRIV_AES && priv_len == 16 && priv_key != NULL) {
		pp = usmAESPrivProtocol;
		ppn = OID_LENGTH(usmAESPrivProtocol);
	} else {
		return E_INVAL;
	}
	/* A rekey: the old keys go everywhere, under every engine ID. */
	usm_drop_name(a->usm_name);
	usm_drop_name(user);
	a->usm_name[0] = '\0';
	rc = usm_user_put(a->eid, a->eid_len, user, ap, apn, auth_key, auth_len, pp, ppn,
			  priv_key, priv_len);
	if (rc != 0)
		return rc;
	memcpy(a->usm_name, user, n + 1);
	a->usm_level = priv_proto == AGENT_USM_PRIV_NONE ? SNMP_SEC_LEVEL_AUTHNOPRIV :
		       SNMP_SEC_LEVEL_AUTHPRIV;
	/* INFORMs still retransmitting go on with the new keys. */
	for (const struct agent_notif *p = a->notifs; p != NULL; p = p->next)
		if (!p->done && p->ss != NULL && p->ss->version == SNMP_VERSION_3 &&
		    p->ss->securityEngineIDLen > 0 &&
		    usm_put_for(a, p->ss->securityEngineID, p->ss->securityEngineIDLen) != 0)
			log_warnx("agent: cannot rekey a pending notification");
	log_info("agent: USM user \"%s\" installed (%s, %s)", user,
		 auth_proto == AGENT_USM_AUTH_MD5 ? "HMAC-MD5-96" : "HMAC-SHA-96",
		 priv_proto == AGENT_USM_PRIV_DES ? "CBC-DES" :
		 priv_proto == AGENT_USM_PRIV_AES ? "CFB128-AES-128" : "no privacy");
	return 0;
}

/* ------------------------------------------------------------ start, stop */

static int transport_spec(const struct net_addr *ad, char *buf, size_t cap)
{
	return nsloop_transport_spec(ad, AGENT_PORT_DEFAULT, buf, cap);
}

static int copy_community(char *dst, const char *src, const char *def)
{
	if (src == NULL)
		src = def;
	if (strlen(src) > COMMUNITY_MAX || src[0] == '\0')
		return E_INVAL;
	strcpy(dst, src);
	return 0;
}

static void reap_cb(void *arg);

int agent_start(struct agent **ap, struct loop *l, struct mib *m, const struct agent_config *c)
{
	struct agent *a;
	netsnmp_transport *t;
	char spec[96];
	int rc;

	if (ap == NULL || l == NULL || m == NULL || c == NULL)
		return E_INVAL;
	*ap = NULL;
	if (running != NULL)
		return E_STATE;
	a = calloc(1, sizeof(*a));
	if (a == NULL)
		return E_NOMEM;
	a->loop = l;
	a->mib = m;
	a->listen = c->listen;
	a->mode = c->mode;
	a->nsap = -1;
	nsloop_init(&a->ns, l);
	loop_timer_init(&a->reap, reap_cb, a);
	rc = c->mode == AGENT_SNMP_V2C || c->mode == AGENT_SNMP_USM || c->mode == AGENT_SNMP_BOTH ?
	     0 : E_INVAL;
	if (rc != 0 ||
	    (rc = copy_community(a->ro, c->ro_community, AGENT_RO_COMMUNITY_DEFAULT)) != 0 ||
	    (rc = copy_community(a->rw, c->rw_community, AGENT_RW_COMMUNITY_DEFAULT)) != 0 ||
	    (rc = transport_spec(&c->listen, spec, sizeof(spec))) != 0) {
		free(a);
		return rc;
	}
	if ((rc = nsloop_lib_init("eued")) != 0) {
		free(a);
		return rc;
	}
	running = a;
	generation++;
	a->start_ms = clock_mono_ms();
	agent_set_managers(a, c->managers, c->n_managers);
	for (size_t i = 0; i < N_USM_STATS; i++)
		a->usm_base[i] = snmp_get_statistic(usm_stat_ids[i]);
	if ((rc = engine_setup(a, c)) != 0)
		goto fail;

	t = netsnmp_transport_open_server("snmp", spec);
	if (t == NULL) {
		log_warnx("agent: cannot listen on %s", spec);
		rc = E_IO;
		goto fail;
	}
	a->nsap = netsnmp_register_agent_nsap(t);
	if (a->nsap <= 0) {
		rc = E_IO;
		goto fail;
	}
	a->transport = t;
	report_hook_set(1);
	for (size_t i = 0; i < N_SUBTREES; i++) {
		netsnmp_mib_handler *h = netsnmp_create_handler("eued", handler);

		if (h == NULL) {
			rc = E_NOMEM;
			goto fail;
		}
		h->myvoid = a;
		/* No HANDLER_CAN_GETBULK: Net-SNMP inserts its bulk-to-next helper. */
		a->regs[i] = netsnmp_handler_registration_create("eued", h, subtrees[i],
								 subtree_len[i], HANDLER_CAN_RWRITE);
		if (a->regs[i] == NULL) {
			netsnmp_handler_free(h);
			rc = E_NOMEM;
			goto fail;
		}
		if (netsnmp_register_handler(a->regs[i]) != MIB_REGISTERED_OK) {
			a->regs[i] = NULL;      /* freed by the failed registration */
			rc = E_EXIST;
			goto fail;
		}
	}
	a->usm_reg = netsnmp_create_handler_registration("eued-usmStats", usm_stats_handler,
							 usm_stats_oid, OID_LENGTH(usm_stats_oid),
							 HANDLER_CAN_RONLY);
	if (a->usm_reg == NULL) {
		rc = E_NOMEM;
		goto fail;
	}
	if (netsnmp_register_scalar_group(a->usm_reg, 1, 6) != MIB_REGISTERED_OK) {
		a->usm_reg = NULL;      /* freed by the failed registration */
		rc = E_EXIST;
		goto fail;
	}
	acm_install(a);
	nsloop_sync(&a->ns);
	log_info("agent: listening on %s", spec);
	*ap = a;
	return 0;
fail:
	agent_stop(a);
	return rc;
}

static void notif_close(struct agent *a, struct agent_notif *n)
{
	(void)a;
	if (n->pdu != NULL)
		snmp_free_pdu(n->pdu);
	n->pdu = NULL;
	if (n->ss != NULL)
		snmp_close(n->ss);
	n->ss = NULL;
}

void agent_stop(struct agent *a)
{
	if (a == NULL)
		return;
	acm_remove(a);
	while (a->notifs != NULL) {
		struct agent_notif *n = a->notifs;

		a->notifs = n->next;
		notif_close(a, n);
		free(n);
	}
	usm_drop_name(a->usm_name);
	report_hook_set(0);
	if (a->set_open)
		mib_set_abort(a->mib);
	for (size_t i = 0; i < N_SUBTREES; i++)
		if (a->regs[i] != NULL)
			netsnmp_unregister_handler(a->regs[i]);
	if (a->usm_reg != NULL)
		netsnmp_unregister_handler(a->usm_reg);
	if (a->nsap > 0)
		netsnmp_deregister_agent_nsap(a->nsap);
	/* Whatever Net-SNMP still has open (its callback pipe) stays its own. */
	nsloop_stop(&a->ns);
	loop_timer_cancel(a->loop, &a->reap);
	if (running == a)
		running = NULL;
	free(a);
}

void agent_set_managers(struct agent *a, const struct net_addr *m, unsigned n)
{
	if (a == NULL)
		return;
	if (n > AGENT_MANAGERS_MAX) {
		log_warnx("agent: %u SNMP managers, only %u kept", n, AGENT_MANAGERS_MAX);
		n = AGENT_MANAGERS_MAX;
	}
	a->n_managers = m != NULL ? n : 0;
	for (unsigned i = 0; i < a->n_managers; i++)
		a->managers[i] = m[i];
}

void agent_get_stats(const struct agent *a, struct agent_stats *s)
{
	if (a == NULL || s == NULL)
		return;
	*s = a->st;
	s->usm_reports_held = a->reports_held;
	{
		unsigned long d[N_USM_STATS];

		for (size_t i = 0; i < N_USM_STATS; i++)
			d[i] = (unsigned long)(snmp_get_statistic(usm_stat_ids[i]) -
					       a->usm_base[i]);
		s->usm_discovery = d[0];
		s->usm_unknown_user = d[1];
		s->usm_wrong_digest = d[2];
		s->usm_decrypt_errors = d[3];
		s->usm_not_in_time = d[4];
		s->usm_bad_level = d[5];
		s->parse_errors = d[6];
	}
}

/* ------------------------------------------------------------ notifications */

unsigned agent_notify_pending(const struct agent *a)
{
	unsigned n = 0;

	if (a == NULL)
		return 0;
	for (const struct agent_notif *p = a->notifs; p != NULL; p = p->next)
		n++;
	return n;
}

static void notif_finish(struct agent_notif *n, int result)
{
	if (n->done)
		return;
	n->done = 1;
	n->result = result;
	loop_timer_arm(n->a->loop, &n->a->reap, 0);
}

/*
 * Net-SNMP's INFORM callback; the session is closed later (reap_cb), not
 * here, nor is anything sent from here.  For SNMPv3 a REPORT comes as
 * RECEIVED_MESSAGE, then (unless notInTimeWindow, which Net-SNMP answers
 * by resending with the receiver's time) once more as SEC_ERROR; after
 * both Net-SNMP copies the report's engine ID into the session, which is
 * how the discovery probe ends (PH_PROBED: reap_cb sends the INFORM).
 */
static int inform_cb(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic)
{
	struct agent_notif *n = magic;

	(void)s, (void)reqid;
	switch (op) {
	case NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE:
		if (pdu == NULL) {
			notif_finish(n, E_PROTO);
		} else if (n->phase == PH_PROBE) {
			if (pdu->command == SNMP_MSG_REPORT && pdu->securityEngineIDLen > 0) {
				n->phase = PH_PROBED;
				loop_timer_arm(n->a->loop, &n->a->reap, 0);
			} else {
				notif_finish(n, E_PROTO);
			}
		} else if (pdu->command == SNMP_MSG_RESPONSE) {
			notif_finish(n, 1);
		} else if (pdu->command == SNMP_MSG_REPORT &&
			   snmpv3_get_report_type(pdu) == SNMPERR_NOT_IN_TIME_WINDOW) {
			break;  /* Net-SNMP resends with the receiver's boots and time */
		} else {
			notif_finish(n, pdu->command == SNMP_MSG_REPORT ? E_AUTH : E_PROTO);
		}
		break;
	case NETSNMP_CALLBACK_OP_SEC_ERROR:
		if (n->phase == PH_SEND)
			notif_finish(n, E_AUTH);
		break;
	case NETSNMP_CALLBACK_OP_TIMED_OUT:
		notif_finish(n, 0);
		break;
	case NETSNMP_CALLBACK_OP_RESEND:       /* a retransmission: still waiting */
	case NETSNMP_CALLBACK_OP_CONNECT:
		break;
	default:
		notif_finish(n, E_IO);
		break;
	}
	return 1;
}

/* The receiver's engine ID is known now: its user entry, then the INFORM. */
static void notif_send_held(struct agent *a, struct agent_notif *n)
{
	netsnmp_session *sp = n->ss;
	int rc;

	n->phase = PH_SEND;
	if (sp == NULL || sp->securityEngineIDLen == 0) {
		notif_finish(n, E_PROTO);
		return;
	}
	if ((rc = usm_put_for(a, sp->securityEngineID, sp->securityEngineIDLen)) != 0) {
		notif_finish(n, rc);
		return;
	}
	if (snmp_async_send(sp, n->pdu, inform_cb, n) == 0) {
		notif_finish(n, E_IO);  /* the PDU is still ours: notif_close() frees it */
		return;
	}
	n->pdu = NULL;
	log_debug("agent: %s notification: receiver's engine discovered, INFORM sent",
		  notify_kind_name(n->kind));
}

/*
 * Close the finished notifications, then tell their owners, one at a time:
 * a callback may stop the agent (a re-provisioning), after which nothing of
 * it may be touched.
 */
static void reap_cb(void *arg)
{
	struct agent *a = arg;

	for (struct agent_notif *p = a->notifs; p != NULL; p = p->next)
		if (!p->done && p->phase == PH_PROBED)
			notif_send_held(a, p);
	nsloop_sync(&a->ns);
	for (;;) {
		struct agent_notif **pp = &a->notifs, *n;
		unsigned long gen = generation;
		agent_notify_fn *cb;
		void *cbarg;
		int result;

		while (*pp != NULL && !(*pp)->done)
			pp = &(*pp)->next;
		if ((n = *pp) == NULL)
			break;
		*pp = n->next;
		notif_close(a, n);
		nsloop_sync(&a->ns);
		result = n->result;
		if (result == 1)
			a->st.notify_acked++;
		else if (result == 0)
			a->st.notify_timeouts++;
		else
			a->st.notify_errors++;
		log_info("agent: %s notification %s", notify_kind_name(n->kind),
			 result == 1 ? "delivered" : result == 0 ? "timed out" : err_str(result));
		cb = n->cb;
		cbarg = n->arg;
		free(n);
		if (cb != NULL)
			cb(cbarg, result);
		if (running != a || generation != gen)
			return;     /* stopped (and maybe restarted) by the callback */
	}
}

/*
 * RFC 3584 3.2 (SNMPv2 notification -> SNMPv1 trap): the enterprise is the
 * notification OID without its last arc (and without the 0 before it), the
 * specific trap the last arc, generic trap enterpriseSpecific(6).
 */
static int pdu_v1(netsnmp_pdu *pdu, const struct notify_msg *msg, const struct net_addr *src,
		  uint32_t uptime_cs)
{
	size_t n = msg->trap_oid_n;
	oid ent[MIB_OID_MAX];

	if (n < 3)
		return E_INVAL;
	pdu->trap_type = SNMP_TRAP_ENTERPRISESPECIFIC;
	pdu->specific_type = (long)msg->trap_oid[n - 1];
	n -= msg->trap_oid[n - 2] == 0 ? 2 : 1;
	for (size_t i = 0; i < n; i++)
		ent[i] = msg->trap_oid[i];
	pdu->enterprise = netsnmp_memdup(ent, n * sizeof(oid));
	if (pdu->enterprise == NULL)
		return E_NOMEM;
	pdu->enterprise_length = n;
	pdu->time = uptime_cs;
	if (src->family == AF_INET)
		memcpy(pdu->agent_addr, src->addr, 4);
	return 0;
}

static int pdu_fill(netsnmp_pdu *pdu, const struct notify_msg *msg, size_t first)
{
	for (size_t i = first; i < msg->n; i++) {
		const struct notify_vb *vb = &msg->vb[i];
		netsnmp_variable_list *v;
		oid name[MIB_OID_MAX];

		for (size_t j = 0; j < vb->n; j++)
			name[j] = vb->oid[j];
		v = snmp_varlist_add_variable(&pdu->variables, name, vb->n, ASN_NULL, NULL, 0);
		if (v == NULL || vb_set(v, &vb->val.v) != 0)
			return E_PROTO;
	}
	return 0;
}

/* The RFC 3414 4 discovery probe: an empty noAuthNoPriv GET to no engine. */
static netsnmp_pdu *probe_pdu(void)
{
	netsnmp_pdu *p = snmp_pdu_create(SNMP_MSG_GET);

	if (p == NULL)
		return NULL;
	p->version = SNMP_VERSION_3;
	p->securityModel = SNMP_SEC_MODEL_USM;
	p->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	p->securityName = strdup("");
	p->securityNameLen = 0;
	if (p->securityName == NULL) {
		snmp_free_pdu(p);
		return NULL;
	}
	return p;
}

/*
 * The session's SNMPv3 fields: our user at its level; a trap from our
 * engine (we are authoritative), an INFORM to d->engine_id or, without
 * it, to whatever the probe discovers.  Net-SNMP copies what s points to.
 */
static int session_v3(struct agent *a, netsnmp_session *s, const struct notify_dest *d, int cmd)
{
	const struct usmUser *u = usm_own(a);
	int rc;

	if (u == NULL)
		return E_STATE;
	s->version = SNMP_VERSION_3;
	s->securityModel = SNMP_SEC_MODEL_USM;
	s->securityName = a->usm_name;
	s->securityNameLen = strlen(a->usm_name);
	s->securityLevel = a->usm_level;
	s->securityAuthProto = u->authProtocol;
	s->securityAuthProtoLen = u->authProtocolLen;
	s->securityPrivProto = u->privProtocol;
	s->securityPrivProtoLen = u->privProtocolLen;
	if (cmd != SNMP_MSG_INFORM) {
		s->securityEngineID = a->eid;
		s->securityEngineIDLen = a->eid_len;
		s->contextEngineID = a->eid;
		s->contextEngineIDLen = a->eid_len;
	} else if (d->engine_id_len > 0) {
		if ((rc = usm_put_for(a, d->engine_id, d->engine_id_len)) != 0)
			return rc;
		s->securityEngineID = (u_char *)(uintptr_t)d->engine_id;
		s->securityEngineIDLen = d->engine_id_len;
	}
	return 0;
}

int agent_notify(struct agent *a, enum notify_kind k, const struct notify_dest *d,
		 agent_notify_fn *cb, void *arg)
{
	struct notify_msg *msg = NULL;
	struct agent_notif *n = NULL;
	netsnmp_session s;
	netsnmp_pdu *pdu = NULL, *probe = NULL;
	char peer[96], local[64];
	struct net_addr to;
	uint32_t uptime_cs;
	int rc, cmd, v3;

	if (a == NULL || d == NULL)
		return E_INVAL;
	if ((rc = notify_dest_check(d)) != 0)
		return rc;
	v3 = d->type == NOTIFY_V3_TRAP || d->type == NOTIFY_V3_INFORM;
	if (v3 && usm_own(a) == NULL)
		return E_STATE;         /* no USM user (yet): eUE-14 installs it */
	to = d->addr;
	if (to.port == 0)
		to.port = NOTIFY_PORT_DEFAULT;
	if ((rc = transport_spec(&to, peer, sizeof(peer))) != 0)
		return rc;
	msg = calloc(1, sizeof(*msg));
	n = calloc(1, sizeof(*n));
	if (msg == NULL || n == NULL) {
		rc = E_NOMEM;
		goto fail;
	}
	uptime_cs = (uint32_t)((clock_mono_ms() - a->start_ms) / 10u);
	if ((rc = notify_build(a->mib, k, uptime_cs, msg)) != 0)
		goto fail;
	cmd = d->type == NOTIFY_V2C_INFORM || d->type == NOTIFY_V3_INFORM ? SNMP_MSG_INFORM :
	      d->type == NOTIFY_V1_TRAP ? SNMP_MSG_TRAP : SNMP_MSG_TRAP2;
	pdu = snmp_pdu_create(cmd);
	if (pdu == NULL) {
		rc = E_NOMEM;
		goto fail;
	}
	if (cmd == SNMP_MSG_TRAP) {
		/* vb[0] and vb[1] become the v1 header (time-stamp, enterprise). */
		if ((rc = pdu_v1(pdu, msg, &a->listen, (uint32_t)msg->vb[0].val.v.num)) != 0 ||
		    (rc = pdu_fill(pdu, msg, 2)) != 0)
			goto fail;
	} else if ((rc = pdu_fill(pdu, msg, 0)) != 0) {
		goto fail;
	}

	snmp_sess_init(&s);
	s.peername = peer;
	/* From the eUE's own address: eCM and eUE share one network stack. */
	s.localname = local;
	net_ip_str(&a->listen, local, sizeof(local));
	if (v3) {
		if ((rc = session_v3(a, &s, d, cmd)) != 0)
			goto fail;
	} else {
		s.version = cmd == SNMP_MSG_TRAP ? SNMP_VERSION_1 : SNMP_VERSION_2c;
		s.community = (u_char *)(uintptr_t)(d->community ? d->community :
						    NOTIFY_COMMUNITY_DEFAULT);
		s.community_len = strlen((const char *)s.community);
	}
	/* Net-SNMP retransmits after the same timeout each time, like
	 * snmpTargetAddrTimeout / snmpTargetAddrRetryCount (RFC 3413). */
	if (d->timeout_ms != 0) {
		s.timeout = (long)d->timeout_ms * 1000L;
		s.retries = d->retries > 255 ? 255 : (int)d->retries;
	} else {
		s.timeout = (long)NOTIFY_TIMEOUT_MS_DEFAULT * 1000L;
		s.retries = (int)NOTIFY_RETRIES_DEFAULT;
	}
	s.callback = inform_cb;
	s.callback_magic = n;
	n->a = a;
	n->kind = k;
	n->cb = cb;
	n->arg = arg;
	n->ss = snmp_open(&s);  /* snmp_sess_init's DONT_PROBE: no blocking discovery here */
	if (n->ss == NULL) {
		log_warnx("agent: cannot open a session to %s", peer);
		rc = E_IO;
		goto fail;
	}
	if (cmd == SNMP_MSG_INFORM && n->ss->securityEngineIDLen == 0 && v3) {
		/*
		 * Discovery first (RFC 3414 4).  DONT_PROBE again: snmp_open
		 * cleared it, and Net-SNMP's own "delayed probe" would wait
		 * for the answer in select().
		 */
		n->ss->flags |= SNMP_FLAGS_DONT_PROBE;
		probe = probe_pdu();
		if (probe == NULL) {
			rc = E_NOMEM;
			goto fail_close;
		}
		n->pdu = pdu;
		pdu = NULL;
		n->phase = PH_PROBE;
		if (snmp_async_send(n->ss, probe, inform_cb, n) == 0) {
			snmp_free_pdu(probe);
			rc = E_IO;
			goto fail_close;
		}
	} else if (cmd == SNMP_MSG_INFORM) {
		if (snmp_async_send(n->ss, pdu, inform_cb, n) == 0) {
			rc = E_IO;
			goto fail_close;
		}
	} else {
		if (snmp_send(n->ss, pdu) == 0) {
			rc = E_IO;
			goto fail_close;
		}
		notif_finish(n, 1);     /* a trap has no answer to wait for */
	}
	pdu = NULL;                     /* Net-SNMP owns it now (or n->pdu holds it) */
	n->next = a->notifs;
	a->notifs = n;
	a->st.notify_sent++;
	log_info("agent: %s notification (type %u) to %s", notify_kind_name(k), d->type, peer);
	free(msg);
	nsloop_sync(&a->ns);
	return 0;
fail_close:
	if (n->pdu != NULL)
		snmp_free_pdu(n->pdu);
	snmp_close(n->ss);
	nsloop_sync(&a->ns);
fail:
	if (pdu != NULL)
		snmp_free_pdu(pdu);
	free(msg);
	free(n);
	if (rc == E_IO)
		a->st.notify_errors++;
	return rc;
}
