/*
 * notify.c: the contents of the enrollment (eUE-15) and provisioning-status
 * (eUE-25) notifications, read from the model through mib.h.  Sends
 * nothing: snmp-mibs/agent.c turns a struct notify_msg into a PDU.  May not
 * include Net-SNMP headers.
 */
#include <string.h>
#include <sys/socket.h>

#include "platform/err.h"
#include "snmp-mibs/notify.h"
#include "tlv/wr.h"

#define ARCS(...) ((const uint32_t[]){ __VA_ARGS__ }), \
	(sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t))

/*
 * Every OID this file uses, in one table.  Sources: the device's MIB family
 * is RFC 4682 PKTC-IETF-MTA-MIB, mib-2.140 (snmp-mibs/mibs/PKTC-IETF-MTA-MIB.txt
 * and reference/mibs.md sections 1 and 3, OIDs verified there with smidump);
 * sysUpTime, sysDescr and snmpTrapOID from SNMPv2-MIB (RFC 3418); ifPhysAddress
 * from IF-MIB (RFC 2863); pktcEUEDevProvisioningStatus from this project's
 * EUE-PROV-LOCAL-MIB (unregistered playpen arc, see that file).
 */
enum notify_oid {
	OID_SYS_UPTIME,         /* sysUpTime.0 */
	OID_TRAP_OID,           /* snmpTrapOID.0 */
	OID_ENROLLMENT,         /* pktcMtaDevProvisioningEnrollment (notification) */
	OID_STATUS,             /* pktcMtaDevProvisioningStatus (notification) */
	OID_SYS_DESCR,          /* sysDescr.0 */
	OID_SW_CURRENT_VERS,    /* pktcMtaDevSwCurrentVers.0 */
	OID_TYPE_IDENTIFIER,    /* pktcMtaDevTypeIdentifier.0 */
	OID_IF_PHYS_ADDRESS,    /* ifPhysAddress.1 (the MTA's interface, ifIndex 1) */
	OID_CORRELATION_ID,     /* pktcMtaDevCorrelationId.0 */
	OID_PROV_STATE,         /* pktcMtaDevProvisioningState.0 */
	OID_EUE_PROV_STATUS,    /* pktcEUEDevProvisioningStatus.0 (eUE-25's name) */
	OID_COUNT
};

struct oid_def {
	const uint32_t *arcs;
	size_t n;
};

static const struct oid_def oids[] = {
	[OID_SYS_UPTIME] = { ARCS(1, 3, 6, 1, 2, 1, 1, 3, 0) },
	[OID_TRAP_OID] = { ARCS(1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0) },
	[OID_ENROLLMENT] = { ARCS(1, 3, 6, 1, 2, 1, 140, 0, 1) },
	[OID_STATUS] = { ARCS(1, 3, 6, 1, 2, 1, 140, 0, 2) },
	[OID_SYS_DESCR] = { ARCS(1, 3, 6, 1, 2, 1, 1, 1, 0) },
	[OID_SW_CURRENT_VERS] = { ARCS(1, 3, 6, 1, 2, 1, 140, 1, 1, 3, 0) },
	[OID_TYPE_IDENTIFIER] = { ARCS(1, 3, 6, 1, 2, 1, 140, 1, 1, 7, 0) },
	[OID_IF_PHYS_ADDRESS] = { ARCS(1, 3, 6, 1, 2, 1, 2, 2, 1, 6, 1) },
	[OID_CORRELATION_ID] = { ARCS(1, 3, 6, 1, 2, 1, 140, 1, 3, 3, 0) },
	[OID_PROV_STATE] = { ARCS(1, 3, 6, 1, 2, 1, 140, 1, 1, 8, 0) },
	[OID_EUE_PROV_STATUS] = { ARCS(1, 3, 6, 1, 4, 1, 8072, 9999, 4491, 1, 1, 0) },
};
_Static_assert(sizeof(oids) / sizeof(oids[0]) == OID_COUNT, "one OID per enum notify_oid");

/* An object of the notification; optional ones are left out when absent. */
struct notify_obj {
	enum notify_oid oid;
	int optional;
};

struct notify_def {
	const char *name;
	enum notify_oid trap;
	const struct notify_obj *objs;
	size_t n_objs;
};

/*
 * OBJECTS in RFC 4682's order (reference/mibs.md section 1): the enrollment
 * carries sysDescr, pktcMtaDevSwCurrentVers, pktcMtaDevTypeIdentifier,
 * ifPhysAddress, pktcMtaDevCorrelationId; the status carries ifPhysAddress,
 * pktcMtaDevCorrelationId, pktcMtaDevProvisioningState.  ifPhysAddress.1
 * (the eUE's MAC; mib.c serves that one ifTable cell) stays optional, so a
 * model without it still notifies.  eUE-25 says the INFORM "MUST contain the
 * pktcEUEDevProvisioningStatus MIB object", which no public MIB defines;
 * it follows as an extra VarBind (RFC 3416 4.2.6 allows them) when the
 * model serves it.
 */
static const struct notify_obj enrollment_objs[] = {
	{ OID_SYS_DESCR, 0 },
	{ OID_SW_CURRENT_VERS, 0 },
	{ OID_TYPE_IDENTIFIER, 0 },
	{ OID_IF_PHYS_ADDRESS, 1 },
	{ OID_CORRELATION_ID, 0 },
};

static const struct notify_obj status_objs[] = {
	{ OID_IF_PHYS_ADDRESS, 1 },
	{ OID_CORRELATION_ID, 0 },
	{ OID_PROV_STATE, 0 },
	{ OID_EUE_PROV_STATUS, 1 },
};

static const struct notify_def defs[] = {
	[NOTIFY_ENROLLMENT] = { "enrollment", OID_ENROLLMENT, enrollment_objs,
				sizeof(enrollment_objs) / sizeof(enrollment_objs[0]) },
	[NOTIFY_STATUS] = { "status", OID_STATUS, status_objs,
			    sizeof(status_objs) / sizeof(status_objs[0]) },
};
_Static_assert(sizeof(defs) / sizeof(defs[0]) == NOTIFY_KIND_COUNT, "one row per notify_kind");
_Static_assert(2 + sizeof(enrollment_objs) / sizeof(enrollment_objs[0]) <= NOTIFY_VB_MAX, "fits");
_Static_assert(2 + sizeof(status_objs) / sizeof(status_objs[0]) <= NOTIFY_VB_MAX, "fits");

const char *notify_kind_name(enum notify_kind k)
{
	if ((unsigned)k >= NOTIFY_KIND_COUNT)
		return "?";
	return defs[k].name;
}

static struct notify_vb *vb_add(struct notify_msg *out, enum notify_oid o)
{
	struct notify_vb *vb = &out->vb[out->n++];

	memcpy(vb->oid, oids[o].arcs, oids[o].n * sizeof(uint32_t));
	vb->n = oids[o].n;
	memset(&vb->val.v, 0, sizeof(vb->val.v));
	return vb;
}

int notify_build(struct mib *m, enum notify_kind k, uint32_t uptime_cs, struct notify_msg *out)
{
	const struct notify_def *d;
	struct notify_vb *vb;
	struct wr w;

	if (m == NULL || out == NULL || (unsigned)k >= NOTIFY_KIND_COUNT)
		return E_INVAL;
	d = &defs[k];
	out->kind = k;
	out->trap_oid = oids[d->trap].arcs;
	out->trap_oid_n = oids[d->trap].n;
	out->n = 0;

	/* RFC 3416 4.2.6: sysUpTime.0 first, snmpTrapOID.0 second. */
	vb = vb_add(out, OID_SYS_UPTIME);
	if (mib_get(m, vb->oid, vb->n, &vb->val) != MIB_GET_OK ||
	    vb->val.v.type != BER_TIMETICKS) {
		memset(&vb->val.v, 0, sizeof(vb->val.v));
		vb->val.v.type = BER_TIMETICKS;
		vb->val.v.num = uptime_cs;
	}
	vb = vb_add(out, OID_TRAP_OID);
	wr_init(&w, vb->val.buf, sizeof(vb->val.buf));
	if (ber_oid_put(&w, out->trap_oid, out->trap_oid_n) != 0 || w.err)
		return E_INVAL;         /* a bad constant: cannot happen */
	vb->val.v.type = BER_OID;
	vb->val.v.bytes = vb->val.buf;
	vb->val.v.len = w.len;

	for (size_t i = 0; i < d->n_objs; i++) {
		vb = vb_add(out, d->objs[i].oid);
		if (mib_get(m, vb->oid, vb->n, &vb->val) == MIB_GET_OK)
			continue;
		if (!d->objs[i].optional)
			return E_NOTFOUND;
		out->n--;
	}
	return 0;
}

void notify_dest_entity(struct notify_dest *d, const struct net_addr *entity)
{
	memset(d, 0, sizeof(*d));
	d->addr = *entity;
	d->addr.port = NOTIFY_PORT_DEFAULT;
	d->type = NOTIFY_V2C_INFORM;
	d->timeout_ms = NOTIFY_TIMEOUT_MS_DEFAULT;
	d->retries = NOTIFY_RETRIES_DEFAULT;
}

int notify_dest_check(const struct notify_dest *d)
{
	if (d == NULL || (d->addr.family != AF_INET && d->addr.family != AF_INET6))
		return E_INVAL;
	/* RFC 3411 SnmpEngineID: SIZE(5..32) */
	if (d->engine_id_len != 0 && (d->engine_id == NULL || d->engine_id_len < 5 ||
				      d->engine_id_len > 32))
		return E_INVAL;
	switch (d->type) {
	case NOTIFY_V1_TRAP:
	case NOTIFY_V2C_TRAP:
	case NOTIFY_V2C_INFORM:
	case NOTIFY_V3_TRAP:
	case NOTIFY_V3_INFORM:
		return 0;
	default:
		return E_INVAL;         /* 38.3 is 1..5 */
	}
}
