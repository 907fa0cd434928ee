/*
 * esafe.h: the eCM's view of its eSAFE, the eUE (eDOCSIS; spec 6.6.3).
 *
 * ESAFE-MIB (1.3.6.1.4.1.4491.2.1.14) gives the eCM one row per eSAFE,
 * indexed by the eSAFE's ifIndex:
 *   esafeProvisioningStatusTable  ...14.1.1.1.1.<col>.<ifIndex>
 *     .1 Progress {notInitiated(1), inProgress(2), finished(3)}
 *     .2 FailureFound (TruthValue)   .3 FailureFlow (SnmpAdminString)
 *     .4 FailureEventID (Unsigned32) .5 FailureErrorText (SnmpAdminString)
 *     .6 LastUpdate (DateAndTime)
 *   esafeDevStatusTable           ...14.1.1.2.1.<col>.<ifIndex>
 *     .1 ServiceIntImpact {significant(1), none(2), unsupported(3)}
 *     .2 ServiceIntImpactInfo (SnmpAdminString)
 * eued fills the row with the IPC "esafe" record (tlv/ipc_msg.h); this file
 * keeps it and answers GET / GETNEXT over the two tables by OID, so the
 * SNMP adapter (ecm/esafe_snmp.c, boards with Net-SNMP) holds no logic and
 * everything here is tested on every board, mips included.  Pure: no I/O,
 * no clock (the caller passes the time of the update).
 */
#ifndef ECM_ESAFE_H
#define ECM_ESAFE_H

#include <stddef.h>
#include <stdint.h>

#include "tlv/ipc_msg.h"

/* eDOCSIS' ifIndex of the PacketCable eMTA / E-UE eSAFE (1 is the eRouter /
 * ePS, 17/18 eSTB, 19 eTEA; Wireshark's DOCSIS dissector names the same). */
#define ESAFE_IFINDEX_EUE 16u

/* The MIB's enumerations, as the IPC record carries them. */
enum esafe_progress {
	ESAFE_NOT_INITIATED = IPC_ES_NOT_INITIATED, ESAFE_IN_PROGRESS = IPC_ES_IN_PROGRESS,
	ESAFE_FINISHED = IPC_ES_FINISHED,
};
enum esafe_truth { ESAFE_TRUE = IPC_ES_TRUE, ESAFE_FALSE = IPC_ES_FALSE };
enum esafe_impact {
	ESAFE_IMPACT_SIGNIFICANT = IPC_ES_SIGNIFICANT, ESAFE_IMPACT_NONE = IPC_ES_NONE,
	ESAFE_IMPACT_UNSUPPORTED = IPC_ES_UNSUPPORTED,
};

#define ESAFE_OID_MAX 16
#define ESAFE_DATE_MAX 11       /* RFC 2579 DateAndTime: 8 octets, or 11 with the UTC offset */

struct esafe_row {
	uint32_t ifindex;
	struct ipc_esafe r;             /* the eUE's last report, ranges checked */
	uint8_t date[ESAFE_DATE_MAX];   /* LastUpdate */
	size_t date_len;
	unsigned updates;               /* reports taken (0: the eUE has not spoken) */
};

struct esafe {
	struct esafe_row eue;           /* the one eSAFE of an E-UE */
};

/* One value read out: an INTEGER, Unsigned32 (a Gauge32 on the wire) or OCTET STRING. */
enum esafe_type { ESAFE_T_INT = 1, ESAFE_T_UNSIGNED = 2, ESAFE_T_OCTETS = 3 };
struct esafe_val {
	uint32_t oid[ESAFE_OID_MAX];    /* the instance */
	size_t oid_len;
	enum esafe_type type;
	uint32_t num;                   /* INT / UNSIGNED */
	const uint8_t *bytes;           /* OCTETS: points into the model */
	size_t len;
};

/* Before the eUE reports: notInitiated(1), no failure, impact none(2) (no
 * service is running that an interruption could hurt), LastUpdate unknown. */
void esafe_init(struct esafe *s);

/*
 * Take the eUE's report r, made at unix_ms UTC (local offset offset_s), or
 * with time_known 0 when the eCM has no time of day.  A value outside its
 * MIB enumeration is E_RANGE and changes nothing (a bug in eued, logged by
 * the caller).  A report without a failure clears the failure columns.
 */
int esafe_update(struct esafe *s, const struct ipc_esafe *r, int time_known, int64_t unix_ms,
		 int32_t offset_s);

/*
 * RFC 2579 DateAndTime of unix_ms at UTC offset offset_s (11 octets: local
 * time and the offset); time unknown, an offset RFC 2579 cannot express,
 * or a local time outside 1970..2105: 8 zero octets (the "no time" value
 * DOCSIS agents report).  Returns the length.
 */
size_t esafe_date(int time_known, int64_t unix_ms, int32_t offset_s, uint8_t out[ESAFE_DATE_MAX]);

/*
 * The value of instance oid (GET), or of the first instance after oid in
 * the two tables (GETNEXT).  0, or E_NOTFOUND (no such instance / past the
 * last one; the agent answers noSuchInstance / goes on to the next subtree).
 */
int esafe_get(const struct esafe *s, const uint32_t *oid, size_t n, struct esafe_val *v);
int esafe_getnext(const struct esafe *s, const uint32_t *oid, size_t n, struct esafe_val *v);

/* "notInitiated", "inProgress", "finished"; "significant", "none", "unsupported" ("?" else). */
const char *esafe_progress_str(unsigned p);
const char *esafe_impact_str(unsigned i);

#endif
