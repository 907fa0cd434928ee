/*
 * cm_dhcp6.h: the eCM's DHCPv6 client, CM1v6 .. CM4v6 of spec Table 3, with
 * RFC 3315 retransmission and the lease's renew/rebind.
 *
 * CM1v6: SOLICIT with CL_OPTION_ORO (17/4491 sub-option 1) listing 2170 iff
 * the eUE does IPv4, 2171 iff IPv6, both and 39 iff dual-stack.  CM2v6/CM3v6:
 * ADVERTISEs are collected until the first retransmission time; the best by
 * offer_score() wins; if none carries a requested option, SOLICIT again up to
 * three times 2/4/8 s apart, then take any.  REQUEST asks for the same
 * options.  CM4v6: the REPLY's options are authoritative over the ADVERTISE.
 * One transition function owns every state's entry actions and the single
 * timer (after OpenBSD dhcpleased's engine).
 */
#ifndef ECM_CM_DHCP6_H
#define ECM_CM_DHCP6_H

#include <stdint.h>

#include "ecm/offer.h"
#include "platform/loop.h"
#include "platform/retx.h"
#include "platform/trace.h"
#include "tlv/cablelabs.h"
#include "tlv/dhcp6.h"

enum cm6_state {
	CM6_INIT,       /* not started */
	CM6_SOLICIT,    /* CM1v6/CM2v6: soliciting, collecting ADVERTISEs */
	CM6_HOLDOFF,    /* CM3v6: no ADVERTISE had the options; wait 2/4/8 s */
	CM6_REQUEST,    /* CM3v6: REQUEST sent to the chosen server */
	CM6_DAD,        /* CM4v6: REPLY taken; DAD on the leased address */
	CM6_DECLINE,    /* DAD found a duplicate: DECLINE (RFC 3315 18.1.7) */
	CM6_BOUND,      /* CM4v6 done: address and options held */
	CM6_RENEW,      /* T1 passed: RENEW to our server */
	CM6_REBIND,     /* T2 passed: REBIND to any server */
	CM6__COUNT
};

#define CM6_ADV_MAX 8
#define CM6_PKT_MAX 1500

struct cm6_adv {
	uint8_t srvid[DHCP6_DUID_MAX];
	uint16_t srvid_len;
	uint8_t addr[16];
	int has_addr;
	uint8_t pref;         /* option 7 */
	unsigned score;       /* offer_score() */
};

struct cm6_lease {
	uint8_t addr[16];
	uint32_t t1, t2, preferred, valid;   /* seconds */
	uint64_t bound_ms;                   /* monotonic */
	uint8_t srvid[DHCP6_DUID_MAX];
	uint16_t srvid_len;
	struct cl_opts cl;                   /* CableLabs options of the REPLY */
	uint8_t vendor[1024];                /* the REPLY's 17/4491 data, as received */
	uint16_t vendor_len;
	uint8_t dns[2][16];
	unsigned n_dns;
};

struct cm6;
/* Bound (first time and after each RENEW/REBIND), or lost (lease expired). */
typedef void cm6_event_fn(void *arg, struct cm6 *c, int bound);

struct cm6 {
	/* configuration */
	const char *ifname;
	unsigned ifindex;
	uint8_t mac[6];
	struct offer_req req;
	struct loop *loop;
	cm6_event_fn *event;
	void *arg;
	int install_addr;        /* add the leased address with netlink (the daemon) */
	struct trace *trace;     /* the device's step trace (NULL: log only) */
	/* state */
	enum cm6_state state;
	int fd;
	struct loop_timer timer;
	struct retx rt;
	struct retx_param renew_p;   /* RENEW/REBIND: MRD depends on the lease */
	uint32_t xid;
	uint64_t exch_start_ms;  /* for the elapsed-time option */
	uint64_t step_start_ms;  /* for the step log */
	unsigned retries;        /* CM3v6 re-SOLICITs done */
	struct cm6_adv adv[CM6_ADV_MAX];
	unsigned n_adv;
	unsigned chosen;
	struct cm6_lease lease;
	uint8_t duid[DHCP6_DUID_MAX];
	uint16_t duid_len;
	uint32_t iaid;
	unsigned dropped;        /* malformed or unexpected messages */
	uint64_t dad_start_ms;
	unsigned declines;
};

/* Prepare c (no I/O).  cap: the eUE's IP capability decides CM1v6's ORO. */
void cm6_init(struct cm6 *c, struct loop *l, const char *ifname, unsigned ifindex,
	      const uint8_t mac[6], enum board_ip cap, cm6_event_fn *event, void *arg);
/* Open the socket (client port 546 on ifname) and send the first SOLICIT. */
int cm6_start(struct cm6 *c);
void cm6_stop(struct cm6 *c);
/* Feed one received message (the daemon's fd callback and the tests use it). */
void cm6_input(struct cm6 *c, const uint8_t *buf, size_t len);
void cm6_on_readable(void *arg, int fd, unsigned events);
const char *cm6_state_str(enum cm6_state s);

/* The retransmission parameters (RFC 3315 section 5.5). */
extern const struct retx_param cm6_retx_solicit, cm6_retx_request, cm6_retx_decline;

/* DAD on the leased address: poll its state this often, and give up
 * waiting (and use it) after this long (a kernel without DAD reports the
 * address usable at once). */
#define CM6_DAD_POLL_MS 100   /* the longest wait between two looks at a tentative address */
#define CM6_DAD_MAX_MS 5000

#endif
