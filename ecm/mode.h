/*
 * mode.h: the eUE initialisation and IP addressing mode decision of spec
 * Table 4 (6.3.2.1), with the server-selection values of 6.3.2.2.
 *
 * A pure function from what the eCM requested (the eUE's IP capability
 * decides that: Tables 2 and 3, CM1) and what its DHCP server's ACK/REPLY
 * carried (decoded CableLabs options) to: dormant, IPv4 with the eUE's
 * DHCPv4 servers, or IPv6 with the eUE's DSS_IDs.  Options that were not
 * requested are ignored (6.3.2, CM3).
 */
#ifndef ECM_MODE_H
#define ECM_MODE_H

#include <stdint.h>

#include "platform/board.h"
#include "tlv/cablelabs.h"

enum mode_result { MODE_DORMANT = 0, MODE_IPV4 = 1, MODE_IPV6 = 2 };

/* Which row of Table 4 decided (for the log and the tests). */
enum mode_reason {
	MR_V4_ONLY_VALID,        /* requested v4 only; valid server(s) */
	MR_V4_ONLY_NONE,         /* requested v4 only; none valid: dormant */
	MR_V6_ONLY_VALID,        /* requested v6 only; valid DSS_ID(s) */
	MR_V6_ONLY_NONE,         /* requested v6 only; none valid: dormant */
	MR_PREF_V4,              /* both requested; preference IPv4, v4 valid */
	MR_PREF_V6,              /* both requested; preference IPv6, v6 valid */
	MR_PREF_FALLBACK_V4,     /* preference for a family that is not valid; v4 is */
	MR_PREF_FALLBACK_V6,     /* likewise, v6 is */
	MR_NOPREF_V4,            /* no preference; only v4 valid */
	MR_NOPREF_V6,            /* no preference; only v6 valid */
	MR_NOPREF_BOTH,          /* no preference; both valid: IPv6 */
	MR_NEITHER,              /* both requested; neither valid: dormant */
	MR_SHUTDOWN,             /* an explicit shutdown value */
	MR__COUNT
};

struct mode_decision {
	uint8_t mode;            /* enum mode_result */
	uint8_t reason;          /* enum mode_reason */
	/* IPv4: the eUE accepts OFFERs from these (6.3.2.2) */
	uint8_t any_server;      /* 255.255.255.255 */
	uint8_t n_servers;
	uint32_t servers[2];     /* primary, secondary */
	/* IPv6: ADVERTISEs carrying one of these DSS_IDs */
	uint8_t any_dss;         /* FF FF FF FF */
	uint8_t n_dss;
	struct cl_dss dss[2];
};

/* cap: the eUE's IP capability (what CM1 requested); opts: the ACK/REPLY's
 * CableLabs options (CM4: authoritative over the OFFER). */
void mode_decide(enum board_ip cap, const struct cl_opts *opts, struct mode_decision *d);
const char *mode_reason_str(enum mode_reason r);
const char *mode_result_str(enum mode_result m);

#endif
