/*
 * mib.c: the eUE's managed objects (see mib.h): the object table, get /
 * getnext in lexicographic OID order, the SET transaction with its
 * per-origin and per-flow rules, pktcMtaDevRealmTable row creation
 * (RFC 2579), the error-OID table, and the read-only SNMP-TARGET-MIB /
 * SNMP-NOTIFICATION-MIB rows computed from the running TLV 38 targets.
 * No Net-SNMP, no I/O: the agent (agent.c) and the apply step
 * (eue/cfgapply.c) drive it.
 *
 * A transaction is a copy: mib_set_begin() copies the running struct
 * mib_cfg into m->stage, every accepted mib_set_test() writes the stage
 * only, mib_set_commit() copies it back.  A failing test leaves the stage
 * as it was, so a file or PDU either applies whole or not at all.
 */
#include "snmp-mibs/mib.h"

#include <stdio.h>
#include <string.h>

#include "platform/clock.h"
#include "platform/err.h"
#include "snmp-mibs/notify.h"       /* NOTIFY_*_DEFAULT: what the agent uses for a target */
#include "tlv/wr.h"

/* RFC 2579 RowStatus, plus the staged-only states of a row in m->stage. */
enum {
	RS_ACTIVE = 1, RS_NOT_IN_SERVICE = 2, RS_NOT_READY = 3, RS_CREATE_AND_GO = 4,
	RS_CREATE_AND_WAIT = 5, RS_DESTROY = 6,
	ST_PENDING = 100,       /* created by a column SET, no RowStatus seen yet */
	ST_GO = 101,            /* createAndGo staged: becomes active at commit */
	ST_GONE = 102,          /* destroy staged: removed at commit */
};

/* K_IF: a column of IF-MIB's ifTable with the one row of the eUE's
 * interface, ifIndex 1 (the enrollment and status INFORMs carry
 * ifPhysAddress, RFC 4682).  K_TADDR, K_TPARAMS: a column of
 * snmpTargetAddrTable / snmpTargetParamsTable, a row per TLV 38 target;
 * K_NOTIFY: a column of snmpNotifyTable, two fixed rows (RFC 3413; the
 * mapping is described in mib.h). */
enum kind { K_SCALAR, K_ERR, K_REALM, K_REALM_CL, K_IF, K_TADDR, K_TPARAMS, K_NOTIFY,
	    K_PCSCF,    /* a column of pktcEUEDevPCSCFTable (6.6.2) */
	    K_BATT,     /* a battery scalar (6.6.4): exists only with the board's hook */
	    K_APP };    /* a column of pktcEUEUsrAppMapTable (6.3.6), two index arcs */
enum acc { A_RO, A_RW, A_RC };

#define OID_ARCS 16
struct obj {
	uint32_t oid[OID_ARCS];
	uint8_t n;
	int8_t id;              /* enum mib_obj */
	uint8_t kind;           /* enum kind */
	uint8_t type;           /* enum ber_tag of the value */
	uint8_t acc;            /* enum acc */
};

#define ARCS(...) { __VA_ARGS__ }, (uint8_t)(sizeof((uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t))
#define SYS 1, 3, 6, 1, 2, 1, 1
#define MTA 1, 3, 6, 1, 2, 1, 140, 1        /* RFC 4682 pktcMtaMibObjects */
#define CLM 1, 3, 6, 1, 4, 1, 4491, 2, 2, 1, 1 /* CableLabs PKTC-MTA-MIB objects */
#define LOCAL 1, 3, 6, 1, 4, 1, 8072, 9999, 4491, 1 /* EUE-PROV-LOCAL-MIB objects */
#define EVSYS 1, 3, 6, 1, 2, 1, 182, 1, 1, 2     /* RFC 5428 pktcEventSyslog */
#define EUEDEV 1, 3, 6, 1, 4, 1, 4491, 2, 2, 10, 3, 1, 1 /* CL-PKTC-EUE-DEV-MIB pktcEUEDevProfile */
#define TADDR 1, 3, 6, 1, 6, 3, 12, 1, 2, 1      /* RFC 3413 snmpTargetAddrEntry */
#define TPARAMS 1, 3, 6, 1, 6, 3, 12, 1, 3, 1    /* RFC 3413 snmpTargetParamsEntry */
#define NOTIFY 1, 3, 6, 1, 6, 3, 13, 1, 1, 1     /* RFC 3413 snmpNotifyEntry */
#define PCSCF EUEDEV, 4, 1                      /* pktcEUEDevPCSCFEntry */
#define APPMAP 1, 3, 6, 1, 4, 1, 4491, 2, 2, 10, 4, 1, 1, 4, 1 /* pktcEUEUsrAppMapEntry */
#define UPS 1, 3, 6, 1, 2, 1, 33, 1             /* RFC 1628 upsObjects */
#define CLUPS 1, 3, 6, 1, 4, 1, 4491, 4, 1, 1, 1 /* CLAB-UPS-MIB clabSupplemtalGroup */

/*
 * What the device serves, in lexicographic OID order (getnext walks this
 * array; test_mib checks the order).  Unsigned32 / Gauge32 share a tag.
 */
static const struct obj objs[] = {
	{ ARCS(SYS, 1), MIB_O_SYS_DESCR, K_SCALAR, BER_OCTETS, A_RO },
	{ ARCS(SYS, 2), MIB_O_SYS_OBJECT_ID, K_SCALAR, BER_OID, A_RO },
	{ ARCS(SYS, 3), MIB_O_SYS_UPTIME, K_SCALAR, BER_TIMETICKS, A_RO },
	{ ARCS(SYS, 4), MIB_O_SYS_CONTACT, K_SCALAR, BER_OCTETS, A_RW },
	{ ARCS(SYS, 5), MIB_O_SYS_NAME, K_SCALAR, BER_OCTETS, A_RW },
	{ ARCS(SYS, 6), MIB_O_SYS_LOCATION, K_SCALAR, BER_OCTETS, A_RW },
	{ ARCS(1, 3, 6, 1, 2, 1, 2, 2, 1, 6), MIB_O_IF_PHYS_ADDRESS, K_IF, BER_OCTETS, A_RO },
	/* [CL-BB-MIB] (6.6.4): the RFC 1628 objects of CLAB-UPS-MIB's compliance
	 * that a modem's battery can answer (mib.h) */
	{ ARCS(UPS, 2, 1), MIB_O_UPS_BATTERY_STATUS, K_BATT, BER_INTEGER, A_RO },
	{ ARCS(UPS, 2, 2), MIB_O_UPS_SECONDS_ON_BATTERY, K_BATT, BER_INTEGER, A_RO },
	{ ARCS(UPS, 2, 3), MIB_O_UPS_MINUTES_REMAINING, K_BATT, BER_INTEGER, A_RO },
	{ ARCS(UPS, 2, 4), MIB_O_UPS_CHARGE_REMAINING, K_BATT, BER_INTEGER, A_RO },
	{ ARCS(UPS, 4, 1), MIB_O_UPS_OUTPUT_SOURCE, K_BATT, BER_INTEGER, A_RO },
	{ ARCS(MTA, 1, 1), MIB_O_RESET_NOW, K_SCALAR, BER_INTEGER, A_RW },
	{ ARCS(MTA, 1, 2), MIB_O_SERIAL, K_SCALAR, BER_OCTETS, A_RO },
	{ ARCS(MTA, 1, 3), MIB_O_SW_VERS, K_SCALAR, BER_OCTETS, A_RO },
	{ ARCS(MTA, 1, 4), MIB_O_FQDN, K_SCALAR, BER_OCTETS, A_RO },
	{ ARCS(MTA, 1, 5), MIB_O_ENDPNT_COUNT, K_SCALAR, BER_GAUGE32, A_RO },
	{ ARCS(MTA, 1, 6), MIB_O_ENABLED, K_SCALAR, BER_INTEGER, A_RW },
	{ ARCS(MTA, 1, 7), MIB_O_TYPE_ID, K_SCALAR, BER_OCTETS, A_RO },
	{ ARCS(MTA, 1, 8), MIB_O_PROV_STATE, K_SCALAR, BER_INTEGER, A_RO },
	{ ARCS(MTA, 1, 9), MIB_O_HTTP_ACCESS, K_SCALAR, BER_INTEGER, A_RO },
	{ ARCS(MTA, 1, 10), MIB_O_PROV_TIMER, K_SCALAR, BER_GAUGE32, A_RW },
	{ ARCS(MTA, 1, 11), MIB_O_PROV_COUNTER, K_SCALAR, BER_COUNTER32, A_RO },
	{ ARCS(MTA, 1, 12, 1, 2), MIB_O_ERR_OID, K_ERR, BER_OCTETS, A_RO },
	{ ARCS(MTA, 1, 12, 1, 3), MIB_O_ERR_VALUE, K_ERR, BER_OCTETS, A_RO },
	{ ARCS(MTA, 1, 12, 1, 4), MIB_O_ERR_REASON, K_ERR, BER_OCTETS, A_RO },
	{ ARCS(MTA, 2, 1), MIB_O_DHCP_ADDR_TYPE, K_SCALAR, BER_INTEGER, A_RO },
	{ ARCS(MTA, 2, 2), MIB_O_DHCP1, K_SCALAR, BER_OCTETS, A_RO },
	{ ARCS(MTA, 2, 3), MIB_O_DHCP2, K_SCALAR, BER_OCTETS, A_RO },
	{ ARCS(MTA, 2, 4), MIB_O_DNS_ADDR_TYPE, K_SCALAR, BER_INTEGER, A_RO },
	{ ARCS(MTA, 2, 5), MIB_O_DNS1, K_SCALAR, BER_OCTETS, A_RW },
	{ ARCS(MTA, 2, 6), MIB_O_DNS2, K_SCALAR, BER_OCTETS, A_RW },
	{ ARCS(MTA, 2, 7), MIB_O_TIME_ADDR_TYPE, K_SCALAR, BER_INTEGER, A_RO },
	{ ARCS(MTA, 2, 8), MIB_O_TIME_SERVER, K_SCALAR, BER_OCTETS, A_RO },
	{ ARCS(MTA, 2, 9), MIB_O_CONFIG_FILE, K_SCALAR, BER_OCTETS, A_RW },
	{ ARCS(MTA, 2, 10), MIB_O_SNMP_ENTITY, K_SCALAR, BER_OCTETS, A_RO },
	{ ARCS(MTA, 2, 11), MIB_O_CONFIG_HASH, K_SCALAR, BER_OCTETS, A_RW },
	{ ARCS(MTA, 2, 12), MIB_O_CONFIG_KEY, K_SCALAR, BER_OCTETS, A_RW },
	{ ARCS(MTA, 2, 13), MIB_O_ENCRYPT_ALG, K_SCALAR, BER_INTEGER, A_RW },
	{ ARCS(MTA, 2, 14), MIB_O_SOL_KEY_TIMEOUT, K_SCALAR, BER_GAUGE32, A_RW },
	{ ARCS(MTA, 2, 15), MIB_O_UNSOL_KEY_MAX_TIMEOUT, K_SCALAR, BER_GAUGE32, A_RO },
	{ ARCS(MTA, 2, 16), MIB_O_UNSOL_KEY_NOM_TIMEOUT, K_SCALAR, BER_GAUGE32, A_RO },
	{ ARCS(MTA, 2, 17), MIB_O_UNSOL_KEY_MAX_RETRIES, K_SCALAR, BER_GAUGE32, A_RO },
	{ ARCS(MTA, 2, 18), MIB_O_KERB_REALM, K_SCALAR, BER_OCTETS, A_RO },
	{ ARCS(MTA, 2, 19), MIB_O_PSTATE, K_SCALAR, BER_INTEGER, A_RO },
	{ ARCS(MTA, 3, 3), MIB_O_CORRELATION_ID, K_SCALAR, BER_GAUGE32, A_RO },
	{ ARCS(MTA, 3, 5), MIB_O_REALM_AVAIL_SLOT, K_SCALAR, BER_GAUGE32, A_RO },
	{ ARCS(MTA, 3, 6, 1, 2), MIB_O_REALM_NAME, K_REALM, BER_OCTETS, A_RC },
	{ ARCS(MTA, 3, 6, 1, 3), MIB_O_REALM_PKINIT_GRACE, K_REALM, BER_GAUGE32, A_RC },
	{ ARCS(MTA, 3, 6, 1, 4), MIB_O_REALM_TGS_GRACE, K_REALM, BER_GAUGE32, A_RC },
	{ ARCS(MTA, 3, 6, 1, 5), MIB_O_REALM_ORG, K_REALM, BER_OCTETS, A_RC },
	{ ARCS(MTA, 3, 6, 1, 6), MIB_O_REALM_MAX_TIMEOUT, K_REALM, BER_GAUGE32, A_RC },
	{ ARCS(MTA, 3, 6, 1, 7), MIB_O_REALM_NOM_TIMEOUT, K_REALM, BER_GAUGE32, A_RC },
	{ ARCS(MTA, 3, 6, 1, 8), MIB_O_REALM_MAX_RETRIES, K_REALM, BER_GAUGE32, A_RC },
	{ ARCS(MTA, 3, 6, 1, 9), MIB_O_REALM_STATUS, K_REALM, BER_INTEGER, A_RC },
	{ ARCS(MTA, 3, 9), MIB_O_RESET_KRB_TICKETS, K_SCALAR, BER_OCTETS, A_RW },
	{ ARCS(EVSYS, 1), MIB_O_EV_SYSLOG_CAPS, K_SCALAR, BER_OCTETS, A_RO },
	{ ARCS(EVSYS, 2), MIB_O_EV_SYSLOG_ADDR_TYPE, K_SCALAR, BER_INTEGER, A_RW },
	{ ARCS(EVSYS, 3), MIB_O_EV_SYSLOG_ADDR, K_SCALAR, BER_OCTETS, A_RW },
	{ ARCS(EVSYS, 4), MIB_O_EV_SYSLOG_FORMAT, K_SCALAR, BER_INTEGER, A_RW },
	{ ARCS(EVSYS, 5), MIB_O_EV_SYSLOG_TRANSPORT, K_SCALAR, BER_INTEGER, A_RW },
	{ ARCS(EVSYS, 6), MIB_O_EV_SYSLOG_PORT, K_SCALAR, BER_GAUGE32, A_RW },
	{ ARCS(EUEDEV, 1), MIB_O_DEV_PROFILE_VERSION, K_SCALAR, BER_OCTETS, A_RO },
	{ ARCS(PCSCF, 2), MIB_O_PCSCF_ADDR_TYPE, K_PCSCF, BER_INTEGER, A_RC },
	{ ARCS(PCSCF, 3), MIB_O_PCSCF_ADDR, K_PCSCF, BER_OCTETS, A_RC },
	{ ARCS(PCSCF, 4), MIB_O_PCSCF_SIP_PORT, K_PCSCF, BER_GAUGE32, A_RC },
	{ ARCS(PCSCF, 5), MIB_O_PCSCF_PROTOCOL, K_PCSCF, BER_INTEGER, A_RC },
	{ ARCS(PCSCF, 6), MIB_O_PCSCF_USED_ADDR_TYPE, K_PCSCF, BER_INTEGER, A_RO },
	{ ARCS(PCSCF, 7), MIB_O_PCSCF_USED_ADDR, K_PCSCF, BER_OCTETS, A_RO },
	{ ARCS(PCSCF, 8), MIB_O_PCSCF_T1, K_PCSCF, BER_GAUGE32, A_RC },
	{ ARCS(PCSCF, 9), MIB_O_PCSCF_T2, K_PCSCF, BER_GAUGE32, A_RC },
	{ ARCS(PCSCF, 10), MIB_O_PCSCF_T4, K_PCSCF, BER_GAUGE32, A_RC },
	{ ARCS(PCSCF, 11), MIB_O_PCSCF_TD, K_PCSCF, BER_GAUGE32, A_RC },
	{ ARCS(PCSCF, 12), MIB_O_PCSCF_STATUS, K_PCSCF, BER_INTEGER, A_RC },
	{ ARCS(PCSCF, 13), MIB_O_PCSCF_INVITE_ATTEMPTS, K_PCSCF, BER_GAUGE32, A_RC },
	{ ARCS(PCSCF, 14), MIB_O_PCSCF_MAX_TIME, K_PCSCF, BER_GAUGE32, A_RC },
	{ ARCS(PCSCF, 15), MIB_O_PCSCF_BASE_ALL_FAILED, K_PCSCF, BER_GAUGE32, A_RC },
	{ ARCS(PCSCF, 16), MIB_O_PCSCF_BASE_ALL_NOT_FAILED, K_PCSCF, BER_GAUGE32, A_RC },
	{ ARCS(PCSCF, 17), MIB_O_PCSCF_SUBSCRIBE_RETRY, K_PCSCF, BER_GAUGE32, A_RC },
	{ ARCS(EUEDEV, 6), MIB_O_CB_SUPPORT, K_SCALAR, BER_INTEGER, A_RO },
	{ ARCS(EUEDEV, 7), MIB_O_CB_ENABLE, K_SCALAR, BER_INTEGER, A_RW },
	{ ARCS(EUEDEV, 8), MIB_O_CB_DATA, K_SCALAR, BER_OCTETS, A_RW },
	{ ARCS(APPMAP, 2), MIB_O_APP_ORG, K_APP, BER_GAUGE32, A_RC },
	{ ARCS(APPMAP, 3), MIB_O_APP_IDENT, K_APP, BER_GAUGE32, A_RC },
	{ ARCS(APPMAP, 4), MIB_O_APP_REF, K_APP, BER_GAUGE32, A_RC },
	{ ARCS(APPMAP, 5), MIB_O_APP_ADMIN, K_APP, BER_INTEGER, A_RC },
	{ ARCS(APPMAP, 6), MIB_O_APP_ADMIN_INFO, K_APP, BER_OCTETS, A_RC },
	{ ARCS(APPMAP, 7), MIB_O_APP_OPER, K_APP, BER_INTEGER, A_RO },
	{ ARCS(APPMAP, 8), MIB_O_APP_OPER_INFO, K_APP, BER_OCTETS, A_RO },
	{ ARCS(APPMAP, 9), MIB_O_APP_STATUS, K_APP, BER_INTEGER, A_RC },
	{ ARCS(CLUPS, 3), MIB_O_BB_RATED_MINUTES, K_BATT, BER_INTEGER, A_RO },
	{ ARCS(CLUPS, 4), MIB_O_BB_AVAILABLE_MINUTES, K_BATT, BER_INTEGER, A_RO },
	{ ARCS(LOCAL, 1), MIB_O_EUE_PROV_STATUS, K_SCALAR, BER_INTEGER, A_RO },
	{ ARCS(LOCAL, 2), MIB_O_CB_STATUS, K_SCALAR, BER_INTEGER, A_RO },
	{ ARCS(LOCAL, 3), MIB_O_CB_LAST_ERROR, K_SCALAR, BER_OCTETS, A_RO },
	/* RFC 3413 read-create columns, served read-only: TLV 38 is their only
	 * writer (mib.h).  Column 1 of each table is its not-accessible index. */
	{ ARCS(TADDR, 2), MIB_O_TADDR_TDOMAIN, K_TADDR, BER_OID, A_RO },
	{ ARCS(TADDR, 3), MIB_O_TADDR_TADDRESS, K_TADDR, BER_OCTETS, A_RO },
	{ ARCS(TADDR, 4), MIB_O_TADDR_TIMEOUT, K_TADDR, BER_INTEGER, A_RO },
	{ ARCS(TADDR, 5), MIB_O_TADDR_RETRY_COUNT, K_TADDR, BER_INTEGER, A_RO },
	{ ARCS(TADDR, 6), MIB_O_TADDR_TAG_LIST, K_TADDR, BER_OCTETS, A_RO },
	{ ARCS(TADDR, 7), MIB_O_TADDR_PARAMS, K_TADDR, BER_OCTETS, A_RO },
	{ ARCS(TADDR, 8), MIB_O_TADDR_STORAGE_TYPE, K_TADDR, BER_INTEGER, A_RO },
	{ ARCS(TADDR, 9), MIB_O_TADDR_ROW_STATUS, K_TADDR, BER_INTEGER, A_RO },
	{ ARCS(TPARAMS, 2), MIB_O_TPARAMS_MP_MODEL, K_TPARAMS, BER_INTEGER, A_RO },
	{ ARCS(TPARAMS, 3), MIB_O_TPARAMS_SEC_MODEL, K_TPARAMS, BER_INTEGER, A_RO },
	{ ARCS(TPARAMS, 4), MIB_O_TPARAMS_SEC_NAME, K_TPARAMS, BER_OCTETS, A_RO },
	{ ARCS(TPARAMS, 5), MIB_O_TPARAMS_SEC_LEVEL, K_TPARAMS, BER_INTEGER, A_RO },
	{ ARCS(TPARAMS, 6), MIB_O_TPARAMS_STORAGE_TYPE, K_TPARAMS, BER_INTEGER, A_RO },
	{ ARCS(TPARAMS, 7), MIB_O_TPARAMS_ROW_STATUS, K_TPARAMS, BER_INTEGER, A_RO },
	{ ARCS(NOTIFY, 2), MIB_O_NOTIFY_TAG, K_NOTIFY, BER_OCTETS, A_RO },
	{ ARCS(NOTIFY, 3), MIB_O_NOTIFY_TYPE, K_NOTIFY, BER_INTEGER, A_RO },
	{ ARCS(NOTIFY, 4), MIB_O_NOTIFY_STORAGE_TYPE, K_NOTIFY, BER_INTEGER, A_RO },
	{ ARCS(NOTIFY, 5), MIB_O_NOTIFY_ROW_STATUS, K_NOTIFY, BER_INTEGER, A_RO },
};
#define NOBJS (sizeof(objs) / sizeof(objs[0]))
_Static_assert(MIB_O_COUNT <= 127, "struct obj keeps the id in an int8_t");

/*
 * CableLabs twins a configuration file may name (B2; mib.h).  The realm
 * table there is indexed by the IMPLIED realm name; .1 is that name (an
 * index, accepted as the RFC 4682 RealmName column) and .7 (MeanDev) has
 * no RFC 4682 column, so it stays unknown.
 */
static const struct obj cl_objs[] = {
	{ ARCS(CLM, 1, 7), MIB_O_ENABLED, K_SCALAR, BER_INTEGER, A_RW },
	{ ARCS(CLM, 1, 11), MIB_O_PROV_TIMER, K_SCALAR, BER_GAUGE32, A_RW },
	{ ARCS(CLM, 2, 7), MIB_O_CONFIG_HASH, K_SCALAR, BER_OCTETS, A_RW },
	{ ARCS(CLM, 3, 16, 1, 1), MIB_O_REALM_NAME, K_REALM_CL, BER_OCTETS, A_RC },
	{ ARCS(CLM, 3, 16, 1, 2), MIB_O_REALM_PKINIT_GRACE, K_REALM_CL, BER_GAUGE32, A_RC },
	{ ARCS(CLM, 3, 16, 1, 3), MIB_O_REALM_TGS_GRACE, K_REALM_CL, BER_GAUGE32, A_RC },
	{ ARCS(CLM, 3, 16, 1, 4), MIB_O_REALM_ORG, K_REALM_CL, BER_OCTETS, A_RC },
	{ ARCS(CLM, 3, 16, 1, 5), MIB_O_REALM_MAX_TIMEOUT, K_REALM_CL, BER_GAUGE32, A_RC },
	{ ARCS(CLM, 3, 16, 1, 6), MIB_O_REALM_NOM_TIMEOUT, K_REALM_CL, BER_GAUGE32, A_RC },
	{ ARCS(CLM, 3, 16, 1, 8), MIB_O_REALM_MAX_RETRIES, K_REALM_CL, BER_GAUGE32, A_RC },
	{ ARCS(CLM, 3, 16, 1, 9), MIB_O_REALM_STATUS, K_REALM_CL, BER_INTEGER, A_RC },
};
#define NCLOBJS (sizeof(cl_objs) / sizeof(cl_objs[0]))

/* RFC 4682 registers pktcMtaDevErrorsTooManyErrors here (B6). */
static const char too_many_oid[] = "1.3.6.1.2.1.140.1.4.1";

/* Reason texts of the error-OID table (RFC 4682 examples first). */
static const char WHY_RANGE[] = "VALUE NOT IN RANGE";
static const char WHY_TYPE[] = "VALUE DOES NOT MATCH TYPE";
static const char WHY_UNSUPPORTED[] = "UNSUPPORTED VALUE";
static const char WHY_MEMORY[] = "OUT OF MEMORY - CANNOT STORE";
static const char WHY_LENGTH[] = "WRONG LENGTH";
static const char WHY_READ_ONLY[] = "NOT WRITABLE";
static const char WHY_UNKNOWN[] = "UNKNOWN OBJECT";
static const char WHY_FLOW[] = "NOT WRITABLE IN THIS PROVISIONING FLOW";
static const char WHY_ROW[] = "INCONSISTENT ROW STATUS";
static const char WHY_NO_TX[] = "NO SET TRANSACTION OPEN";
static const char WHY_TLV38[] = "NOT WRITABLE - SET BY TLV 38 ONLY";

/* ------------------------------------------------------------------ helpers */

static int oid_cmp(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t i;

	for (i = 0; i < na && i < nb; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return na < nb ? -1 : na > nb ? 1 : 0;
}

static int has_prefix(const uint32_t *oid, size_t n, const struct obj *o)
{
	return n >= o->n && oid_cmp(oid, o->n, o->oid, o->n) == 0;
}

static void copy_str(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

static void cfg_defaults(struct mib_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->enabled = 1;                 /* RFC 4682: no DEFVAL; an eUE starts enabled */
	c->prov_timer = 10;             /* DEFVAL 10 */
	c->encrypt_alg = 1;             /* DEFVAL des64CbcMode */
	c->sol_key_timeout = 120;       /* DEFVAL 120 */
	/* RFC 5428 DEFVALs are ipv4 "0.0.0.0", RFC 5424 over TLS port 6514; the
	 * seed cites RFC 3164 and PacketCable practice is UDP 514 (B5): that is
	 * what this eUE does, and what it reports. */
	c->syslog.type = 1;
	c->syslog_port = 514;
	c->cb_enable = 2;               /* pktcEUECBEnable DEFVAL false */
}

void mib_init(struct mib *m, const struct mib_identity *id)
{
	static const uint32_t cablelabs[] = { 1, 3, 6, 1, 4, 1, 4491 };
	const uint32_t *so = id->sys_object_id;
	size_t son = id->sys_object_id_len;

	memset(m, 0, sizeof(*m));
	cfg_defaults(&m->run);
	m->flow = MIB_FLOW_SECURE;
	m->prov_state = MIB_PROV_IN_PROGRESS;
	m->pstate = MIB_PSTATE_WAIT_CONFIG;
	m->cb_status = MIB_CB_IDLE;
	if (id->sys_descr)
		copy_str(m->sys_descr, sizeof(m->sys_descr), id->sys_descr);
	else    /* the eDOCSIS sysDescr form */
		snprintf(m->sys_descr, sizeof(m->sys_descr),
			 "<<HW_REV: %s; VENDOR: %s; BOOTR: ; SW_REV: %s; MODEL: %s>>",
			 id->hw_version ? id->hw_version : "", id->vendor ? id->vendor : "",
			 id->sw_version ? id->sw_version : "", id->model ? id->model : "");
	if (so == NULL || son < 2 || son > MIB_OID_MAX) {
		so = cablelabs;
		son = sizeof(cablelabs) / sizeof(cablelabs[0]);
	}
	memcpy(m->sys_oid, so, son * sizeof(*so));
	m->sys_oid_len = son;
	copy_str(m->serial, sizeof(m->serial), id->serial);
	copy_str(m->sw_version, sizeof(m->sw_version), id->sw_version);
	copy_str(m->type_id, sizeof(m->type_id), id->type_id);
	memcpy(m->mac, id->mac, sizeof(m->mac));
	m->endpoints = id->endpoints >= 1 && id->endpoints <= 255 ? id->endpoints : 1;
	m->http_access = id->http_access != 0;
	m->boot_ms = clock_mono_ms();
}

void mib_on_change(struct mib *m, mib_change_fn *fn, void *arg)
{
	m->on_change = fn;
	m->on_change_arg = arg;
}

void mib_on_commit(struct mib *m, mib_commit_fn *fn, void *arg)
{
	m->on_commit = fn;
	m->on_commit_arg = arg;
}

void mib_set_battery(struct mib *m, mib_battery_fn *fn, void *arg)
{
	m->battery = fn;
	m->battery_arg = arg;
}

void mib_set_config_hash(struct mib *m, const uint8_t hash[MIB_HASH_LEN])
{
	memcpy(m->run.hash, hash, MIB_HASH_LEN);
	m->run.hash_set = 1;
}

void mib_set_config_file(struct mib *m, const char *url)
{
	copy_str(m->run.config_file, sizeof(m->run.config_file), url);
}

/* ------------------------------------------------------------------ lookup */

static const struct obj *find_obj(const struct obj *tab, size_t n, const uint32_t *oid,
				  size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (has_prefix(oid, len, &tab[i]))
			return &tab[i];
	return NULL;
}

int mib_lookup(const uint32_t *oid, size_t n, enum mib_origin o)
{
	const struct obj *ob = find_obj(objs, NOBJS, oid, n);

	if (ob == NULL && o == MIB_BY_FILE)
		ob = find_obj(cl_objs, NCLOBJS, oid, n);
	return ob ? ob->id : MIB_O_NONE;
}

/* ------------------------------------------------------------------ reading */

static struct mib_realm *realm_at(struct mib_cfg *c, uint32_t idx)
{
	size_t i;

	for (i = 0; i < c->n_realms; i++)
		if (c->realms[i].index == idx)
			return &c->realms[i];
	return NULL;
}

static uint32_t realm_free_index(const struct mib_cfg *c)
{
	uint32_t idx;
	size_t i;

	if (c->n_realms >= MIB_REALMS_MAX)
		return 0;
	/* realms[] is sorted by index: the first gap is the lowest free one */
	for (idx = 1, i = 0; i < c->n_realms && c->realms[i].index == idx; i++)
		idx++;
	return idx <= 255 ? idx : 0;
}

static struct mib_pcscf *pcscf_at(struct mib_cfg *c, uint32_t idx)
{
	size_t i;

	for (i = 0; i < c->n_pcscf; i++)
		if (c->pcscf[i].index == idx)
			return &c->pcscf[i];
	return NULL;
}

/* An AppMap row's key: impu and app in one sortable number. */
#define APP_KEY(impu, app) ((uint32_t)(impu) << 8 | (uint32_t)(app))

static struct mib_app *app_at(struct mib_cfg *c, uint32_t impu, uint32_t app)
{
	size_t i;

	for (i = 0; i < c->n_apps; i++)
		if (c->apps[i].impu == impu && c->apps[i].app == app)
			return &c->apps[i];
	return NULL;
}

/* ------------------------------------------------------------------ TLV 38 rows
 *
 * RFC 3413 rows derived from m->run.targets, named as DOCSIS OSSI names the
 * rows a TLV 38 creates (mib.h): target j is snmpTargetAddrTable and
 * snmpTargetParamsTable row "@config_<j>", and snmpNotifyTable holds
 * "@config_inform" and "@config_trap" whenever there is a target.
 */

#define TNAME_MAX 32            /* "@config_" + a size_t in decimal + NUL */
#define SFX_MAX 32              /* SnmpAdminString (SIZE(1..32)) index arcs */

static const char TAG_INFORM[] = "@config_inform";      /* snmpNotifyTable row 0 */
static const char TAG_TRAP[] = "@config_trap";          /* snmpNotifyTable row 1 */
static const char SECNAME_V1V2C[] = "@config";          /* community "public" (notify.h) */

/* RFC 3413 / RFC 3411 / RFC 2579 values the view uses. */
enum {
	STORAGE_VOLATILE = 2,                           /* StorageType volatile(2) */
	MP_V1 = 0, MP_V2C = 1, MP_V3 = 3,               /* SnmpMessageProcessingModel */
	SM_V1 = 1, SM_V2C = 2, SM_USM = 3,              /* SnmpSecurityModel */
	SL_NO_AUTH = 1, SL_AUTH_NO_PRIV = 2,            /* SnmpSecurityLevel */
	NT_TRAP = 1, NT_INFORM = 2,                     /* snmpNotifyType */
};

static void target_name(size_t j, char *buf, size_t cap)
{
	snprintf(buf, cap, "@config_%zu", j);
}

static size_t n_targets(const struct mib_cfg *c)
{
	return c->n_targets <= MIB_TARGETS_MAX ? c->n_targets : MIB_TARGETS_MAX;
}

/*
 * The target whose row is the i-th in index order.  An IMPLIED index is
 * the name's octets with no length arc (RFC 2578 7.7), so rows sort as
 * the names do byte by byte, a name before its extensions: "@config_10"
 * comes before "@config_2".  Ranked here rather than assumed from j.
 */
static int target_at(const struct mib_cfg *c, size_t i, size_t *j)
{
	char names[MIB_TARGETS_MAX][TNAME_MAX];
	size_t a, b, below, n = n_targets(c);

	if (i >= n)
		return -1;
	for (a = 0; a < n; a++)
		target_name(a, names[a], sizeof(names[a]));
	for (a = 0; a < n; a++) {
		for (below = 0, b = 0; b < n; b++)
			below += strcmp(names[b], names[a]) < 0;
		if (below == i) {
			*j = a;
			return 0;
		}
	}
	return -1;
}

/* An IMPLIED SnmpAdminString index: one arc per octet. */
static void sfx_str(uint32_t *arcs, size_t *n, const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < SFX_MAX; i++)
		arcs[i] = (uint8_t)s[i];
	*n = i;
}

/* 38.3 (A15) is an INFORM type: 3 SNMPv2c inform, 5 SNMPv3 inform. */
static int target_inform(const struct mib_target *t)
{
	return t->type == NOTIFY_V2C_INFORM || t->type == NOTIFY_V3_INFORM;
}

static int target_v3(const struct mib_target *t)
{
	return t->type == NOTIFY_V3_TRAP || t->type == NOTIFY_V3_INFORM;
}

/* snmpTargetParamsMPModel and SecurityModel of a 38.3 type (DOCSIS OSSI) */
static int target_mp_model(const struct mib_target *t)
{
	return t->type == NOTIFY_V1_TRAP ? MP_V1 : target_v3(t) ? MP_V3 : MP_V2C;
}

static int target_sec_model(const struct mib_target *t)
{
	return t->type == NOTIFY_V1_TRAP ? SM_V1 : target_v3(t) ? SM_USM : SM_V2C;
}

/* ------------------------------------------------------------------ instances */

/* One instance of an object: its suffix arcs and what read_val() needs. */
struct inst {
	uint32_t arcs[SFX_MAX];
	size_t n;
	uint32_t key;           /* row index (realm, error row), target number, notify row */
};

/* The i-th instance of o in OID order, or -1 past the last. */
static int inst_at(const struct mib *m, const struct obj *o, size_t i, struct inst *in)
{
	char name[TNAME_MAX];
	size_t j;

	in->n = 1;
	switch (o->kind) {
	case K_SCALAR:
		in->arcs[0] = in->key = 0;
		return i == 0 ? 0 : -1;
	case K_ERR:
		in->arcs[0] = in->key = (uint32_t)i + 1;
		return i < m->n_errs ? 0 : -1;
	case K_IF:
		in->arcs[0] = in->key = 1;
		return i == 0 ? 0 : -1;
	case K_REALM:
		if (i >= m->run.n_realms)
			return -1;
		in->arcs[0] = in->key = m->run.realms[i].index;
		return 0;
	case K_TADDR:
	case K_TPARAMS:
		if (target_at(&m->run, i, &j) != 0)
			return -1;
		target_name(j, name, sizeof(name));
		sfx_str(in->arcs, &in->n, name);
		in->key = (uint32_t)j;
		return 0;
	case K_PCSCF:
		if (i >= m->run.n_pcscf)
			return -1;
		in->arcs[0] = in->key = m->run.pcscf[i].index;
		return 0;
	case K_BATT:
		in->arcs[0] = in->key = 0;
		return i == 0 && m->battery ? 0 : -1;
	case K_APP:
		if (i >= m->run.n_apps)
			return -1;
		in->n = 2;
		in->arcs[0] = m->run.apps[i].impu;
		in->arcs[1] = m->run.apps[i].app;
		in->key = APP_KEY(in->arcs[0], in->arcs[1]);
		return 0;
	case K_NOTIFY:
		/* "@config_inform" < "@config_trap" */
		if (i >= 2 || n_targets(&m->run) == 0)
			return -1;
		sfx_str(in->arcs, &in->n, i == 0 ? TAG_INFORM : TAG_TRAP);
		in->key = (uint32_t)i;
		return 0;
	}
	return -1;
}

/* The instance of o that oid[o->n..n) names: 0 and *key, or -1. */
static int inst_find(const struct mib *m, const struct obj *o, const uint32_t *oid, size_t n,
		     uint32_t *key)
{
	const uint32_t *sfx = oid + o->n;
	size_t ns = n - o->n, i;
	struct inst in;

	if (n <= o->n)
		return -1;
	for (i = 0; inst_at(m, o, i, &in) == 0; i++)
		if (in.n == ns && memcmp(in.arcs, sfx, ns * sizeof(sfx[0])) == 0) {
			*key = in.key;
			return 0;
		}
	return -1;
}

static void out_int(struct mib_out *out, uint8_t type, int64_t v)
{
	out->v.type = type;
	out->v.num = v;
	out->v.u64 = (uint64_t)v;
}

static void out_bytes(struct mib_out *out, const void *p, size_t n)
{
	if (n > sizeof(out->buf))
		n = sizeof(out->buf);
	memcpy(out->buf, p, n);
	out->v.type = BER_OCTETS;
	out->v.bytes = out->buf;
	out->v.len = n;
}

static void out_str(struct mib_out *out, const char *s)
{
	out_bytes(out, s, strlen(s));
}

static void out_inet(struct mib_out *out, const struct mib_inet *a)
{
	out_bytes(out, a->addr, a->type == 1 ? 4 : a->type == 2 ? 16 : 0);
}

static void out_oid(struct mib_out *out, const uint32_t *arcs, size_t n)
{
	struct wr w;

	wr_init(&w, out->buf, sizeof(out->buf));
	(void)ber_oid_put(&w, arcs, n);
	out->v.type = BER_OID;
	out->v.bytes = out->buf;
	out->v.len = w.err ? 0 : w.len;
}

/*
 * snmpTargetAddrTDomain and TAddress (RFC 3413): snmpUDPDomain with
 * SnmpUDPAddress (4 + 2 octets, RFC 3417) for IPv4,
 * TRANSPORT-ADDRESS-MIB transportDomainUdpIpv6 with TransportAddressIPv6
 * (16 + 2 octets, RFC 3419) for IPv6; the port in network order, 162 when
 * 38.2 said 0 (as the agent sends).
 */
static void out_tdomain(struct mib_out *out, const struct mib_target *t)
{
	static const uint32_t udp4[] = { 1, 3, 6, 1, 6, 1, 1 };
	static const uint32_t udp6[] = { 1, 3, 6, 1, 2, 1, 100, 1, 2 };

	if (t->family == 6)
		out_oid(out, udp6, sizeof(udp6) / sizeof(udp6[0]));
	else
		out_oid(out, udp4, sizeof(udp4) / sizeof(udp4[0]));
}

static void out_taddress(struct mib_out *out, const struct mib_target *t)
{
	uint8_t b[18];
	size_t n = t->family == 6 ? 16 : 4;
	uint16_t port = t->port ? t->port : NOTIFY_PORT_DEFAULT;

	memcpy(b, t->addr, n);
	b[n] = (uint8_t)(port >> 8);
	b[n + 1] = (uint8_t)port;
	out_bytes(out, b, n + 2);
}

static void read_val(struct mib *m, const struct obj *o, uint32_t key, struct mib_out *out)
{
	const struct mib_cfg *c = &m->run;
	const struct mib_realm *r = NULL;
	const struct mib_errrow *e = NULL;
	const struct mib_target *t = NULL;
	const struct mib_pcscf *pc = NULL;
	const struct mib_app *ap = NULL;
	struct mib_battery bb;
	char name[TNAME_MAX];
	uint64_t now;

	memset(out, 0, sizeof(*out));
	memset(&bb, 0, sizeof(bb));
	if (o->kind == K_PCSCF)
		pc = pcscf_at(&m->run, key);
	if (o->kind == K_APP)
		ap = app_at(&m->run, key >> 8, key & 0xff);
	if (o->kind == K_BATT && m->battery) {
		bb.status = 1;          /* unknown(1) unless the hook knows better */
		m->battery(m->battery_arg, &bb);
	}
	if (o->kind == K_REALM)
		r = realm_at(&m->run, key);
	if (o->kind == K_ERR)
		e = &m->errs[key - 1];
	if (o->kind == K_TADDR || o->kind == K_TPARAMS)
		t = &c->targets[key];
	switch ((enum mib_obj)o->id) {
	case MIB_O_SYS_DESCR: out_str(out, m->sys_descr); break;
	case MIB_O_SYS_OBJECT_ID: out_oid(out, m->sys_oid, m->sys_oid_len); break;
	case MIB_O_SYS_UPTIME:
		now = m->now_ms ? m->now_ms(m->now_arg) : clock_mono_ms();
		/* TimeTicks: hundredths of a second, wrapping at 2^32 (RFC 2578 7.1.8) */
		out_int(out, BER_TIMETICKS, (int64_t)(uint32_t)((now - m->boot_ms) / 10));
		break;
	case MIB_O_SYS_CONTACT: out_str(out, c->sys_contact); break;
	case MIB_O_SYS_NAME: out_str(out, c->sys_name); break;
	case MIB_O_SYS_LOCATION: out_str(out, c->sys_location); break;
	case MIB_O_RESET_NOW: out_int(out, BER_INTEGER, 2); break;    /* reads false(2) */
	case MIB_O_SERIAL: out_str(out, m->serial); break;
	case MIB_O_SW_VERS: out_str(out, m->sw_version); break;
	case MIB_O_FQDN: out_str(out, m->fqdn); break;
	case MIB_O_ENDPNT_COUNT: out_int(out, BER_GAUGE32, m->endpoints); break;
	case MIB_O_ENABLED: out_int(out, BER_INTEGER, c->enabled); break;
	case MIB_O_TYPE_ID: out_str(out, m->type_id); break;
	case MIB_O_PROV_STATE:
	case MIB_O_EUE_PROV_STATUS: out_int(out, BER_INTEGER, m->prov_state); break;
	case MIB_O_HTTP_ACCESS: out_int(out, BER_INTEGER, m->http_access ? 1 : 2); break;
	case MIB_O_PROV_TIMER: out_int(out, BER_GAUGE32, c->prov_timer); break;
	case MIB_O_PROV_COUNTER: out_int(out, BER_COUNTER32, m->prov_counter); break;
	case MIB_O_ERR_OID: out_str(out, e->oid); break;
	case MIB_O_ERR_VALUE: out_str(out, e->value); break;
	case MIB_O_ERR_REASON: out_str(out, e->reason); break;
	case MIB_O_DHCP_ADDR_TYPE: out_int(out, BER_INTEGER, m->dhcp1.type); break;
	case MIB_O_DHCP1: out_inet(out, &m->dhcp1); break;
	case MIB_O_DHCP2: out_inet(out, &m->dhcp2); break;
	case MIB_O_DNS_ADDR_TYPE:
		out_int(out, BER_INTEGER, c->dns1.type ? c->dns1.type : c->dns2.type);
		break;
	case MIB_O_DNS1: out_inet(out, &c->dns1); break;
	case MIB_O_DNS2: out_inet(out, &c->dns2); break;
	case MIB_O_TIME_ADDR_TYPE: out_int(out, BER_INTEGER, m->time_server.type); break;
	case MIB_O_TIME_SERVER: out_inet(out, &m->time_server); break;
	case MIB_O_UNSOL_KEY_MAX_TIMEOUT: out_int(out, BER_GAUGE32, 600); break;  /* DEFVALs: the */
	case MIB_O_UNSOL_KEY_NOM_TIMEOUT: out_int(out, BER_GAUGE32, 3); break;    /* device uses  */
	case MIB_O_UNSOL_KEY_MAX_RETRIES: out_int(out, BER_GAUGE32, 8); break;    /* no others    */
	case MIB_O_RESET_KRB_TICKETS: out_bytes(out, &c->reset_krb, 1); break;
	case MIB_O_IF_PHYS_ADDRESS: out_bytes(out, m->mac, sizeof(m->mac)); break;
	case MIB_O_EV_SYSLOG_CAPS: {
		/* BITS formatBSDSyslog(0), transportUDP(2): what is built */
		static const uint8_t caps = 0x80 | 0x20;

		out_bytes(out, &caps, 1);
		break;
	}
	case MIB_O_EV_SYSLOG_ADDR_TYPE: out_int(out, BER_INTEGER, c->syslog.type); break;
	case MIB_O_EV_SYSLOG_ADDR: out_inet(out, &c->syslog); break;
	case MIB_O_EV_SYSLOG_FORMAT: out_int(out, BER_INTEGER, 1); break;     /* formatBSDSyslog */
	case MIB_O_EV_SYSLOG_TRANSPORT: out_int(out, BER_INTEGER, 1); break;  /* udp */
	case MIB_O_EV_SYSLOG_PORT: out_int(out, BER_GAUGE32, c->syslog_port); break;
	case MIB_O_CONFIG_FILE: out_str(out, c->config_file); break;
	case MIB_O_DEV_PROFILE_VERSION: out_str(out, m->profile_version); break;
	case MIB_O_CB_SUPPORT: out_int(out, BER_INTEGER, 1); break;   /* true: capability 5.26 */
	case MIB_O_CB_ENABLE: out_int(out, BER_INTEGER, c->cb_enable); break;
	case MIB_O_CB_DATA: out_bytes(out, c->cb_data, c->cb_data_len); break;
	case MIB_O_CB_STATUS: out_int(out, BER_INTEGER, m->cb_status); break;
	case MIB_O_CB_LAST_ERROR: out_str(out, m->cb_why); break;
	case MIB_O_SNMP_ENTITY: out_str(out, m->snmp_entity); break;
	case MIB_O_CONFIG_HASH:
		/* the hash known (SNMP-set, or computed in Basic); empty when none */
		out_bytes(out, c->hash, c->hash_set ? MIB_HASH_LEN : 0);
		break;
	case MIB_O_CONFIG_KEY: out_bytes(out, "", 0); break;  /* RFC 4682: reads return empty */
	case MIB_O_ENCRYPT_ALG: out_int(out, BER_INTEGER, c->encrypt_alg); break;
	case MIB_O_SOL_KEY_TIMEOUT: out_int(out, BER_GAUGE32, c->sol_key_timeout); break;
	case MIB_O_KERB_REALM: out_str(out, m->kerb_realm); break;
	case MIB_O_PSTATE: out_int(out, BER_INTEGER, m->pstate); break;
	case MIB_O_CORRELATION_ID: out_int(out, BER_GAUGE32, m->correlation_id); break;
	case MIB_O_REALM_AVAIL_SLOT: out_int(out, BER_GAUGE32, realm_free_index(&m->run)); break;
	case MIB_O_REALM_NAME: out_str(out, r->name); break;
	case MIB_O_REALM_PKINIT_GRACE: out_int(out, BER_GAUGE32, r->pkinit_grace); break;
	case MIB_O_REALM_TGS_GRACE: out_int(out, BER_GAUGE32, r->tgs_grace); break;
	case MIB_O_REALM_ORG: out_str(out, r->org); break;
	case MIB_O_REALM_MAX_TIMEOUT: out_int(out, BER_GAUGE32, r->max_timeout); break;
	case MIB_O_REALM_NOM_TIMEOUT: out_int(out, BER_GAUGE32, r->nom_timeout); break;
	case MIB_O_REALM_MAX_RETRIES: out_int(out, BER_GAUGE32, r->max_retries); break;
	case MIB_O_REALM_STATUS: out_int(out, BER_INTEGER, RS_ACTIVE); break;
	case MIB_O_TADDR_TDOMAIN: out_tdomain(out, t); break;
	case MIB_O_TADDR_TADDRESS: out_taddress(out, t); break;
	case MIB_O_TADDR_TIMEOUT:
		/* TimeInterval, hundredths of a second; 38.4 is in ms (A15), rounded
		 * up so a non-zero wait never reads 0; without 38.4 the agent waits
		 * NOTIFY_TIMEOUT_MS_DEFAULT (notify.h) */
		out_int(out, BER_INTEGER, t->timeout_ms ? ((int64_t)t->timeout_ms + 9) / 10 :
						     NOTIFY_TIMEOUT_MS_DEFAULT / 10);
		break;
	case MIB_O_TADDR_RETRY_COUNT:
		/* 38.5 as the agent uses it: only with 38.4, else its default */
		out_int(out, BER_INTEGER, t->timeout_ms ? t->retries : NOTIFY_RETRIES_DEFAULT);
		break;
	case MIB_O_TADDR_TAG_LIST: out_str(out, target_inform(t) ? TAG_INFORM : TAG_TRAP); break;
	case MIB_O_TADDR_PARAMS:
		target_name(key, name, sizeof(name));
		out_str(out, name);
		break;
	case MIB_O_TADDR_STORAGE_TYPE:
	case MIB_O_TPARAMS_STORAGE_TYPE:
	case MIB_O_NOTIFY_STORAGE_TYPE:
		out_int(out, BER_INTEGER, STORAGE_VOLATILE);
		break;
	case MIB_O_TADDR_ROW_STATUS:
	case MIB_O_NOTIFY_ROW_STATUS:
		out_int(out, BER_INTEGER, RS_ACTIVE);
		break;
	case MIB_O_TPARAMS_MP_MODEL: out_int(out, BER_INTEGER, target_mp_model(t)); break;
	case MIB_O_TPARAMS_SEC_MODEL: out_int(out, BER_INTEGER, target_sec_model(t)); break;
	case MIB_O_TPARAMS_SEC_NAME: out_str(out, target_v3(t) ? t->secname : SECNAME_V1V2C); break;
	case MIB_O_TPARAMS_SEC_LEVEL:
		out_int(out, BER_INTEGER, target_v3(t) ? SL_AUTH_NO_PRIV : SL_NO_AUTH);
		break;
	case MIB_O_TPARAMS_ROW_STATUS:
		/* an SNMPv3 row names a USM user this eUE has no keys for yet */
		out_int(out, BER_INTEGER, target_v3(t) ? RS_NOT_READY : RS_ACTIVE);
		break;
	case MIB_O_NOTIFY_TAG: out_str(out, key == 0 ? TAG_INFORM : TAG_TRAP); break;
	case MIB_O_NOTIFY_TYPE: out_int(out, BER_INTEGER, key == 0 ? NT_INFORM : NT_TRAP); break;
	case MIB_O_PCSCF_ADDR_TYPE: out_int(out, BER_INTEGER, pc->addr_type); break;
	case MIB_O_PCSCF_ADDR: out_bytes(out, pc->addr, pc->addr_len); break;
	case MIB_O_PCSCF_SIP_PORT: out_int(out, BER_GAUGE32, pc->sip_port); break;
	case MIB_O_PCSCF_PROTOCOL: out_int(out, BER_INTEGER, pc->protocol); break;
	/* no SIP stack yet: nothing is in use, so unknown(0) and empty */
	case MIB_O_PCSCF_USED_ADDR_TYPE: out_int(out, BER_INTEGER, 0); break;
	case MIB_O_PCSCF_USED_ADDR: out_bytes(out, "", 0); break;
	case MIB_O_PCSCF_T1: out_int(out, BER_GAUGE32, pc->t1); break;
	case MIB_O_PCSCF_T2: out_int(out, BER_GAUGE32, pc->t2); break;
	case MIB_O_PCSCF_T4: out_int(out, BER_GAUGE32, pc->t4); break;
	case MIB_O_PCSCF_TD: out_int(out, BER_GAUGE32, pc->td); break;
	case MIB_O_PCSCF_STATUS: out_int(out, BER_INTEGER, RS_ACTIVE); break;
	case MIB_O_PCSCF_INVITE_ATTEMPTS: out_int(out, BER_GAUGE32, pc->invite_attempts); break;
	case MIB_O_PCSCF_MAX_TIME: out_int(out, BER_GAUGE32, pc->max_time); break;
	case MIB_O_PCSCF_BASE_ALL_FAILED: out_int(out, BER_GAUGE32, pc->base_all_failed); break;
	case MIB_O_PCSCF_BASE_ALL_NOT_FAILED:
		out_int(out, BER_GAUGE32, pc->base_all_not_failed);
		break;
	case MIB_O_PCSCF_SUBSCRIBE_RETRY: out_int(out, BER_GAUGE32, pc->subscribe_retry); break;
	case MIB_O_UPS_BATTERY_STATUS:
		out_int(out, BER_INTEGER, bb.status >= 1 && bb.status <= 4 ? bb.status : 1);
		break;
	case MIB_O_UPS_SECONDS_ON_BATTERY:
		out_int(out, BER_INTEGER, bb.seconds_on_battery > INT32_MAX ? INT32_MAX :
					   (int64_t)bb.seconds_on_battery);
		break;
	case MIB_O_UPS_MINUTES_REMAINING:
		/* PositiveInteger: 1..2147483647 */
		out_int(out, BER_INTEGER, bb.minutes_remaining < 1 ? 1 :
					   bb.minutes_remaining > INT32_MAX ? INT32_MAX :
					   (int64_t)bb.minutes_remaining);
		break;
	case MIB_O_UPS_CHARGE_REMAINING:
		out_int(out, BER_INTEGER, bb.charge > 100 ? 100 : bb.charge);
		break;
	case MIB_O_UPS_OUTPUT_SOURCE:
		out_int(out, BER_INTEGER, bb.on_battery ? 5 : 3);       /* battery(5) : normal(3) */
		break;
	case MIB_O_BB_RATED_MINUTES:
		out_int(out, BER_INTEGER, bb.rated_minutes > INT32_MAX ? INT32_MAX :
					   (int64_t)bb.rated_minutes);
		break;
	case MIB_O_BB_AVAILABLE_MINUTES:
		out_int(out, BER_INTEGER, bb.available_minutes > INT32_MAX ? INT32_MAX :
					   (int64_t)bb.available_minutes);
		break;
	case MIB_O_APP_ORG: out_int(out, BER_GAUGE32, ap->org); break;
	case MIB_O_APP_IDENT: out_int(out, BER_GAUGE32, ap->ident); break;
	case MIB_O_APP_REF: out_int(out, BER_GAUGE32, ap->ref); break;
	case MIB_O_APP_ADMIN: out_int(out, BER_INTEGER, ap->admin); break;
	case MIB_O_APP_ADMIN_INFO: out_str(out, ap->admin_info); break;
	case MIB_O_APP_OPER:
		/* PktcEUETCOperStatus: active(1) only while both the application
		 * and the device (pktcMtaDevEnabled) are enabled */
		out_int(out, BER_INTEGER, ap->admin == 1 && c->enabled == 1 ? 1 : 2);
		break;
	case MIB_O_APP_OPER_INFO:
		out_str(out, ap->admin != 1 ? "administratively inactive" :
			     c->enabled != 1 ? "device disabled" : "");
		break;
	case MIB_O_APP_STATUS: out_int(out, BER_INTEGER, RS_ACTIVE); break;
	case MIB_O_NONE:
	case MIB_O_COUNT:
		break;
	}
}

int mib_get(struct mib *m, const uint32_t *oid, size_t n, struct mib_out *out)
{
	const struct obj *o = find_obj(objs, NOBJS, oid, n);
	uint32_t key;

	if (o == NULL || (o->kind == K_BATT && m->battery == NULL))
		return MIB_NO_SUCH_OBJECT;      /* 6.6.4: a board without a battery */
	if (inst_find(m, o, oid, n, &key) != 0)
		return MIB_NO_SUCH_INSTANCE;
	read_val(m, o, key, out);
	return MIB_GET_OK;
}

int mib_getnext(struct mib *m, const uint32_t *oid, size_t n, uint32_t *next, size_t *nn,
		struct mib_out *out)
{
	uint32_t full[OID_ARCS + SFX_MAX];
	struct inst in;
	size_t k, i;

	for (k = 0; k < NOBJS; k++) {
		const struct obj *o = &objs[k];

		/* every instance of o is below the request: skip the object */
		if (oid_cmp(o->oid, o->n, oid, n) < 0 && !has_prefix(oid, n, o))
			continue;
		memcpy(full, o->oid, o->n * sizeof(full[0]));
		/* inst_at() yields instances in OID order: the first above wins */
		for (i = 0; inst_at(m, o, i, &in) == 0; i++) {
			memcpy(full + o->n, in.arcs, in.n * sizeof(full[0]));
			if (oid_cmp(full, o->n + in.n, oid, n) > 0) {
				memcpy(next, full, (o->n + in.n) * sizeof(full[0]));
				*nn = o->n + in.n;
				read_val(m, o, in.key, out);
				return MIB_GET_OK;
			}
		}
	}
	return MIB_END_OF_VIEW;
}

/* ------------------------------------------------------------------ value checks */

static int want_num(const struct mib_val *v, uint8_t type, int64_t lo, int64_t hi,
		    const char **why)
{
	if (v->type != type) {
		*why = WHY_TYPE;
		return MIB_E_WRONG_TYPE;
	}
	if (v->num < lo || v->num > hi) {
		*why = WHY_RANGE;
		return MIB_E_WRONG_VALUE;
	}
	return MIB_E_OK;
}

/* SnmpAdminString of lo..hi bytes, stored as C text (so no NUL inside). */
static int want_str(const struct mib_val *v, size_t lo, size_t hi, const char **why)
{
	if (v->type != BER_OCTETS) {
		*why = WHY_TYPE;
		return MIB_E_WRONG_TYPE;
	}
	if (v->len < lo || v->len > hi) {
		*why = WHY_LENGTH;
		return MIB_E_WRONG_LENGTH;
	}
	if (v->len && memchr(v->bytes, 0, v->len)) {
		*why = WHY_UNSUPPORTED;
		return MIB_E_WRONG_VALUE;
	}
	return MIB_E_OK;
}

static void set_str(char *dst, const struct mib_val *v)
{
	if (v->len)
		memcpy(dst, v->bytes, v->len);
	dst[v->len] = '\0';
}

/* The value check of object id (type, range, length); no side effects. */
static int check_val(int id, const struct mib_val *v, const char **why)
{
	int rc;

	switch (id) {
	case MIB_O_SYS_CONTACT:
	case MIB_O_SYS_NAME:
	case MIB_O_SYS_LOCATION:
	case MIB_O_CONFIG_FILE:
		return want_str(v, 0, MIB_STR_MAX - 1, why);
	case MIB_O_RESET_NOW:
	case MIB_O_ENABLED:
	case MIB_O_CB_ENABLE:
		return want_num(v, BER_INTEGER, 1, 2, why);     /* TruthValue */
	case MIB_O_CB_DATA:
		/* OCTET STRING (SIZE(0..1023)); what it says is checked when it is
		 * used (eue/eue_cb.c: the URL), so a bad one fails the bootstrap
		 * with a reason, not the file */
		if (v->type != BER_OCTETS)
			return want_str(v, 0, 0, why);
		if (v->len > MIB_CB_DATA_MAX) {
			*why = WHY_LENGTH;
			return MIB_E_WRONG_LENGTH;
		}
		return MIB_E_OK;
	case MIB_O_PROV_TIMER:
		return want_num(v, BER_GAUGE32, 0, 30, why);
	case MIB_O_CONFIG_HASH:
		if (v->type != BER_OCTETS)
			return want_str(v, 0, 0, why);
		if (v->len != MIB_HASH_LEN) {
			*why = WHY_LENGTH;
			return MIB_E_WRONG_LENGTH;
		}
		return MIB_E_OK;
	case MIB_O_CONFIG_KEY:
		if (v->type != BER_OCTETS)
			return want_str(v, 0, 0, why);
		if (v->len != MIB_KEY_LEN) {
			*why = WHY_LENGTH;
			return MIB_E_WRONG_LENGTH;
		}
		return MIB_E_OK;
	case MIB_O_ENCRYPT_ALG:
		return want_num(v, BER_INTEGER, 0, 4, why);
	case MIB_O_SOL_KEY_TIMEOUT:
		return want_num(v, BER_GAUGE32, 15, 600, why);
	case MIB_O_DNS1:
	case MIB_O_DNS2:
		/* InetAddress of an ipv4(1) or ipv6(2) type, or empty (unknown) */
		if (v->type != BER_OCTETS)
			return want_str(v, 0, 0, why);
		if (v->len != 0 && v->len != 4 && v->len != 16) {
			*why = WHY_LENGTH;
			return MIB_E_WRONG_LENGTH;
		}
		return MIB_E_OK;
	case MIB_O_RESET_KRB_TICKETS:
		/* BITS with two named bits: one octet, the six unnamed bits zero */
		if (v->type != BER_OCTETS)
			return want_str(v, 0, 0, why);
		if (v->len != 1) {
			*why = WHY_LENGTH;
			return MIB_E_WRONG_LENGTH;
		}
		if (v->bytes[0] & 0x3f) {
			*why = WHY_UNSUPPORTED;
			return MIB_E_WRONG_VALUE;
		}
		return MIB_E_OK;
	case MIB_O_EV_SYSLOG_ADDR_TYPE:
		/* unknown(0), ipv4(1), ipv6(2); dns(16) is not allowed (RFC 5428) */
		return want_num(v, BER_INTEGER, 0, 2, why);
	case MIB_O_EV_SYSLOG_ADDR:
		if (v->type != BER_OCTETS)
			return want_str(v, 0, 0, why);
		if (v->len != 0 && v->len != 4 && v->len != 16) {
			*why = WHY_LENGTH;
			return MIB_E_WRONG_LENGTH;
		}
		return MIB_E_OK;
	case MIB_O_EV_SYSLOG_FORMAT:
	case MIB_O_EV_SYSLOG_TRANSPORT:
		/* only formatBSDSyslog(1) over udp(1) is built */
		if ((rc = want_num(v, BER_INTEGER, 1, 3, why)) != MIB_E_OK)
			return rc;
		if (v->num != 1) {
			*why = WHY_UNSUPPORTED;
			return MIB_E_WRONG_VALUE;
		}
		return MIB_E_OK;
	case MIB_O_EV_SYSLOG_PORT:
		return want_num(v, BER_GAUGE32, 1, 65535, why);
	case MIB_O_REALM_NAME:
		return want_str(v, 1, 255, why);
	case MIB_O_REALM_ORG:
		return want_str(v, 1, 64, why);
	case MIB_O_REALM_PKINIT_GRACE:
		return want_num(v, BER_GAUGE32, 15, 1440, why);
	case MIB_O_REALM_TGS_GRACE:
		return want_num(v, BER_GAUGE32, 1, 1440, why);
	case MIB_O_REALM_MAX_TIMEOUT:
		return want_num(v, BER_GAUGE32, 15, 600, why);
	case MIB_O_REALM_NOM_TIMEOUT:
		return want_num(v, BER_GAUGE32, 100, 600000, why);
	case MIB_O_REALM_MAX_RETRIES:
		return want_num(v, BER_GAUGE32, 0, 32, why);
	case MIB_O_REALM_STATUS:
	case MIB_O_PCSCF_STATUS:
		return want_num(v, BER_INTEGER, 1, 6, why);
	case MIB_O_PCSCF_ADDR_TYPE:
		/* InetAddressType: unknown(0), ipv4(1), ipv6(2), dns(16); the
		 * zone-index types ipv4z(3)/ipv6z(4) name nothing a P-CSCF can be */
		if ((rc = want_num(v, BER_INTEGER, 0, 16, why)) != MIB_E_OK)
			return rc;
		if (v->num != 0 && v->num != 1 && v->num != 2 && v->num != 16) {
			*why = WHY_UNSUPPORTED;
			return MIB_E_WRONG_VALUE;
		}
		return MIB_E_OK;
	case MIB_O_PCSCF_ADDR:
		if (v->type != BER_OCTETS)
			return want_str(v, 0, 0, why);
		if (v->len > MIB_PCSCF_ADDR_MAX) {
			*why = WHY_LENGTH;
			return MIB_E_WRONG_LENGTH;
		}
		return MIB_E_OK;
	case MIB_O_PCSCF_SIP_PORT:
		return want_num(v, BER_GAUGE32, 0, 65535, why);         /* InetPortNumber */
	case MIB_O_PCSCF_PROTOCOL:
		return want_num(v, BER_INTEGER, 1, 3, why);
	case MIB_O_PCSCF_T1:
	case MIB_O_PCSCF_T2:
	case MIB_O_PCSCF_T4:
	case MIB_O_PCSCF_TD:
	case MIB_O_PCSCF_INVITE_ATTEMPTS:
	case MIB_O_PCSCF_MAX_TIME:
	case MIB_O_PCSCF_BASE_ALL_FAILED:
	case MIB_O_PCSCF_BASE_ALL_NOT_FAILED:
	case MIB_O_PCSCF_SUBSCRIBE_RETRY:
	case MIB_O_APP_ORG:
		return want_num(v, BER_GAUGE32, 0, UINT32_MAX, why);    /* Unsigned32 */
	case MIB_O_APP_IDENT:
		return want_num(v, BER_GAUGE32, 1, 127, why);           /* PktcEUETCAppIdentifier */
	case MIB_O_APP_REF:
		return want_num(v, BER_GAUGE32, 0, 31, why);            /* PktcEUETCUsrAppIndexType */
	case MIB_O_APP_ADMIN:
		return want_num(v, BER_INTEGER, 1, 2, why);             /* PktcEUETCAdminStatus */
	case MIB_O_APP_ADMIN_INFO:
		return want_str(v, 0, MIB_APP_INFO_MAX, why);           /* PktcEUETCStatusInfo */
	case MIB_O_APP_STATUS:
		return want_num(v, BER_INTEGER, 1, 6, why);
	}
	*why = WHY_READ_ONLY;
	return MIB_E_NOT_WRITABLE;
}

/*
 * Who may write what (RFC 4682 object descriptions; spec eUE-19):
 * the URL, hash and key come by SNMP only, the URL and hash not in Basic
 * (the device synthesizes them), the key only in Secure ("must not be used
 * in non secure provisioning mode"); pktcMtaDevResetNow is an SNMP action.
 */
static int check_origin(const struct mib *m, int id, const char **why)
{
	int snmp = m->tx_origin == MIB_BY_SNMP;

	switch (id) {
	case MIB_O_RESET_NOW:
		if (!snmp) {
			*why = WHY_READ_ONLY;
			return MIB_E_NOT_WRITABLE;
		}
		return MIB_E_OK;
	case MIB_O_CONFIG_FILE:
	case MIB_O_CONFIG_HASH:
	case MIB_O_CONFIG_KEY:
		if (!snmp) {
			*why = WHY_READ_ONLY;
			return MIB_E_NOT_WRITABLE;
		}
		if (m->flow == MIB_FLOW_BASIC ||
		    (id == MIB_O_CONFIG_KEY && m->flow != MIB_FLOW_SECURE)) {
			*why = WHY_FLOW;
			return MIB_E_INCONSISTENT_VALUE;
		}
		return MIB_E_OK;
	}
	return MIB_E_OK;
}

/* ------------------------------------------------------------------ row status */

/*
 * The RowStatus rules every table here follows (RFC 2579; spec 6.4.2 lets
 * a device refuse createAndWait): createAndGo on a row that is not there
 * (or only pending: columns came first), active on a live row, destroy;
 * createAndWait and notInService are unsupported, notReady is never a SET.
 * st is the staged row's status, NULL when there is none.  *done = 1 when
 * the SET needs nothing more (active, destroy); otherwise the caller
 * creates the row when needed and marks it ST_GO.
 */
static int rs_set(uint8_t *st, int v, int *done, const char **why)
{
	*done = 0;
	switch (v) {
	case RS_CREATE_AND_GO:
		if (st && *st != ST_PENDING)
			break;                                  /* the row exists */
		return MIB_E_OK;
	case RS_ACTIVE:
		if (st == NULL || (*st != RS_ACTIVE && *st != ST_GO))
			break;
		*done = 1;
		return MIB_E_OK;
	case RS_DESTROY:
		if (st)
			*st = ST_GONE;
		*done = 1;
		return MIB_E_OK;
	default:
		*why = WHY_UNSUPPORTED;
		return MIB_E_WRONG_VALUE;
	}
	*why = WHY_ROW;
	return MIB_E_INCONSISTENT_VALUE;
}

/* ------------------------------------------------------------------ realm rows */

static void realm_defaults(struct mib_realm *r, uint32_t idx, uint8_t status)
{
	memset(r, 0, sizeof(*r));
	r->index = idx;
	r->status = status;
	r->pkinit_grace = 30;   /* RFC 4682 DEFVALs */
	r->tgs_grace = 10;
	r->max_timeout = 600;
	r->nom_timeout = 3000;
	r->max_retries = 5;
}

/* A new staged row at idx, kept sorted; NULL when the table is full. */
static struct mib_realm *realm_new(struct mib_cfg *c, uint32_t idx, uint8_t status)
{
	size_t i;

	if (c->n_realms >= MIB_REALMS_MAX)
		return NULL;
	for (i = 0; i < c->n_realms && c->realms[i].index < idx; i++)
		;
	memmove(&c->realms[i + 1], &c->realms[i], (c->n_realms - i) * sizeof(c->realms[0]));
	c->n_realms++;
	realm_defaults(&c->realms[i], idx, status);
	return &c->realms[i];
}

/*
 * The staged row an instance suffix names: RFC 4682 by one index arc
 * (1..255), CableLabs by the IMPLIED realm name (one arc per byte, SIZE
 * 1..64).  *idx gets the index (0: a CableLabs name with no row yet, whose
 * row would take the lowest free index); name/nlen the CableLabs name.
 */
static int realm_resolve(struct mib *m, const struct obj *o, const uint32_t *sfx, size_t ns,
			 uint32_t *idx, char *name, size_t *nlen, struct mib_realm **row)
{
	size_t i;

	*row = NULL;
	*nlen = 0;
	if (o->kind == K_REALM) {
		if (ns != 1 || sfx[0] < 1 || sfx[0] > 255)
			return MIB_E_NO_CREATION;
		*idx = sfx[0];
		*row = realm_at(&m->stage, *idx);
		return MIB_E_OK;
	}
	if (ns < 1 || ns > 64)
		return MIB_E_NO_CREATION;
	for (i = 0; i < ns; i++) {
		if (sfx[i] < 1 || sfx[i] > 255)
			return MIB_E_NO_CREATION;
		name[i] = (char)sfx[i];
	}
	name[ns] = '\0';
	*nlen = ns;
	*idx = 0;
	for (i = 0; i < m->stage.n_realms; i++)
		if (m->stage.realms[i].status != ST_GONE && strcmp(m->stage.realms[i].name, name) == 0) {
			*row = &m->stage.realms[i];
			*idx = (*row)->index;
		}
	return MIB_E_OK;
}

static int realm_set(struct mib *m, const struct obj *o, const uint32_t *sfx, size_t ns,
		     const struct mib_val *v, const char **why)
{
	struct mib_realm *r;
	char name[65];
	size_t nlen;
	uint32_t idx;
	int rc, done;

	if ((rc = realm_resolve(m, o, sfx, ns, &idx, name, &nlen, &r)) != MIB_E_OK) {
		*why = WHY_UNKNOWN;
		return rc;
	}
	if ((rc = check_val(o->id, v, why)) != MIB_E_OK)
		return rc;
	/* the CableLabs name column is the row's index: it cannot differ from it */
	if (o->kind == K_REALM_CL && o->id == MIB_O_REALM_NAME &&
	    (v->len != nlen || memcmp(v->bytes, name, nlen) != 0)) {
		*why = WHY_ROW;
		return MIB_E_INCONSISTENT_VALUE;
	}
	if (o->id == MIB_O_REALM_STATUS) {
		if ((rc = rs_set(r ? &r->status : NULL, (int)v->num, &done, why)) != MIB_E_OK || done)
			return rc;
	} else if (r && r->status == ST_GONE) {
		*why = WHY_ROW;
		return MIB_E_INCONSISTENT_VALUE;
	}
	if (r == NULL) {
		if (idx == 0)
			idx = realm_free_index(&m->stage);
		if (idx == 0 || (r = realm_new(&m->stage, idx, ST_PENDING)) == NULL) {
			*why = WHY_MEMORY;
			return MIB_E_RESOURCE;
		}
		if (nlen)
			memcpy(r->name, name, nlen + 1);
	}
	switch (o->id) {
	case MIB_O_REALM_STATUS: r->status = ST_GO; break;
	case MIB_O_REALM_NAME: set_str(r->name, v); break;
	case MIB_O_REALM_ORG: set_str(r->org, v); break;
	case MIB_O_REALM_PKINIT_GRACE: r->pkinit_grace = (uint32_t)v->num; break;
	case MIB_O_REALM_TGS_GRACE: r->tgs_grace = (uint32_t)v->num; break;
	case MIB_O_REALM_MAX_TIMEOUT: r->max_timeout = (uint32_t)v->num; break;
	case MIB_O_REALM_NOM_TIMEOUT: r->nom_timeout = (uint32_t)v->num; break;
	case MIB_O_REALM_MAX_RETRIES: r->max_retries = (uint32_t)v->num; break;
	}
	return MIB_E_OK;
}

/* ------------------------------------------------------------------ P-CSCF rows */

static void pcscf_defaults(struct mib_pcscf *r, uint32_t idx, uint8_t status)
{
	memset(r, 0, sizeof(*r));
	r->index = idx;
	r->status = status;
	r->sip_port = 5060;     /* DEFVALs of the reconstructed module */
	r->protocol = 1;        /* udp(1): no DEFVAL known; RFC 3261's default transport */
	r->t1 = 500;
	r->t2 = 4000;
	r->t4 = 5000;
	r->td = 32000;
}

/*
 * One pktcEUEDevPCSCFTable cell (index 1..255, one arc), with the RFC 2579
 * rules the realm table follows: createAndGo on a new row, active on an
 * existing one, destroy; createAndWait / notInService are not supported.
 */
static int pcscf_set(struct mib *m, const struct obj *o, const uint32_t *sfx, size_t ns,
		     const struct mib_val *v, const char **why)
{
	struct mib_cfg *c = &m->stage;
	struct mib_pcscf *r;
	size_t i;
	int rc, done;

	if (ns != 1 || sfx[0] < 1 || sfx[0] > 255) {
		*why = WHY_UNKNOWN;
		return MIB_E_NO_CREATION;
	}
	if ((rc = check_val(o->id, v, why)) != MIB_E_OK)
		return rc;
	r = pcscf_at(c, sfx[0]);
	if (o->id == MIB_O_PCSCF_STATUS) {
		if ((rc = rs_set(r ? &r->status : NULL, (int)v->num, &done, why)) != MIB_E_OK || done)
			return rc;
	} else if (r && r->status == ST_GONE) {
		*why = WHY_ROW;
		return MIB_E_INCONSISTENT_VALUE;
	}
	if (r == NULL) {
		if (c->n_pcscf >= MIB_PCSCF_MAX) {
			*why = WHY_MEMORY;
			return MIB_E_RESOURCE;
		}
		for (i = 0; i < c->n_pcscf && c->pcscf[i].index < sfx[0]; i++)
			;
		memmove(&c->pcscf[i + 1], &c->pcscf[i], (c->n_pcscf - i) * sizeof(c->pcscf[0]));
		c->n_pcscf++;
		r = &c->pcscf[i];
		pcscf_defaults(r, sfx[0], ST_PENDING);
	}
	switch (o->id) {
	case MIB_O_PCSCF_STATUS: r->status = ST_GO; break;
	case MIB_O_PCSCF_ADDR_TYPE: r->addr_type = (uint8_t)v->num; break;
	case MIB_O_PCSCF_ADDR:
		if (v->len)
			memcpy(r->addr, v->bytes, v->len);
		r->addr_len = v->len;
		break;
	case MIB_O_PCSCF_SIP_PORT: r->sip_port = (uint32_t)v->num; break;
	case MIB_O_PCSCF_PROTOCOL: r->protocol = (uint32_t)v->num; break;
	case MIB_O_PCSCF_T1: r->t1 = (uint32_t)v->num; break;
	case MIB_O_PCSCF_T2: r->t2 = (uint32_t)v->num; break;
	case MIB_O_PCSCF_T4: r->t4 = (uint32_t)v->num; break;
	case MIB_O_PCSCF_TD: r->td = (uint32_t)v->num; break;
	case MIB_O_PCSCF_INVITE_ATTEMPTS: r->invite_attempts = (uint32_t)v->num; break;
	case MIB_O_PCSCF_MAX_TIME: r->max_time = (uint32_t)v->num; break;
	case MIB_O_PCSCF_BASE_ALL_FAILED: r->base_all_failed = (uint32_t)v->num; break;
	case MIB_O_PCSCF_BASE_ALL_NOT_FAILED: r->base_all_not_failed = (uint32_t)v->num; break;
	case MIB_O_PCSCF_SUBSCRIBE_RETRY: r->subscribe_retry = (uint32_t)v->num; break;
	}
	m->tx_changes |= MIB_CH_PCSCF;
	return MIB_E_OK;
}

/* ------------------------------------------------------------------ AppMap rows */

/*
 * One pktcEUEUsrAppMapTable cell, index (IMPU 1..63, application 1..31),
 * with the RowStatus rules of the other tables (createAndGo, active,
 * destroy).  A new row starts active(1) (AdminStat's DEFVAL as compiled).
 */
static int app_set(struct mib *m, const struct obj *o, const uint32_t *sfx, size_t ns,
		   const struct mib_val *v, const char **why)
{
	struct mib_cfg *c = &m->stage;
	struct mib_app *r;
	size_t i;
	int rc, done;

	if (ns != 2 || sfx[0] < 1 || sfx[0] > 63 || sfx[1] < 1 || sfx[1] > 31) {
		*why = WHY_UNKNOWN;
		return MIB_E_NO_CREATION;
	}
	if ((rc = check_val(o->id, v, why)) != MIB_E_OK)
		return rc;
	r = app_at(c, sfx[0], sfx[1]);
	if (o->id == MIB_O_APP_STATUS) {
		if ((rc = rs_set(r ? &r->status : NULL, (int)v->num, &done, why)) != MIB_E_OK || done)
			return rc;
	} else if (r && r->status == ST_GONE) {
		*why = WHY_ROW;
		return MIB_E_INCONSISTENT_VALUE;
	}
	if (r == NULL) {
		if (c->n_apps >= MIB_APPS_MAX) {
			*why = WHY_MEMORY;
			return MIB_E_RESOURCE;
		}
		for (i = 0; i < c->n_apps &&
			    APP_KEY(c->apps[i].impu, c->apps[i].app) < APP_KEY(sfx[0], sfx[1]); i++)
			;
		memmove(&c->apps[i + 1], &c->apps[i], (c->n_apps - i) * sizeof(c->apps[0]));
		c->n_apps++;
		r = &c->apps[i];
		memset(r, 0, sizeof(*r));
		r->impu = sfx[0];
		r->app = sfx[1];
		r->status = ST_PENDING;
		r->org = 4491;          /* PktcEUETCAppOrgIdentifier: CableLabs' applications */
		r->ident = 1;
		r->admin = 1;
	}
	switch (o->id) {
	case MIB_O_APP_STATUS: r->status = ST_GO; break;
	case MIB_O_APP_ORG: r->org = (uint32_t)v->num; break;
	case MIB_O_APP_IDENT: r->ident = (uint32_t)v->num; break;
	case MIB_O_APP_REF: r->ref = (uint32_t)v->num; break;
	case MIB_O_APP_ADMIN: r->admin = (uint8_t)v->num; break;
	case MIB_O_APP_ADMIN_INFO: set_str(r->admin_info, v); break;
	}
	return MIB_E_OK;
}

/* The address matches its type (RFC 4001): ipv4 4 bytes, ipv6 16, dns an FQDN. */
static int pcscf_addr_ok(const struct mib_pcscf *r)
{
	switch (r->addr_type) {
	case 1: return r->addr_len == 4;
	case 2: return r->addr_len == 16;
	case 16: return r->addr_len >= 1 && memchr(r->addr, 0, r->addr_len) == NULL;
	}
	return 0;
}

/* ------------------------------------------------------------------ transaction */

void mib_set_begin(struct mib *m, enum mib_origin o)
{
	m->stage = m->run;
	m->tx_open = 1;
	m->tx_origin = o;
	m->tx_changes = 0;
	m->tx_reset = 0;
	if (o == MIB_BY_FILE) {
		/* a file replaces the tables it populates (realms, TLV 38 targets) so
		 * the same file applies again after a re-provisioning (6.3.5 restart
		 * from eUE-1); scalars it does not name keep their values */
		m->stage.n_realms = 0;
		memset(m->stage.realms, 0, sizeof(m->stage.realms));
		m->stage.n_targets = 0;
		memset(m->stage.targets, 0, sizeof(m->stage.targets));
		/* 6.6.2: the P-CSCFs are the file's (Option-II), none kept from before */
		m->stage.n_pcscf = 0;
		memset(m->stage.pcscf, 0, sizeof(m->stage.pcscf));
		/* the file defines the applications; SNMP's changes to them are
		 * re-applied after it by eue/incprov.c (6.3.6) */
		m->stage.n_apps = 0;
		memset(m->stage.apps, 0, sizeof(m->stage.apps));
	}
}

void mib_set_abort(struct mib *m)
{
	m->tx_open = 0;
	m->tx_changes = 0;
	m->tx_reset = 0;
}

int mib_set_test(struct mib *m, const uint32_t *oid, size_t n, const struct mib_val *v,
		 const char **why)
{
	const struct obj *o;
	struct mib_cfg *c = &m->stage;
	const char *w = NULL;
	int rc;

	if (why == NULL)
		why = &w;
	*why = NULL;
	if (!m->tx_open) {
		*why = WHY_NO_TX;
		return MIB_E_GEN;
	}
	o = find_obj(objs, NOBJS, oid, n);
	if (o == NULL && m->tx_origin == MIB_BY_FILE)
		o = find_obj(cl_objs, NCLOBJS, oid, n);
	if (o == NULL) {
		*why = WHY_UNKNOWN;
		return MIB_E_NO_CREATION;
	}
	if (o && o->kind == K_BATT && m->battery == NULL)
		o = NULL;       /* no battery: the objects do not exist */
	if (o == NULL) {
		*why = WHY_UNKNOWN;
		return MIB_E_NO_CREATION;
	}
	if (o->kind == K_TADDR || o->kind == K_TPARAMS || o->kind == K_NOTIFY) {
		uint32_t key;

		/* RFC 3416 4.2.5: an existing cell is notWritable, a row that is not
		 * there could never be created (noCreation) */
		*why = WHY_TLV38;
		return inst_find(m, o, oid, n, &key) == 0 ? MIB_E_NOT_WRITABLE : MIB_E_NO_CREATION;
	}
	if (o->acc == A_RO) {
		*why = WHY_READ_ONLY;
		return MIB_E_NOT_WRITABLE;
	}
	if (o->kind == K_REALM || o->kind == K_REALM_CL)
		return realm_set(m, o, oid + o->n, n - o->n, v, why);
	if (o->kind == K_PCSCF)
		return pcscf_set(m, o, oid + o->n, n - o->n, v, why);
	if (o->kind == K_APP)
		return app_set(m, o, oid + o->n, n - o->n, v, why);
	if (n != (size_t)o->n + 1 || oid[o->n] != 0) {
		*why = WHY_UNKNOWN;
		return MIB_E_NO_CREATION;
	}
	if ((rc = check_origin(m, o->id, why)) != MIB_E_OK)
		return rc;
	if ((rc = check_val(o->id, v, why)) != MIB_E_OK)
		return rc;
	switch (o->id) {
	case MIB_O_SYS_CONTACT: set_str(c->sys_contact, v); break;
	case MIB_O_SYS_NAME: set_str(c->sys_name, v); break;
	case MIB_O_SYS_LOCATION: set_str(c->sys_location, v); break;
	case MIB_O_RESET_NOW:
		if (v->num == 1)
			m->tx_reset = 1;
		break;
	case MIB_O_ENABLED: c->enabled = (int)v->num; break;
	case MIB_O_PROV_TIMER: c->prov_timer = (uint32_t)v->num; break;
	case MIB_O_CONFIG_FILE:
		set_str(c->config_file, v);
		m->tx_changes |= MIB_CH_CONFIG_FILE;
		break;
	case MIB_O_CONFIG_HASH:
		memcpy(c->hash, v->bytes, MIB_HASH_LEN);
		c->hash_set = 1;
		m->tx_changes |= MIB_CH_CONFIG_FILE;
		break;
	case MIB_O_CONFIG_KEY:
		memcpy(c->key, v->bytes, MIB_KEY_LEN);
		c->key_set = 1;
		m->tx_changes |= MIB_CH_CONFIG_FILE;
		break;
	case MIB_O_ENCRYPT_ALG: c->encrypt_alg = (int)v->num; break;
	case MIB_O_SOL_KEY_TIMEOUT: c->sol_key_timeout = (uint32_t)v->num; break;
	case MIB_O_DNS1:
	case MIB_O_DNS2: {
		struct mib_inet *a = o->id == MIB_O_DNS1 ? &c->dns1 : &c->dns2;
		const struct mib_inet *other = o->id == MIB_O_DNS1 ? &c->dns2 : &c->dns1;
		uint8_t type = v->len == 4 ? 1 : v->len == 16 ? 2 : 0;

		/* one pktcMtaDevDnsServerAddressType covers both addresses */
		if (type && other->type && other->type != type) {
			*why = WHY_TYPE;
			return MIB_E_INCONSISTENT_VALUE;
		}
		memset(a, 0, sizeof(*a));
		a->type = type;
		if (v->len)
			memcpy(a->addr, v->bytes, v->len);
		break;
	}
	case MIB_O_RESET_KRB_TICKETS: c->reset_krb = v->bytes[0]; break;
	case MIB_O_CB_ENABLE:
		c->cb_enable = (int)v->num;
		/* 6.6.5: an SNMP SET of true triggers at once (every time); a
		 * file's true is acted on after the file was accepted */
		if (v->num == 1 && m->tx_origin == MIB_BY_SNMP)
			m->tx_changes |= MIB_CH_CB_TRIGGER;
		break;
	case MIB_O_CB_DATA:
		if (v->len)
			memcpy(c->cb_data, v->bytes, v->len);
		c->cb_data_len = v->len;
		break;
	case MIB_O_EV_SYSLOG_ADDR_TYPE:
		c->syslog.type = (uint8_t)v->num;
		m->tx_changes |= MIB_CH_SYSLOG;
		break;
	case MIB_O_EV_SYSLOG_ADDR:
		/* the length says the family; the type object names it too */
		memset(c->syslog.addr, 0, sizeof(c->syslog.addr));
		if (v->len)
			memcpy(c->syslog.addr, v->bytes, v->len);
		c->syslog.type = v->len == 4 ? 1 : v->len == 16 ? 2 : c->syslog.type;
		m->tx_changes |= MIB_CH_SYSLOG;
		break;
	case MIB_O_EV_SYSLOG_FORMAT:
	case MIB_O_EV_SYSLOG_TRANSPORT:
		break;
	case MIB_O_EV_SYSLOG_PORT:
		c->syslog_port = (uint32_t)v->num;
		m->tx_changes |= MIB_CH_SYSLOG;
		break;
	}
	return MIB_E_OK;
}

int mib_set_targets(struct mib *m, const struct mib_target *t, size_t n)
{
	if (!m->tx_open)
		return MIB_E_GEN;
	if (n > MIB_TARGETS_MAX)
		return MIB_E_RESOURCE;
	memset(m->stage.targets, 0, sizeof(m->stage.targets));
	if (n)
		memcpy(m->stage.targets, t, n * sizeof(*t));
	m->stage.n_targets = n;
	return MIB_E_OK;
}

int mib_set_check(struct mib *m, uint32_t *oid, size_t *n, const char **why)
{
	static const uint32_t status_col[] = { MTA, 3, 6, 1, 9 };
	static const uint32_t pcscf_col[] = { PCSCF, 12 };
	static const uint32_t app_col[] = { APPMAP, 9 };
	const size_t ns = sizeof(status_col) / sizeof(status_col[0]);
	const size_t np = sizeof(pcscf_col) / sizeof(pcscf_col[0]);
	const char *w;
	size_t i;
	int rc = MIB_E_OK;

	if (why == NULL)
		why = &w;
	if (!m->tx_open) {
		*why = WHY_NO_TX;
		return MIB_E_GEN;
	}
	for (i = 0; i < m->stage.n_realms && rc == MIB_E_OK; i++) {
		const struct mib_realm *r = &m->stage.realms[i];

		if (r->status == ST_PENDING) {
			/* columns of a row that neither exists nor is created (RFC 2579) */
			*why = "ROW WITHOUT ROWSTATUS";
			rc = MIB_E_NO_CREATION;
		} else if (r->status == ST_GO && (r->name[0] == '\0' || r->org[0] == '\0')) {
			/* spec 6.4.2.1: RealmName and RealmOrgName in the same row */
			*why = "INCOMPLETE ROW";
			rc = MIB_E_INCONSISTENT_VALUE;
		}
		if (rc != MIB_E_OK && oid && n) {
			memcpy(oid, status_col, sizeof(status_col));
			oid[ns] = r->index;
			*n = ns + 1;
		}
	}
	for (i = 0; i < m->stage.n_pcscf && rc == MIB_E_OK; i++) {
		const struct mib_pcscf *r = &m->stage.pcscf[i];

		if (r->status == ST_PENDING) {
			*why = "ROW WITHOUT ROWSTATUS";
			rc = MIB_E_NO_CREATION;
		} else if (r->status != ST_GONE && !pcscf_addr_ok(r)) {
			/* a P-CSCF row names one: an address of its type, or an FQDN */
			*why = r->addr_len ? "ADDRESS DOES NOT MATCH ITS TYPE" : "INCOMPLETE ROW";
			rc = MIB_E_INCONSISTENT_VALUE;
		}
		if (rc != MIB_E_OK && oid && n) {
			memcpy(oid, pcscf_col, sizeof(pcscf_col));
			oid[np] = r->index;
			*n = np + 1;
		}
	}
	for (i = 0; i < m->stage.n_apps && rc == MIB_E_OK; i++) {
		const struct mib_app *r = &m->stage.apps[i];
		const size_t na = sizeof(app_col) / sizeof(app_col[0]);

		if (r->status != ST_PENDING)
			continue;
		*why = "ROW WITHOUT ROWSTATUS";
		rc = MIB_E_NO_CREATION;
		if (oid && n) {
			memcpy(oid, app_col, sizeof(app_col));
			oid[na] = r->impu;
			oid[na + 1] = r->app;
			*n = na + 2;
		}
	}
	return rc;
}

void mib_set_commit(struct mib *m)
{
	struct mib_cfg *c = &m->stage;
	enum mib_origin origin;
	unsigned ch;
	size_t i, j;

	if (!m->tx_open)
		return;
	if (mib_set_check(m, NULL, NULL, NULL) != MIB_E_OK) {
		mib_set_abort(m);
		return;
	}
	for (i = j = 0; i < c->n_realms; i++) {
		if (c->realms[i].status == ST_GONE)
			continue;
		c->realms[i].status = RS_ACTIVE;
		c->realms[j++] = c->realms[i];
	}
	for (i = j; i < c->n_realms; i++)
		memset(&c->realms[i], 0, sizeof(c->realms[i]));
	c->n_realms = j;
	for (i = j = 0; i < c->n_pcscf; i++) {
		if (c->pcscf[i].status == ST_GONE)
			continue;
		c->pcscf[i].status = RS_ACTIVE;
		c->pcscf[j++] = c->pcscf[i];
	}
	for (i = j; i < c->n_pcscf; i++)
		memset(&c->pcscf[i], 0, sizeof(c->pcscf[i]));
	c->n_pcscf = j;
	for (i = j = 0; i < c->n_apps; i++) {
		if (c->apps[i].status == ST_GONE)
			continue;
		c->apps[i].status = RS_ACTIVE;
		c->apps[j++] = c->apps[i];
	}
	for (i = j; i < c->n_apps; i++)
		memset(&c->apps[i], 0, sizeof(c->apps[i]));
	c->n_apps = j;
	ch = m->tx_changes & ~(unsigned)MIB_CH_PCSCF;
	if (c->n_apps != m->run.n_apps || memcmp(c->apps, m->run.apps, sizeof(c->apps)) != 0)
		ch |= MIB_CH_APPS;
	if (c->n_pcscf != m->run.n_pcscf ||
	    memcmp(c->pcscf, m->run.pcscf, sizeof(c->pcscf)) != 0)
		ch |= MIB_CH_PCSCF;
	if (c->enabled != m->run.enabled)
		ch |= MIB_CH_ENABLED;
	if (c->n_targets != m->run.n_targets ||
	    memcmp(c->targets, m->run.targets, sizeof(c->targets)) != 0)
		ch |= MIB_CH_TARGETS;
	if (m->tx_reset)
		ch |= MIB_CH_RESET;
	origin = m->tx_origin;
	m->run = *c;
	mib_set_abort(m);
	if (ch && m->on_change)
		m->on_change(m->on_change_arg, ch);
	if (m->on_commit)
		m->on_commit(m->on_commit_arg, ch, origin);
}

/* ------------------------------------------------------------------ error table */

void mib_err_clear(struct mib *m)
{
	memset(m->errs, 0, sizeof(m->errs));
	m->n_errs = 0;
}

/* snprintf into a row field; 1 when it was cut. */
static int put_field(char *dst, size_t cap, const char *s)
{
	return (size_t)snprintf(dst, cap, "%s", s ? s : "") >= cap;
}

int mib_err_add(struct mib *m, const char *oid, const char *value, const char *reason)
{
	struct mib_errrow *e;
	int cut;

	if (m->n_errs >= MIB_ERRS_MAX)
		return E_OVERFLOW;
	e = &m->errs[m->n_errs++];
	if (m->n_errs == MIB_ERRS_MAX) {
		/* RFC 4682: the last row says there were more errors than rows */
		put_field(e->oid, sizeof(e->oid), too_many_oid);
		put_field(e->value, sizeof(e->value), "");
		put_field(e->reason, sizeof(e->reason), "TOO MANY ERRORS");
		return E_OVERFLOW;
	}
	cut = put_field(e->oid, sizeof(e->oid), oid);
	cut |= put_field(e->value, sizeof(e->value), value);
	cut |= put_field(e->reason, sizeof(e->reason), reason);
	return cut ? E_OVERFLOW : 0;
}
