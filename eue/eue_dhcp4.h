/*
 * eue_dhcp4.h: the eUE's DHCPv4 client in IPv4 addressing mode (spec 6.3.3:
 * PKT-PROV1.5 MTA1 .. MTA4, the IPv4 twin of Table 5 eUE-1 .. eUE-4), with
 * server selection (6.3.2.2), RFC 2131 retransmission and the renewal rules
 * of 6.3.5.  A self-contained state machine: the flow engine (flow.h) starts
 * it for MTA1 and reads its events as the outcomes of MTA1 .. MTA4.  It may
 * not include ecm/ (layer rule); its shape follows ecm/cm_dhcp4.c.
 *
 * MTA1  DISCOVER, broadcast from 0.0.0.0 over a packet socket (tlv/ipudp.h):
 *       60 "pktc2.0:" + hex capabilities (6.6.1, Annex A), 43 CableLabs
 *       sub-options (device type "EDVA", serial, versions, OUI, model,
 *       vendor, 43.31 eUE MAC), 61 per RFC 4361 (IAID + the eUE's DUID-LL,
 *       the DUID its DHCPv6 client uses: 6.3.3), 55 (ED4_PRL below).
 * MTA2  OFFERs are acceptable only from a server identifier (54) the eCM
 *       named (122.1 / 122.2), from any server when it named 255.255.255.255
 *       (6.3.2.2; 0.0.0.0 never reaches this client: the eCM keeps the eUE
 *       dormant, Table 4), and only with a usable 122.3 and, unless 122.3 is
 *       the "0.0.0.0" disable value, a 122.6 realm (the IPv4 reading of
 *       eUE-3's "valid sub-options 1, 3 and 6": the server identity is
 *       option 54 here).  They are ranked as eUE-3 ranks ADVERTISEs: 122.3
 *       not "0.0.0.0" first, then a Secure realm, Hybrid, Basic; arrival
 *       breaks ties.  A Secure offer is chosen at once; otherwise the
 *       client waits ED4_OFFER_WINDOW_MS after the first acceptable OFFER.
 *       Only "0.0.0.0" offers -> ED4_EV_DISABLED (eUE-3: disable until
 *       re-initialised).  No acceptable OFFER during the whole DISCOVER
 *       schedule (ed4_retx_discover: 5 DISCOVERs, 4+8+16+32+64 s +-1 s,
 *       about 124 s) -> ED4_EV_FAILED(ED4_FAIL_NO_OFFER): "if it does not
 *       obtain any valid ... messages, the eUE MUST consider this step as
 *       failed" (eUE-3), and the flow engine restarts at MTA1 with back-off.
 * MTA3  REQUEST (same xid, 50 + 54, the same 60/43/61/55: eUE-3 "request
 *       the same options"), RFC 2131 timers, 4 tries.
 * MTA4  The ACK is authoritative (eUE-4): the lease and the CableLabs
 *       options come from it alone; an ACK failing the OFFER criteria fails
 *       the step, an ACK saying "0.0.0.0" disables.  A NAK fails the step.
 *       With cfg.arp_check_ms the address is probed first (RFC 2131 4.4.1
 *       SHOULD; the probe of RFC 5227 2.1.1: sender address 0.0.0.0, one
 *       probe, cfg.arp_check_ms of listening): an ARP packet from another
 *       MAC that claims or probes the address -> DHCPDECLINE (RFC 2131
 *       Table 5 contents) and ED4_EV_FAILED(ED4_FAIL_DECLINED); the engine
 *       restarts at MTA1 after its back-off (RFC 2131 asks for >= 10 s
 *       before the next DISCOVER; the engine's 1 s doubling is shorter the
 *       first time).  0 = no check (the default): on an eSAFE link the
 *       only other station is the CMTS side, and the check costs MTA4 its
 *       wait.
 *
 * Renewals (6.3.5, DHCPv4 rules), T1 unicast over UDP, T2 broadcast:
 *   - another yiaddr, a NAK or the lease running out -> ED4_EV_LOST: the
 *     address is removed and the client idles; the engine re-initialises
 *     from MTA1;
 *   - options 6 / 7 changed -> taken, ED4_EV_RENEWED with ED4_RN_DNS /
 *     ED4_RN_SYSLOG, no re-initialisation;
 *   - options 1 / 3 changed -> applied in place (the spec's "MAY use the
 *     new values (if possible)"): address re-added with the new prefix,
 *     default route replaced; ED4_RN_MASK / ED4_RN_ROUTER.  Re-initialising
 *     would drop Kerberos and SNMP state for a change that keeps the
 *     address;
 *   - an option the renewal ACK leaves out changes nothing (the values in
 *     use are kept): only a different value is a change;
 *   - everything else (file, siaddr, 2, 4, 12, 15, all of 122) is ignored:
 *     the lease keeps the MTA4 values.  The lease times are taken.
 * A renewal ACK with nothing changed raises ED4_EV_RENEWED with flags 0.
 */
#ifndef EUE_EUE_DHCP4_H
#define EUE_EUE_DHCP4_H

#include <stddef.h>
#include <stdint.h>

#include "platform/board.h"
#include "platform/loop.h"
#include "platform/retx.h"
#include "platform/trace.h"
#include "tlv/cablelabs.h"
#include "tlv/capab.h"
#include "tlv/dhcp4.h"

enum ed4_state {
	ED4_IDLE,         /* not started, stopped, failed or lost */
	ED4_SELECTING,    /* MTA1/MTA2: DISCOVER sent, collecting OFFERs */
	ED4_REQUESTING,   /* MTA3: REQUEST broadcast for the chosen OFFER */
	ED4_CHECKING,     /* MTA4: ACK taken, ARP probe of the address (optional) */
	ED4_BOUND,        /* MTA4 done */
	ED4_RENEWING,     /* T1: unicast REQUEST to the server */
	ED4_REBINDING,    /* T2: broadcast REQUEST */
	ED4_DISABLED,     /* eUE-3: only "0.0.0.0" offers; until re-initialised */
	ED4__COUNT
};

enum ed4_event {
	ED4_EV_DISCOVER_SENT,  /* MTA1 done (first DISCOVER of an exchange) */
	ED4_EV_SELECTED,       /* MTA2 done: an acceptable OFFER chosen */
	ED4_EV_REQUEST_SENT,   /* MTA3 done (first REQUEST) */
	ED4_EV_BOUND,          /* MTA4 done: c->lease is valid */
	ED4_EV_FAILED,         /* the current step failed: detail = enum ed4_fail */
	ED4_EV_DISABLED,       /* only "0.0.0.0" offers, or an ACK saying so */
	ED4_EV_RENEWED,        /* renewal ACK: detail = ED4_RN_* flags */
	ED4_EV_LOST,           /* 6.3.5 re-initialise: detail = enum ed4_fail */
};

enum ed4_fail {
	ED4_FAIL_NONE = 0,
	ED4_FAIL_SOCKET,       /* cannot open the packet socket */
	ED4_FAIL_NO_OFFER,     /* MTA2: no acceptable OFFER in the DISCOVER schedule */
	ED4_FAIL_NO_ACK,       /* MTA4: no answer to 4 REQUESTs */
	ED4_FAIL_NAK,          /* MTA4 or renewal: DHCPNAK */
	ED4_FAIL_ACK_INVALID,  /* MTA4: the ACK fails the OFFER criteria */
	ED4_FAIL_ADDR_CHANGED, /* renewal: another yiaddr (6.3.5) */
	ED4_FAIL_EXPIRED,      /* renewal: the lease ran out */
	ED4_FAIL_DECLINED,     /* MTA4: the ARP check found the address in use */
	ED4__FAIL_COUNT
};

/* ED4_EV_RENEWED detail bits (6.3.5). */
#define ED4_RN_DNS 0x1u        /* option 6 changed: taken */
#define ED4_RN_SYSLOG 0x2u     /* option 7 changed: taken */
#define ED4_RN_MASK 0x4u       /* option 1 changed: applied */
#define ED4_RN_ROUTER 0x8u     /* option 3 changed: applied */

/* The eUE's option 55 (MTA1; open-questions A.11: PROV1.5's list is not
 * public).  122, 6, 7, 4, 2 are required by the brief; 1 and 3 configure
 * the interface; 12 and 15 give the host and domain names that form the
 * eUE's FQDN (the Kerberos principal and the SNMP entity's view of it). */
#define ED4_PRL_LEN 9
extern const uint8_t ed4_prl[ED4_PRL_LEN];

#define ED4_OFFER_MAX 8
#define ED4_PKT_MAX 1500
#define ED4_ADDRS_MAX 4
/* MTA2: how long OFFERs are collected after the first acceptable one,
 * unless it is Secure (nothing ranks higher).  RFC 2131 leaves it open. */
#define ED4_OFFER_WINDOW_MS 500

struct ed4_config {
	const char *ifname;
	unsigned ifindex;
	uint8_t mac[6];                  /* the eUE MAC: chaddr, 43.31, DUID-LL */
	/* identity (board.h) for option 43; NULL or "" leaves one out */
	const char *serial, *hw_version, *sw_version, *boot_rom, *model, *vendor;
	uint8_t oui[3];
	/* 6.3.2.2: the eUE DHCPv4 servers the eCM was given in 122.1/122.2;
	 * 255.255.255.255 among them (or any = 1) accepts any server */
	uint32_t servers[2];
	unsigned n_servers;
	int any;
	/* capabilities for option 60; NULL: ed4_default_capab() */
	const struct capab *caps;
	int install_addr;                /* add the address and route (netlink) */
	uint32_t arp_check_ms;           /* MTA4 ARP probe wait; 0 = no check */
	struct trace *trace;             /* NULL: log only */
};

struct ed4_addrs { unsigned n; uint32_t a[ED4_ADDRS_MAX]; };

struct ed4_lease {
	uint32_t addr, mask, router, server_id;
	uint32_t lease_s, t1_s, t2_s;
	uint64_t bound_ms;               /* when the lease (or its renewal) began */
	struct ed4_addrs dns;            /* 6 */
	struct ed4_addrs syslog;         /* 7 */
	struct ed4_addrs time_servers;   /* 4 */
	int32_t time_offset;             /* 2 */
	int has_offset;
	char hostname[64];               /* 12 ("" if absent) */
	char domain[256];                /* 15 */
	uint32_t siaddr;                 /* Basic flow: the config file's TFTP server */
	char file[DHCP4_FILE_LEN + 1];   /* and its name */
	struct cl_opts cl;               /* 122: 3 prov server, 4/5 backoffs, 6 realm,
	                                    7 TGT, 8 prov timer, 9 ticket control */
};

struct ed4_offer {
	uint32_t server_id, yiaddr;
	unsigned rank;                   /* ed4_rank(): lower is better */
};

struct ed4;
typedef void ed4_event_fn(void *arg, struct ed4 *c, enum ed4_event ev, unsigned detail);

struct ed4 {
	struct ed4_config cfg;
	struct loop *loop;
	ed4_event_fn *event;
	void *arg;
	struct capab caps;
	uint8_t duid[10];                /* DUID-LL (RFC 3315 9.4) of the eUE MAC */
	uint32_t iaid;                   /* RFC 4361: the MAC's last 4 bytes, as the eCM's DHCPv6 */
	/* state */
	enum ed4_state state;
	int pfd;                         /* packet socket (SELECTING .. REQUESTING) */
	int ufd;                         /* UDP :68 (BOUND .. REBINDING) */
	int afd;                         /* ARP packet socket (CHECKING) */
	struct loop_timer timer;
	struct retx rt;
	struct retx_param renew_p;
	uint32_t xid;
	uint16_t ip_id;
	uint64_t exch_start_ms;
	struct ed4_offer offers[ED4_OFFER_MAX];
	unsigned n_offers;
	unsigned chosen;
	int window_open;                 /* MTA2: a decision is pending on the timer */
	struct ed4_lease lease;
	unsigned dropped;                /* malformed, foreign or unexpected replies */
	unsigned ignored;                /* well-formed OFFERs that were not acceptable */
};

/* Annex A / capabilities.md: 5.1 = 2 (PacketCable 2.0), 5.2 = 2 lines,
 * 5.3 TGT = 1, 5.4 HTTP = 1, 5.9 NVRAM tickets = 1, 5.10 provisioning
 * events = 1, 5.17 flow logging = 1, 5.18 flows = Secure|Hybrid|Basic,
 * 5.26 certificate bootstrapping = 1 (6.6.5, eue/eue_cb.c). */
void ed4_default_capab(struct capab *c);

/* Fill the identity and wiring of cfg from board.conf (eue_if, eue_mac,
 * serial, versions, OUI, model, vendor); the pointers point into b, which
 * must outlive the client.  The caller sets ifindex, the servers the eCM
 * named (cm-ready), install_addr, arp_check_ms and trace. */
void ed4_config_from_board(struct ed4_config *cfg, const struct board_conf *b);

/* The configuration is copied (its strings and caps must outlive c). */
void ed4_init(struct ed4 *c, struct loop *l, const struct ed4_config *cfg, ed4_event_fn *ev,
	      void *arg);
/* MTA1: (re)start from INIT; ED4_EV_DISCOVER_SENT follows at once.  0 or
 * an E_* (no packet socket; the client stays idle). */
int ed4_start(struct ed4 *c);
/* Stop everything; the address is removed if it was installed. */
void ed4_stop(struct ed4 *c);
/* A received DHCP message (the payload of UDP port 68). */
void ed4_input(struct ed4 *c, const uint8_t *buf, size_t len);
const char *ed4_state_str(enum ed4_state s);
const char *ed4_event_str(enum ed4_event e);
const char *ed4_fail_str(enum ed4_fail f);
/*
 * The eUE-3 rank of an OFFER's CableLabs options, lower is better:
 * 0 Secure, 1 Hybrid, 2 Basic, 3 "0.0.0.0" (disable); -1 not acceptable
 * (no usable 122.3, or no realm with a non-disable 122.3).
 */
int ed4_rank(const struct cl_opts *o);

extern const struct retx_param ed4_retx_discover, ed4_retx_request;

#endif
