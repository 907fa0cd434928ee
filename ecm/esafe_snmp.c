/*
 * esafe_snmp.c: the Net-SNMP adapter of ecmd's ESAFE-MIB view
 * (esafe_snmp.h).  No logic of its own: OIDs in, ecm/esafe.h's values out.
 * Left out on boards without libraries (the Makefile's without_ext).
 */
#include <stdlib.h>
#include <string.h>

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
#include <net-snmp/agent/agent_callbacks.h>
#pragma GCC diagnostic pop

#include "ecm/esafe_snmp.h"
#include "platform/log.h"
#include "snmp-mibs/nsloop.h"

#define COMMUNITY_MAX 64

/* esafeMib: the whole module, so a walk of it ends at our last column. */
static const oid esafe_root[] = { 1, 3, 6, 1, 4, 1, 4491, 2, 1, 14 };

struct esafe_snmp {
	struct nsloop ns;
	const struct esafe *model;
	char community[COMMUNITY_MAX + 1];
	int nsap;
	netsnmp_handler_registration *reg;
	struct esafe_snmp_stats st;
};

/* Net-SNMP's registry and sessions are process-wide: so is the agent. */
static struct esafe_snmp *running;

/* ------------------------------------------------------------ access */

/*
 * Access control (nsloop_acm_take): SNMPv2c with our community reaches the
 * handler; anything else is dropped without a response (a non-zero
 * errorcode at the initial check: RFC 3584 5.2.1) and counted.
 */
static int acm_cb(int major, int minor, void *server, void *client)
{
	struct view_parameters *vp = server;
	struct esafe_snmp *s = client;
	int ok;

	(void)major;
	if (vp == NULL || vp->pdu == NULL || s != running)
		return 0;
	ok = vp->pdu->version == SNMP_VERSION_2c &&
	     nsloop_community_eq(vp->pdu->community, vp->pdu->community_len, s->community);
	vp->errorcode = ok ? VACM_SUCCESS : VACM_NOSECNAME;
	if (minor == SNMPD_CALLBACK_ACM_CHECK_INITIAL) {
		if (ok) {
			s->st.requests++;
		} else {
			s->st.dropped++;
			snmp_increment_statistic(STAT_SNMPINBADCOMMUNITYNAMES);
		}
	}
	return 0;
}

/* ------------------------------------------------------------ values */

static int to_arcs(const oid *o, size_t n, uint32_t *arcs)
{
	if (n > ESAFE_OID_MAX)
		return E_RANGE;
	for (size_t i = 0; i < n; i++) {
		if (o[i] != (uint32_t)o[i])    /* oid is 64 bits on amd64, 32 on armhf */
			return E_RANGE;
		arcs[i] = (uint32_t)o[i];
	}
	return 0;
}

/*
 * For GETNEXT: the first ESAFE_OID_MAX arcs, each clamped to 32 bits.  Every
 * instance has ESAFE_OID_MAX arcs below 2^32, so the first instance after
 * the clamped prefix is the first after the whole name.
 */
static size_t to_arcs_clamped(const oid *o, size_t n, uint32_t *arcs)
{
	if (n > ESAFE_OID_MAX)
		n = ESAFE_OID_MAX;
	for (size_t i = 0; i < n; i++)
		arcs[i] = o[i] > UINT32_MAX ? UINT32_MAX : (uint32_t)o[i];
	return n;
}

static void vb_put(netsnmp_variable_list *vb, const struct esafe_val *v)
{
	long i = (long)v->num;
	u_long u = v->num;

	switch (v->type) {
	case ESAFE_T_INT:
		snmp_set_var_typed_value(vb, ASN_INTEGER, (const u_char *)&i, sizeof(i));
		break;
	case ESAFE_T_UNSIGNED:
		snmp_set_var_typed_value(vb, ASN_GAUGE, (const u_char *)&u, sizeof(u));
		break;
	case ESAFE_T_OCTETS:
		snmp_set_var_typed_value(vb, ASN_OCTET_STR, v->bytes ? v->bytes : (const u_char *)"", v->len);
		break;
	}
}

static int handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
		   netsnmp_agent_request_info *ri, netsnmp_request_info *reqs)
{
	struct esafe_snmp *s = h->myvoid;

	if (s == NULL || s != running)
		return SNMP_ERR_GENERR;
	for (netsnmp_request_info *r = reqs; r != NULL; r = r->next) {
		netsnmp_variable_list *vb = r->requestvb;
		uint32_t arcs[ESAFE_OID_MAX];
		size_t n = vb->name_length;
		struct esafe_val v;
		oid o[ESAFE_OID_MAX];

		if (r->processed)
			continue;
		if (ri->mode == MODE_GET) {
			if (to_arcs(vb->name, n, arcs) != 0 || esafe_get(s->model, arcs, n, &v) != 0)
				netsnmp_set_request_error(ri, r, SNMP_NOSUCHINSTANCE);
			else
				vb_put(vb, &v);
		} else if (ri->mode == MODE_GETNEXT) {
			/* a name from an earlier subtree: search from our root */
			if (snmp_oid_compare(vb->name, n, reg->rootoid, reg->rootoid_len) < 0) {
				n = reg->rootoid_len;
				for (size_t i = 0; i < n; i++)
					arcs[i] = (uint32_t)reg->rootoid[i];
			} else {
				n = to_arcs_clamped(vb->name, n, arcs);
			}
			if ((r->inclusive && n == vb->name_length && esafe_get(s->model, arcs, n, &v) == 0) ||
			    esafe_getnext(s->model, arcs, n, &v) == 0) {
				for (size_t i = 0; i < v.oid_len; i++)
					o[i] = v.oid[i];
				snmp_set_var_objid(vb, o, v.oid_len);
				vb_put(vb, &v);
			}
			/* else past our last instance: Net-SNMP goes on (endOfMibView) */
		}
		/* SETs: a read-only registration, Net-SNMP answers notWritable */
	}
	return SNMP_ERR_NOERROR;
}

/* ------------------------------------------------------------ start / stop */

int esafe_snmp_start(struct esafe_snmp **sp, struct loop *l, const struct esafe *m,
		     const struct net_addr *listen, const char *community)
{
	struct esafe_snmp *s;
	netsnmp_transport *t;
	netsnmp_mib_handler *h;
	char spec[96];
	int rc;

	if (sp == NULL || l == NULL || m == NULL || listen == NULL || community == NULL ||
	    community[0] == '\0' || strlen(community) > COMMUNITY_MAX)
		return E_INVAL;
	*sp = NULL;
	if (running != NULL)
		return E_STATE;
	if ((rc = nsloop_transport_spec(listen, 161u, spec, sizeof(spec))) != 0)
		return rc;
	if ((rc = nsloop_lib_init("ecmd")) != 0)
		return rc;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return E_NOMEM;
	nsloop_init(&s->ns, l);
	s->model = m;
	s->nsap = -1;
	strcpy(s->community, community);
	running = s;
	t = netsnmp_transport_open_server("snmp", spec);
	if (t == NULL) {
		log_warnx("esafe: cannot listen on %s", spec);
		rc = E_IO;
		goto fail;
	}
	s->nsap = netsnmp_register_agent_nsap(t);
	if (s->nsap <= 0) {
		rc = E_IO;
		goto fail;
	}
	h = netsnmp_create_handler("ecmd-esafe", handler);
	if (h == NULL) {
		rc = E_NOMEM;
		goto fail;
	}
	h->myvoid = s;
	/* No HANDLER_CAN_GETBULK: Net-SNMP inserts its bulk-to-next helper. */
	s->reg = netsnmp_handler_registration_create("ecmd-esafe", h, esafe_root, OID_LENGTH(esafe_root),
						     HANDLER_CAN_RONLY);
	if (s->reg == NULL) {
		netsnmp_handler_free(h);
		rc = E_NOMEM;
		goto fail;
	}
	if (netsnmp_register_handler(s->reg) != MIB_REGISTERED_OK) {
		s->reg = NULL;      /* freed by the failed registration */
		rc = E_EXIST;
		goto fail;
	}
	nsloop_acm_take(acm_cb, s);
	nsloop_sync(&s->ns);
	log_info("esafe: SNMP view on %s", spec);
	*sp = s;
	return 0;
fail:
	esafe_snmp_stop(s);
	return rc;
}

void esafe_snmp_stop(struct esafe_snmp *s)
{
	if (s == NULL)
		return;
	nsloop_acm_release(acm_cb, s);
	if (s->reg != NULL)
		netsnmp_unregister_handler(s->reg);
	if (s->nsap > 0)
		netsnmp_deregister_agent_nsap(s->nsap);
	nsloop_stop(&s->ns);
	if (running == s)
		running = NULL;
	free(s);
}

void esafe_snmp_stats(const struct esafe_snmp *s, struct esafe_snmp_stats *st)
{
	*st = s->st;
}
