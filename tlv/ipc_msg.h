/*
 * ipc_msg.h: the catalogue of records between ecmd and eued.
 *
 * A record is  u8 version | u8 type | u16 body length | body,  the body a
 * sequence of 16/16 TLV attributes, all big-endian (mips and armhf differ in
 * byte order, so no struct is ever copied raw).  Each message type has a
 * const table of its attributes (code, kind, length bounds, required?, field
 * in the decoded struct), and one encoder and one decoder serve them all.
 *
 * Decoding rejects, with a named error: a version other than
 * IPC_MSG_VERSION (E_VERSION), an unknown type (E_UNSUPPORTED), a body
 * length that disagrees with the record (E_SHORT / E_TRAILING), a partial
 * attribute (E_SHORT), an attribute of a wrong length or repeated
 * (E_PROTO), a missing required attribute (E_PROTO).  Unknown attribute
 * codes inside a known type are skipped, so a newer ecmd can add optional
 * attributes without breaking an older eued.  Decoded byte fields point into
 * a copy inside struct ipc_msg, never into the caller's buffer.
 */
#ifndef TLV_IPC_MSG_H
#define TLV_IPC_MSG_H

#include <stddef.h>
#include <stdint.h>

#define IPC_MSG_VERSION 1
#define IPC_MSG_HDR 4
#define IPC_DSS_ID_MAX 130       /* a DUID: 2-byte type + up to 128 bytes (RFC 8415 11.1) */
#define IPC_CL_RAW_MAX 1024      /* raw CableLabs option bytes as received */
#define IPC_STEP_MAX 16
#define IPC_TEXT_MAX 128

enum ipc_msg_type {
	IPC_CM_READY = 1,    /* ecmd -> eued: CM10 done, the Table 4 decision */
	IPC_TOD = 2,         /* ecmd -> eued: time of day (and later changes) */
	IPC_CM_REINIT = 3,   /* ecmd -> eued: the eCM re-initialises; stop */
	IPC_EUE_STATE = 4,   /* eued -> ecmd: provisioning state (log only) */
	IPC_ESAFE = 5,       /* eued -> ecmd: the eSAFE row (ESAFE-MIB, 6.6.3) */
	IPC_MSG__MAX
};

/* Table 4: what the eCM decided the eUE may do. */
enum ipc_eue_mode { IPC_MODE_DISABLED = 0, IPC_MODE_IPV4 = 1, IPC_MODE_IPV6 = 2 };

struct ipc_tod {
	int64_t unix_ms;     /* UTC, ms since 1970 */
	int32_t offset_s;    /* DHCP option 2 / CL option 38 */
	uint8_t valid;       /* 0: the eCM has no ToD (6.2.1.1 "without ToD") */
};

struct ipc_bytes {
	uint16_t len;
	uint8_t data[IPC_CL_RAW_MAX];
};

struct ipc_cm_ready {
	uint8_t mode;                       /* enum ipc_eue_mode */
	uint8_t dhcp4_primary[4];           /* 122.1 */
	uint8_t dhcp4_secondary[4];         /* 122.2 */
	uint16_t dss_primary_len;           /* CCCv6.1 */
	uint8_t dss_primary[IPC_DSS_ID_MAX];
	uint16_t dss_secondary_len;         /* CCCv6.2 */
	uint8_t dss_secondary[IPC_DSS_ID_MAX];
	struct ipc_bytes opt122;            /* DHCPv4 option 122 as received */
	struct ipc_bytes cccv6;             /* CL_OPTION_CCCV6 (2171) as received */
	struct ipc_bytes ccc;               /* CL_OPTION_CCC (2170) as received */
	uint8_t ip_pref;                    /* 125.124 / CL option 39 */
	struct ipc_tod tod;
};

struct ipc_cm_reinit {
	uint8_t reason;
};

struct ipc_eue_state {
	uint8_t prov_state;                 /* pktcMtaDevProvisioningState */
	char step[IPC_STEP_MAX + 1];        /* spec step name, "eUE-7" */
	uint8_t impact;                     /* eDOCSIS impact (6.6.3) */
	char text[IPC_TEXT_MAX + 1];        /* a short reason, for the eSAFE view */
};

/*
 * The eUE's row of the eCM's ESAFE-MIB view (eDOCSIS; spec 6.6.3): the
 * esafeProvisioningStatusTable columns and esafeDevServiceIntImpact, in the
 * MIB's own encodings, so ecmd stores them as they come (ecm/esafe.h checks
 * the ranges).  eued sends one whenever its progress changes.
 */
enum { IPC_ES_NOT_INITIATED = 1, IPC_ES_IN_PROGRESS = 2, IPC_ES_FINISHED = 3 };
enum { IPC_ES_TRUE = 1, IPC_ES_FALSE = 2 };
enum { IPC_ES_SIGNIFICANT = 1, IPC_ES_NONE = 2, IPC_ES_UNSUPPORTED = 3 };

struct ipc_esafe {
	uint8_t progress;                   /* notInitiated(1), inProgress(2), finished(3) */
	uint8_t failure;                    /* TruthValue: true(1), false(2) */
	char flow[IPC_STEP_MAX + 1];        /* the failed step, "eUE-23" / "MTA23" */
	uint32_t event_id;                  /* the failure's PKT-MEM event ID, 0: none */
	char text[IPC_TEXT_MAX + 1];        /* the failure's text */
	uint8_t impact;                     /* significant(1), none(2), unsupported(3) */
	char impact_info[IPC_TEXT_MAX + 1]; /* esafeDevServiceIntImpactInfo */
};

struct ipc_msg {
	uint8_t type;
	uint32_t have;    /* bit (1 << attribute code) for each present attribute */
	union {
		struct ipc_cm_ready cm_ready;
		struct ipc_tod tod;
		struct ipc_cm_reinit reinit;
		struct ipc_eue_state state;
		struct ipc_esafe esafe;
	} u;
};

/* Attribute codes (one space per message type). */
enum {
	IPC_A_MODE = 1, IPC_A_DHCP4_PRIMARY = 2, IPC_A_DHCP4_SECONDARY = 3,
	IPC_A_DSS_PRIMARY = 4, IPC_A_DSS_SECONDARY = 5, IPC_A_OPT122 = 6,
	IPC_A_CCCV6 = 7, IPC_A_CCC = 8, IPC_A_IP_PREF = 9, IPC_A_TOD = 10,
};
enum { IPC_A_TOD_VALUE = 1 };
enum { IPC_A_REINIT_REASON = 1 };
enum { IPC_A_STATE = 1, IPC_A_STEP = 2, IPC_A_IMPACT = 3, IPC_A_TEXT = 4 };
enum {
	IPC_A_ES_PROGRESS = 1, IPC_A_ES_FAILURE = 2, IPC_A_ES_FLOW = 3, IPC_A_ES_EVENT = 4,
	IPC_A_ES_TEXT = 5, IPC_A_ES_IMPACT = 6, IPC_A_ES_IMPACT_INFO = 7,
};

static inline void ipc_msg_set(struct ipc_msg *m, unsigned code) { m->have |= 1u << code; }
static inline int ipc_msg_has(const struct ipc_msg *m, unsigned code) { return (m->have >> code) & 1u; }

/* Encode m (the attributes whose bit is set in m->have) into buf.  Returns
 * the record length, or E_OVERFLOW / E_INVAL. */
int ipc_msg_encode(const struct ipc_msg *m, uint8_t *buf, size_t cap);
/* Decode one whole record.  Returns 0 or an error (see above); *err_off gets
 * the byte offset of the offending item (may be NULL). */
int ipc_msg_decode(struct ipc_msg *m, const uint8_t *rec, size_t len, size_t *err_off);
const char *ipc_msg_type_str(unsigned type);

#endif
