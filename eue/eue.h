/*
 * eue.h: one eUE device: the flow engine and the modules that carry out its
 * steps.
 *
 * eued's main owns the process (options, IPC, signals); this owns a device:
 * it starts the flow when the eCM's "cm-ready" record says IPv4 or IPv6
 * (Table 4), binds the engine's actions to the modules, branches on the
 * realm after step 4, and stops the flow when the eCM re-initialises.
 *
 *   eUE-1 .. eUE-4 (IPv6)   eue_ipv6.c (link-local, DAD, router discovery;
 *                           6.3.4), then eue_dhcp6.c (Table 5 rows 1-4)
 *   MTA1 .. MTA4 (IPv4)     eue_dhcp4.c
 *   5 .. 8 (Secure)         eue_kdc.c (the KDC through DNS SRV + AAAA / A)
 *   9 .. 12 (Secure)        eue_krb.c (PKINIT, kerberos/pkinit.c)
 *   13, 14 (Secure)         eue_km.c (key management, the SNMPv3 keys)
 *   15 .. 25                eue_prov.c (SNMP agent and INFORMs, the SET,
 *                           DNS, download, hash, apply, events)
 *
 * The DHCP modules run their exchanges on their own; the engine's rows only
 * observe them.  Each module event is latched, so a row that starts after
 * its event (the engine advances on a zero timer) still completes at once.
 * One struct eue per device; no globals (fleet mode runs many).
 */
#ifndef EUE_EUE_H
#define EUE_EUE_H

#include <stdint.h>

#include "eue/eue_dhcp4.h"
#include "eue/eue_dhcp6.h"
#include "eue/eue_ipv6.h"
#include "eue/eue_prov.h"
#include "eue/esafe_rep.h"
#include "eue/flow.h"
#include "platform/board.h"
#include "platform/loop.h"
#include "platform/nvram.h"
#include "platform/trace.h"
#include "platform/walltime.h"
#include "tlv/ipc_msg.h"

/* What the DHCP steps have seen since the exchange began. */
enum {
	EUE_SEEN_SENT = 1,       /* SOLICIT / DISCOVER out: row 1 */
	EUE_SEEN_SELECTED = 2,   /* a valid ADVERTISE / OFFER: row 2 */
	EUE_SEEN_REQUESTED = 4,  /* REQUEST out: row 3 */
	EUE_SEEN_BOUND = 8,      /* REPLY / ACK accepted: row 4 */
};

struct eue;
/* The device's provisioning state for the eCM's eSAFE view (IPC eue-state). */
typedef void eue_report_fn(void *arg, struct eue *e, const char *state, const char *step);

struct eue {
	const struct board_conf *board;
	struct loop *loop;
	struct trace *trace;
	unsigned ifindex;
	eue_report_fn *report;
	void *arg;
	int started;
	int v6;                      /* IPv6 mode (eUE-N), else IPv4 (MTAN) */
	struct ipc_cm_ready cm;      /* the eCM's record (servers, DSS_IDs, ToD) */
	struct flow_run flow;
	struct ip6 ip6;
	struct ed6 d6;
	struct ed4 d4;
	unsigned seen;               /* EUE_SEEN_* of the current exchange */
	int failed;                  /* a module failed while no row was waiting */
	char fail_reason[64];
	enum flow_action waiting;    /* the DHCP row in progress (FA_PASSIVE: none) */
	char step[16];               /* the spec name of the last step, for reports */
	const struct walltime *wall; /* the eCM's time of day (events' timestamps) */
	struct nvram *nv;            /* the ticket cache (eue_tkt.c); NULL: none */
	uint32_t engine_boots;       /* snmpEngineBoots of this start (RFC 3414 2.2.2), kept in nv */
	struct {                     /* 6.3.2.3 (eue_tod.c) */
		int hold;            /* row 4 waits for the time of day */
		unsigned tries;      /* eUE-1 retries without it */
		struct loop_timer retry;
	} tod;
	struct eue_prov prov;        /* the rows after step 4 */
	struct esafe_rep esafe;      /* the eCM's eSAFE view of this eUE (6.6.3), sent by main */
};

void eue_init(struct eue *e, const struct board_conf *b, struct loop *l, struct trace *t,
	      unsigned ifindex, eue_report_fn *report, void *arg);
/* Free what eue_init allocated (after eue_stop). */
void eue_free(struct eue *e);
/* The wall clock the eCM's time of day sets (main owns it); NULL: none. */
void eue_set_walltime(struct eue *e, const struct walltime *w);
/* Non-volatile storage for the ticket cache (main owns it); NULL: none. */
void eue_set_nvram(struct eue *e, struct nvram *nv);
/* The eCM's "cm-ready": start provisioning in its mode (or stay dormant). */
int eue_start(struct eue *e, const struct ipc_cm_ready *cm);
/* Re-initialise the eUE: every module stopped, the flow again from eUE-1 /
 * MTA1 (a changed lease address, 6.3.5; pktcMtaDevResetNow). */
void eue_restart(struct eue *e, const char *why);
/* The eCM re-initialises, or the process ends: stop everything. */
void eue_stop(struct eue *e);

#endif
