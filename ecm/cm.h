/*
 * cm.h: the eCM's provisioning sequence and its hand-over to the eUE.
 *
 *   CM1..CM4 (v4) / CM1v6..CM4v6   the CM's DHCP (cm_dhcp4.c, cm_dhcp6.c)
 *   CM5/CM6                        time of day, RFC 868 (tod.c)
 *   CM7/CM8                        the CM configuration file by TFTP (tftp_get.c),
 *                                  structure-checked (cmcfg.c)
 *   CM9/CM10                       registration with the CMTS: a board hook
 *   Table 4                        the eUE mode (mode.c), then the IPC record
 *
 * (PKT-PROV1.5 eCM step numbering; "v6" suffixed when the CM provisions
 * over IPv6.)  A dual-stack (APM) CM runs both clients and takes the
 * PacketCable options from DHCPv6, its primary provisioning family (6.3.1:
 * "the primary DHCP server ... designated to provide the eCM configuration
 * information").  6.3.2.3: the eUE's DHCP must not start
 * before CM10, so the "cm-ready" record is produced only after it.  A lost
 * lease re-initialises the eCM and tells the eUE to stop.
 */
#ifndef ECM_CM_H
#define ECM_CM_H

/* The CM configuration file: at most this large (a DOCSIS file is a few KB). */
#define ECM_CFG_MAX (64 * 1024)
/* CM7/CM8 tries before the eCM re-initialises (DOCSIS: back to DHCP). */
#define ECM_CFG_TRIES 3
#define ECM_CFG_RETRY_MS 10000

#include "ecm/cm_dhcp4.h"
#include "ecm/cm_dhcp6.h"
#include "ecm/mode.h"
#include "ecm/tftp_get.h"
#include "ecm/tod.h"
#include "platform/board.h"
#include "platform/trace.h"
#include "platform/walltime.h"
#include "tlv/ipc_msg.h"

enum ecm_state {
	ECM_IDLE, ECM_DHCP, ECM_TOD, ECM_CONFIG, ECM_REGISTER, ECM_OPERATIONAL, ECM_FAILED,
	ECM__COUNT
};

struct ecm;
/* A record for eued (cm-ready, tod, cm-reinit). */
typedef void ecm_send_fn(void *arg, const struct ipc_msg *m);
/* CM9/CM10 board hook: 0 = registered.  The lab's is a no-op. */
typedef int ecm_register_fn(void *arg, struct ecm *e);

struct ecm {
	const struct board_conf *board;
	struct loop *loop;
	struct trace *trace;
	unsigned ifindex;
	ecm_send_fn *send;
	ecm_register_fn *reg;
	void *arg;
	enum ecm_state state;
	int v6;                 /* the sequence runs on DHCPv6 (IPv6 or APM) */
	struct cm4 cm4;
	struct cm6 cm6;
	struct tod_client tod;
	struct loop_timer tod_retry;
	struct net_addr tod_srv[TOD_SERVERS_MAX];   /* the servers the last ToD asked (6.3.2.3) */
	unsigned tod_nsrv;
	struct walltime wall;
	int tod_ok;
	struct tftp_get tftp;
	uint8_t *cfg;           /* the CM configuration file while it is fetched */
	size_t cfg_len;
	unsigned cfg_tries;
	struct loop_timer cfg_retry;
	struct mode_decision decision;
	struct ipc_msg ready;   /* the cm-ready record, kept for a late eued */
	int have_ready;
};

void ecm_init(struct ecm *e, const struct board_conf *b, struct loop *l, struct trace *t,
	      unsigned ifindex, ecm_send_fn *send, ecm_register_fn *reg, void *arg);
int ecm_start(struct ecm *e);
void ecm_stop(struct ecm *e);
/* The reason in the cm-reinit record (tlv/ipc_msg.h) */
enum { ECM_REINIT_RESET = 1, ECM_REINIT_CONFIG = 2 };
/* The operator resets the eCM (what DOCSIS docsDevResetNow does): CM1 again,
 * the eUE stopped until CM10 gives it a new cm-ready. */
void ecm_reset_now(struct ecm *e);
const char *ecm_state_str(enum ecm_state s);

#endif
