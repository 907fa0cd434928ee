/*
 * cm_dhcp4.h: the eCM's DHCPv4 client, CM1 .. CM4 of spec Table 2, with
 * RFC 2131 retransmission and the lease's renew/rebind.
 *
 * CM1: DISCOVER with option 55 listing 122 iff the eUE does IPv4, and
 * option 125/4491 with CL_V4OPTION_ORO listing 123 iff IPv6 and 124 iff
 * dual-stack.  CM2/CM3: OFFERs are collected for a short window; the best
 * by offer_score() wins; if none carries a requested option, DISCOVER again
 * up to three times 2/4/8 s apart, then take any.  The REQUEST asks for the
 * same options.  CM4: the ACK's options are authoritative over the OFFER.
 * Before the lease exists the client sends and receives on a packet socket
 * (it builds IP and UDP itself, tlv/ipudp.h); renewals use a UDP socket.
 */
#ifndef ECM_CM_DHCP4_H
#define ECM_CM_DHCP4_H

#include <stdint.h>

#include "ecm/offer.h"
#include "platform/loop.h"
#include "platform/retx.h"
#include "platform/trace.h"
#include "tlv/cablelabs.h"
#include "tlv/dhcp4.h"

enum cm4_state {
	CM4_INIT,        /* not started */
	CM4_SELECTING,   /* CM1/CM2: DISCOVER sent, collecting OFFERs */
	CM4_HOLDOFF,     /* CM3: no OFFER had the options; wait 2/4/8 s */
	CM4_REQUESTING,  /* CM3: REQUEST broadcast for the chosen OFFER */
	CM4_BOUND,       /* CM4 done */
	CM4_RENEWING,    /* T1: unicast REQUEST to our server */
	CM4_REBINDING,   /* T2: broadcast REQUEST */
	CM4__COUNT
};

#define CM4_OFFER_MAX 8
#define CM4_PKT_MAX 1500
/* CM2: how long OFFERs are collected after the first one arrives. */
#define CM4_OFFER_WINDOW_MS 500

struct cm4_offer {
	uint32_t server_id;   /* option 54 */
	uint32_t yiaddr;
	unsigned score;       /* offer_score() */
};

struct cm4_lease {
	uint32_t addr, mask, router, server_id;
	uint32_t lease_s, t1_s, t2_s;
	uint64_t bound_ms;
	uint32_t time_servers[4];
	unsigned n_time;
	int32_t time_offset;
	int has_offset;
	uint32_t siaddr;                /* CM7: the CM config file's TFTP server */
	char file[DHCP4_FILE_LEN + 1];  /* and its name */
	struct cl_opts cl;              /* CableLabs options of the ACK */
	uint8_t opt122[1024];           /* option 122 as received (RFC 3396 joined) */
	uint16_t opt122_len;
	uint8_t cl125[255];             /* 125 / 4491 data as received */
	uint16_t cl125_len;
};

struct cm4;
typedef void cm4_event_fn(void *arg, struct cm4 *c, int bound);

struct cm4 {
	/* configuration */
	const char *ifname;
	unsigned ifindex;
	uint8_t mac[6];
	struct offer_req req;
	struct loop *loop;
	cm4_event_fn *event;
	void *arg;
	int install_addr;
	struct trace *trace;
	/* state */
	enum cm4_state state;
	int pfd;                 /* packet socket (SELECTING .. REQUESTING) */
	int ufd;                 /* UDP :68 (BOUND .. REBINDING) */
	struct loop_timer timer;
	struct retx rt;
	struct retx_param renew_p;
	uint32_t xid;
	uint16_t ip_id;
	uint64_t exch_start_ms;
	unsigned retries;        /* CM3 re-DISCOVERs done */
	struct cm4_offer offers[CM4_OFFER_MAX];
	unsigned n_offers;
	unsigned chosen;
	int window_open;         /* CM2: a decision is pending on the timer */
	struct cm4_lease lease;
	unsigned dropped;
};

void cm4_init(struct cm4 *c, struct loop *l, const char *ifname, unsigned ifindex,
	      const uint8_t mac[6], enum board_ip cap, cm4_event_fn *event, void *arg);
int cm4_start(struct cm4 *c);
void cm4_stop(struct cm4 *c);
/* A received DHCP message (the payload of UDP port 68). */
void cm4_input(struct cm4 *c, const uint8_t *buf, size_t len);
const char *cm4_state_str(enum cm4_state s);

extern const struct retx_param cm4_retx_discover, cm4_retx_request;

#endif
