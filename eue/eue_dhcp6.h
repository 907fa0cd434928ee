/*
 * eue_dhcp6.h: the eUE's DHCPv6 client, steps eUE-1 .. eUE-4 of spec Table 5
 * (PKT-SP-EUE-PROV-I05 6.3.4), with server selection (6.3.2.2, 6.4.1.4),
 * RFC 3315 retransmission, DAD on the leased address, and the renewal rules
 * of 6.3.5.
 *
 * eUE-1: multicast SOLICIT with 1 (DUID-LL of the eUE MAC), 3 (IA_NA), 39
 *        (FQDN, empty name, S=1 N=0 O=0), 6 (ORO 39, 23), 16 (4491
 *        "pktc2.0"), 17/4491 (2 "EDVA", 4..10, 35 capabilities, 36 eUE MAC,
 *        CL ORO 32, 33, 34, 2171); no Rapid Commit.
 * eUE-2: ADVERTISEs are collected until the first retransmission time (RFC
 *        3315 17.1.2) and each is checked against eUE-3's validity rule:
 *        CCCv6 (2171) with valid sub-options 1, 3, 6; sub-option 1 equal to a
 *        DSS_ID the eCM passed on (or any, when the eCM got FFFFFFFF);
 *        sub-option 2 ignored; an offer without a global address is invalid.
 * eUE-3: priority: provisioning server (2171.3) not "0.0.0.0" first, then
 *        Secure, Hybrid, Basic (2171.6); only "0.0.0.0" offers -> DISABLED.
 *        REQUEST with the same options as the SOLICIT.
 * eUE-4: the REPLY is authoritative and re-validated by the same rule; DAD on
 *        the address, DECLINE on a conflict.
 *
 * The client never restarts itself after a failure: it reports FAILED /
 * DISABLED / LOST and stops; "restart with eUE-1" is the flow engine's row.
 * One transition function owns every state's entry actions and the single
 * timer (OpenBSD dhcpleased's shape, as ecm/cm_dhcp6.c).  Layer rule: uses
 * tlv/ and platform/ only, nothing of ecm/.
 */
#ifndef EUE_EUE_DHCP6_H
#define EUE_EUE_DHCP6_H

#include <stdint.h>

#include "platform/loop.h"
#include "platform/retx.h"
#include "platform/trace.h"
#include "tlv/cablelabs.h"
#include "tlv/capab.h"
#include "tlv/dhcp6.h"
#include "tlv/dnsname.h"

enum ed6_state {
	ED6_INIT,       /* not started, or stopped */
	ED6_SOLICIT,    /* eUE-1/eUE-2: soliciting, collecting ADVERTISEs */
	ED6_REQUEST,    /* eUE-3: REQUEST sent to the selected server */
	ED6_DAD,        /* eUE-4: REPLY accepted; DAD on the leased address */
	ED6_DECLINE,    /* eUE-4: DAD found a duplicate: DECLINE (RFC 3315 18.1.7) */
	ED6_BOUND,      /* eUE-4 done: address and options held */
	ED6_RENEW,      /* T1 passed: RENEW to our server (6.3.5) */
	ED6_REBIND,     /* T2 passed: REBIND to any server (6.3.5) */
	ED6_FAILED,     /* a step failed; the engine restarts with eUE-1 */
	ED6_DISABLED,   /* eUE-3: only "0.0.0.0" offers; disabled until re-init */
	ED6__COUNT
};

enum ed6_event {
	ED6_EV_SOLICIT_SENT,  /* eUE-1: the first SOLICIT of an exchange went out */
	ED6_EV_SELECTED,      /* eUE-2 done: a valid ADVERTISE is selected (c->adv[c->chosen]) */
	ED6_EV_REQUEST_SENT,  /* eUE-3: the first REQUEST went out */
	ED6_EV_BOUND,         /* eUE-4 done: c->lease holds the address and options */
	ED6_EV_FAILED,        /* detail: why (no valid ADVERTISE, REQUEST exhausted, ...) */
	ED6_EV_DISABLED,      /* eUE-3: all valid ADVERTISEs carried "0.0.0.0" */
	ED6_EV_RENEWED,       /* 6.3.5: renewal accepted; c->changed says what changed */
	ED6_EV_LOST,          /* 6.3.5: address changed or lease gone: re-initialise */
	ED6_EV__COUNT
};

/* c->changed after ED6_EV_RENEWED (6.3.5: used without re-initialising). */
#define ED6_CHG_DNS 0x01u      /* option 23 */
#define ED6_CHG_SYSLOG 0x02u   /* CL_OPTION_SYSLOG_SERVERS (17/4491.34) */

/* Why an ADVERTISE/REPLY is not valid (eUE-3), for the trace and the tests. */
enum ed6_invalid {
	ED6_VALID = 0,
	ED6_INV_NO_SERVERID,  /* RFC 3315 15.10 */
	ED6_INV_NO_ADDR,      /* no IA_NA address, NoAddrsAvail, or not a global one */
	ED6_INV_NO_CCCV6,     /* 17/4491.2171 absent or malformed */
	ED6_INV_SUB1,         /* 2171.1 DSS_ID absent or bad */
	ED6_INV_SUB3,         /* 2171.3 provisioning server absent or bad */
	ED6_INV_SUB6,         /* 2171.6 realm absent, bad or empty */
	ED6_INV_DSS_ID,       /* 2171.1 not one of the eCM's DSS_IDs */
	ED6_INV__COUNT
};

/* eUE-3 priority classes, best first. */
enum ed6_class { ED6_CL_SECURE, ED6_CL_HYBRID, ED6_CL_BASIC, ED6_CL_DISABLED };

#define ED6_ADV_MAX 8
#define ED6_PKT_MAX 1500
#define ED6_DSS_MAX 2          /* primary and secondary (6.3.2.2) */
#define ED6_ADDRS_MAX 4        /* DNS / syslog servers kept */

/*
 * eUE-2's bound (Table 5: "If it does not obtain any valid DHCP ADVERTISE
 * messages, the eUE MUST consider this step as failed").  RFC 3315 17.1.2
 * gives SOLICIT no MRC; an eUE that solicited for ever would never report
 * the failure the table asks for, and would keep the flow engine (its trace,
 * restart back-off and provisioning timer) blind.  Four transmissions
 * (waits of about 1.1, 2.2, 4.4 and 8.8 s: ~16 s) ride out three lost
 * packets on a link where servers answer in milliseconds; the engine's
 * restart back-off (1 s doubling to 64 s) then repeats eUE-1 indefinitely,
 * so the device as a whole still solicits without a limit.
 */
#define ED6_SOLICIT_MRC 4

struct ed6_config {
	const char *ifname;            /* eUE interface (strings must outlive c) */
	unsigned ifindex;
	uint8_t mac[6];                /* eUE MAC: DUID-LL, 17/4491.36 */
	/* 17/4491 identity (platform/board.h); NULL sends an empty value */
	const char *device_type;       /* NULL: "EDVA" */
	const char *serial, *hw_version, *sw_version, *boot_rom, *model, *vendor;
	uint8_t oui[3];                /* 17/4491.8, sent as 3 bytes */
	const struct capab *caps;      /* 17/4491.35; NULL: ed6_default_caps() */
	/* DSS_IDs the eCM passed on (6.3.2.2); dss_any when it got FFFFFFFF */
	struct cl_dss dss[ED6_DSS_MAX];
	unsigned n_dss;
	int dss_any;
	int install_addr;              /* add/remove the address with netlink (daemon) */
	struct trace *trace;           /* step trace (NULL: log only) */
	unsigned solicit_mrc;          /* 0: ED6_SOLICIT_MRC */
};

struct ed6_adv {
	uint8_t srvid[DHCP6_DUID_MAX];
	uint16_t srvid_len;
	uint8_t addr[16];
	uint8_t pref;                  /* option 7 */
	uint8_t cls;                   /* enum ed6_class */
	unsigned seq;                  /* arrival order */
};

struct ed6_lease {
	uint8_t addr[16];
	uint32_t t1, t2, preferred, valid;   /* seconds */
	uint64_t bound_ms;                   /* monotonic */
	uint8_t srvid[DHCP6_DUID_MAX];
	uint16_t srvid_len;
	struct cl_opts cl;                   /* REPLY's CableLabs options (CCCv6, 32, 33, 34...) */
	uint8_t flow;                        /* enum cl_flow of 2171.6 */
	uint8_t dns[ED6_ADDRS_MAX][16];      /* option 23 */
	unsigned n_dns;
	char fqdn[DNSNAME_TEXT_MAX];         /* option 39 of the REPLY (6.3.5), "" if none */
};

struct ed6;
/* detail: reason for FAILED / DISABLED / LOST, else NULL. */
typedef void ed6_event_fn(void *arg, struct ed6 *c, enum ed6_event ev, const char *detail);

struct ed6 {
	struct ed6_config cfg;
	struct capab caps;
	struct loop *loop;
	ed6_event_fn *event;
	void *arg;
	/* state */
	enum ed6_state state;
	int fd;
	struct loop_timer timer;
	struct retx rt;
	struct retx_param solicit_p;   /* ED6_SOLICIT_MRC applied */
	struct retx_param renew_p;     /* RENEW/REBIND: MRD depends on the lease */
	uint32_t xid;
	uint64_t exch_start_ms;        /* elapsed-time option */
	uint64_t step_start_ms;
	struct ed6_adv adv[ED6_ADV_MAX];
	unsigned n_adv;                /* valid ADVERTISEs kept */
	unsigned n_invalid;            /* ADVERTISEs refused by eUE-3's rule */
	enum ed6_invalid last_invalid;
	unsigned chosen;
	struct ed6_lease lease;
	unsigned changed;              /* ED6_CHG_* of the last RENEWED */
	uint8_t duid[DHCP6_DUID_MAX];
	uint16_t duid_len;
	uint32_t iaid;
	unsigned dropped;              /* malformed or unexpected messages */
	uint64_t dad_start_ms;
	unsigned declines;
	int addr_installed;            /* the lease's address is on the interface (ours) */
	const char *reason;            /* last FAILED / DISABLED / LOST detail */
};

/* Prepare c from cfg (copied; its strings are not).  No I/O. */
void ed6_init(struct ed6 *c, struct loop *l, const struct ed6_config *cfg, ed6_event_fn *ev,
	      void *arg);
/* Open the socket (UDP 546 on cfg.ifname) if needed and begin eUE-1.  Also
 * the engine's "restart with eUE-1" after FAILED / LOST / DISABLED, or from
 * any state (an address a previous lease put on the interface is removed). */
int ed6_start(struct ed6 *c);
/* Cancel everything and close the socket (the leased address stays). */
void ed6_stop(struct ed6 *c);
/* Feed one received message (the fd callback and the tests). */
void ed6_input(struct ed6 *c, const uint8_t *buf, size_t len);
void ed6_on_readable(void *arg, int fd, unsigned events);

const char *ed6_state_str(enum ed6_state s);
const char *ed6_event_str(enum ed6_event e);
const char *ed6_invalid_str(enum ed6_invalid r);
/* The eUE capabilities of Annex A (5.1 = 2, 5.3, 5.4, 5.18, 5.26). */
void ed6_default_caps(struct capab *caps);

/*
 * eUE-3's rule on a decoded ADVERTISE or REPLY: ED6_VALID, or why not.  With
 * ED6_VALID, *cls gets the priority class and ia/cl the decoded parts.  Pure:
 * exposed for the tests and the fuzzer.
 */
enum ed6_invalid ed6_check(const struct ed6_config *cfg, const struct dhcp6_msg *m,
			   struct dhcp6_ia_na *ia, struct cl_opts *cl, enum ed6_class *cls);

/* RFC 3315 5.5 parameters. */
extern const struct retx_param ed6_retx_request, ed6_retx_decline;

#define ED6_DAD_POLL_MS 100   /* the longest wait between two looks at a tentative address */
#define ED6_DAD_MAX_MS 5000

#endif
