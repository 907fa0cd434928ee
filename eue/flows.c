/*
 * flows.c: the step tables (data only).
 *
 * Secure: spec Table 5, eUE-1 .. eUE-25, with its "sequence upon failure"
 * column; its IPv4 twin is PKT-PROV1.5's MTA1 .. MTA25 (the same rows, the
 * prefix differs).  Basic and Hybrid follow reference/flows-prov15.md
 * section 3: Basic = steps 1..4, 22..25 (config file from DHCP, hash in the
 * file); Hybrid = 1..4, 15..25 without Kerberos; ".1" ends at step 24, ".2"
 * also sends the final status INFORM (step 25).  That ".1"/".2" split is
 * this product's reading of unpublished PROV1.5 text (open-questions A9,
 * README "Interpretations").
 */
#include "eue/flows.h"

#define T FLOW_F_TIMED
#define R 1              /* "restart with eUE-1" */

/* The DHCP rows every flow starts with; the realm branches after row 4. */
#define DHCP_ROWS                                                                        \
	{ 1, FA_DHCP_SEND, 0, FLOW_NEXT, R, 0, "SOLICIT / DISCOVER" },                    \
	{ 2, FA_DHCP_OFFER, 0, FLOW_NEXT, R, 0, "a valid ADVERTISE / OFFER" },            \
	{ 3, FA_DHCP_REQUEST, 0, FLOW_NEXT, R, 0, "REQUEST" },                            \
	{ 4, FA_DHCP_REPLY, FLOW_F_BRANCH, FLOW_NEXT, R, 0, "REPLY / ACK; the realm picks the flow" }

/* Steps 22 .. 24 end every flow: download, then the syslog report (the
 * provisioning timer stops after the file, RFC 4682: "MTA5 to MTA23"). */
#define FILE_ROWS                                                                        \
	{ 22, FA_CFG_REQUEST, T, FLOW_NEXT, R, 0, "TFTP/HTTP request" },                  \
	{ 23, FA_CFG_FILE, T, FLOW_NEXT, R, 24, "file: hash, decrypt, apply" },            \
	{ 24, FA_SYSLOG, 0, FLOW_NEXT, 25, 0, "syslog: provisioning complete" }

static const struct flow_step secure_steps[] = {
	DHCP_ROWS,
	{ 5, FA_DNS_KDC_SRV, T, FLOW_NEXT, R, 0, "DNS SRV for the realm's KDC" },
	{ 6, FA_DNS_KDC_SRV_REPLY, T, FLOW_NEXT, R, 0, "DNS SRV reply" },
	{ 7, FA_DNS_KDC_ADDR, T, FLOW_NEXT, R, 0, "DNS AAAA / A for the KDC" },
	{ 8, FA_DNS_KDC_ADDR_REPLY, T, FLOW_NEXT, R, 0, "DNS reply" },
	{ 9, FA_AS_REQ, T, FLOW_NEXT, R, 0, "AS-REQ with PKINIT" },
	{ 10, FA_AS_REP, T, FLOW_NEXT, R, 0, "AS-REP" },
	{ 11, FA_TGS_REQ, T, FLOW_NEXT, R, 0, "TGS-REQ (when a TGT was asked for)" },
	{ 12, FA_TGS_REP, T, FLOW_NEXT, R, 0, "TGS-REP" },
	{ 13, FA_AP_REQ, T, FLOW_NEXT, R, 0, "AP Request to the provisioning server" },
	{ 14, FA_AP_REP, T, FLOW_NEXT, R, 0, "AP Reply: SNMPv3 keys" },
	{ 15, FA_ENROLL_INFORM, T, FLOW_NEXT, R, 0, "enrollment INFORM" },
	{ 16, FA_PASSIVE, T, FLOW_NEXT, R, 0, "SNMPv3 GET (optional, the server's)" },
	{ 17, FA_PASSIVE, T, FLOW_NEXT, R, 0, "SNMPv3 GET response" },
	{ 18, FA_PASSIVE, T, FLOW_NEXT, R, 0, "the back office builds the file" },
	{ 19, FA_CONFIG_SET, T, FLOW_NEXT, R, 0, "SET of file URL, hash, key" },
	{ 20, FA_DNS_CFG, T, FLOW_NEXT, R, 0, "DNS for the file server" },
	{ 21, FA_DNS_CFG_REPLY, T, FLOW_NEXT, R, 0, "DNS reply" },
	FILE_ROWS,
	{ 25, FA_STATUS_INFORM, FLOW_F_FINAL, FLOW_NEXT, FLOW_STOP, 0, "provisioning status INFORM" },
};

/* Hybrid: the SNMP rows of the Secure flow without Kerberos (SNMPv2c). */
#define HYBRID_ROWS                                                                      \
	{ 15, FA_ENROLL_INFORM, T, FLOW_NEXT, R, 0, "enrollment INFORM" },                \
	{ 16, FA_PASSIVE, T, FLOW_NEXT, R, 0, "SNMP GET (optional, the server's)" },      \
	{ 17, FA_PASSIVE, T, FLOW_NEXT, R, 0, "SNMP GET response" },                      \
	{ 18, FA_PASSIVE, T, FLOW_NEXT, R, 0, "the back office builds the file" },        \
	{ 19, FA_CONFIG_SET, T, FLOW_NEXT, R, 0, "SET of file URL and hash" },            \
	{ 20, FA_DNS_CFG, T, FLOW_NEXT, R, 0, "DNS for the file server" },                \
	{ 21, FA_DNS_CFG_REPLY, T, FLOW_NEXT, R, 0, "DNS reply" }

static const struct flow_step hybrid2_steps[] = {
	DHCP_ROWS,
	HYBRID_ROWS,
	FILE_ROWS,
	{ 25, FA_STATUS_INFORM, FLOW_F_FINAL, FLOW_NEXT, FLOW_STOP, 0, "provisioning status INFORM" },
};

/* Hybrid.1 is Hybrid.2 without the final INFORM: step 24 ends it. */
static const struct flow_step hybrid1_steps[] = {
	DHCP_ROWS,
	HYBRID_ROWS,
	{ 22, FA_CFG_REQUEST, T, FLOW_NEXT, R, 0, "TFTP/HTTP request" },
	{ 23, FA_CFG_FILE, T, FLOW_NEXT, R, 24, "file: hash, apply" },
	{ 24, FA_SYSLOG, FLOW_F_FINAL, FLOW_NEXT, FLOW_STOP, 0, "syslog: provisioning complete" },
};

static const struct flow_step basic2_steps[] = {
	DHCP_ROWS,
	FILE_ROWS,
	{ 25, FA_STATUS_INFORM, FLOW_F_FINAL, FLOW_NEXT, FLOW_STOP, 0, "provisioning status INFORM" },
};

static const struct flow_step basic1_steps[] = {
	DHCP_ROWS,
	{ 22, FA_CFG_REQUEST, T, FLOW_NEXT, R, 0, "TFTP request (siaddr/file or CL 32/33)" },
	{ 23, FA_CFG_FILE, T, FLOW_NEXT, R, 24, "file: in-file hash, apply" },
	{ 24, FA_SYSLOG, FLOW_F_FINAL, FLOW_NEXT, FLOW_STOP, 0, "syslog: provisioning complete" },
};

#define FLOW(n, s) { n, s, sizeof(s) / sizeof(s[0]) }
const struct flow flow_secure = FLOW("secure", secure_steps);
const struct flow flow_hybrid1 = FLOW("hybrid.1", hybrid1_steps);
const struct flow flow_hybrid2 = FLOW("hybrid.2", hybrid2_steps);
const struct flow flow_basic1 = FLOW("basic.1", basic1_steps);
const struct flow flow_basic2 = FLOW("basic.2", basic2_steps);

const struct flow *const flows_all[FLOWS_COUNT] = {
	&flow_secure, &flow_hybrid1, &flow_hybrid2, &flow_basic1, &flow_basic2,
};

const char *flows_prefix(int ipv6)
{
	return ipv6 ? "eUE-" : "MTA";
}
