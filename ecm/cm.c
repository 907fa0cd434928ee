/* cm.c: the eCM's provisioning sequence (cm.h). */
#include "ecm/cm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "platform/bytes.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "ecm/cmcfg.h"
#include "platform/log.h"
#include "tlv/dhcp6.h"
#include "tlv/tlv.h"

/* After a ToD iteration fails, try again this often (6.3.2.3 lets the CM run
 * without time; the eUE is told when it arrives). */
#define ECM_TOD_RETRY_MS 30000

static const char *const ecm_state_names[ECM__COUNT] = {
	[ECM_IDLE] = "idle", [ECM_DHCP] = "dhcp", [ECM_TOD] = "tod", [ECM_CONFIG] = "config",
	[ECM_REGISTER] = "register", [ECM_OPERATIONAL] = "operational", [ECM_FAILED] = "failed",
};

const char *ecm_state_str(enum ecm_state s)
{
	return s < ECM__COUNT ? ecm_state_names[s] : "?";
}

/* "CM5" or "CM5v6" as the CM provisions (PKT-PROV1.5 / spec Table 3). */
static const char *ecm_step(const struct ecm *e, const char *base, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%s", base, e->v6 ? "v6" : "");
	return buf;
}
#define STEP(e, base) ecm_step((e), (base), (char[16]){ 0 }, 16)

static const struct cl_opts *ecm_cl(const struct ecm *e)
{
	return e->v6 ? &e->cm6.lease.cl : &e->cm4.lease.cl;
}

static void ecm_set_state(struct ecm *e, enum ecm_state s)
{
	e->state = s;
	trace_state(e->trace, ecm_state_str(s));
}

/* The sub-option value of a 16/16 CableLabs option inside 17/4491 data. */
static void ecm_raw_sub(const uint8_t *vendor, size_t len, uint16_t code, struct ipc_bytes *out,
			struct ipc_msg *m, unsigned attr)
{
	const uint8_t *v;
	int n = dhcp6_opt_find(vendor, len, code, &v);

	if (n < 0 || (size_t)n > sizeof(out->data))
		return;
	memcpy(out->data, v, (size_t)n);
	out->len = (uint16_t)n;
	ipc_msg_set(m, attr);
}

static void ecm_fill_tod(struct ecm *e, struct ipc_tod *t)
{
	int64_t now;

	memset(t, 0, sizeof(*t));
	if (e->tod_ok && walltime_now(&e->wall, clock_mono_ms(), &now) == 0) {
		t->unix_ms = now;
		t->offset_s = e->wall.offset_s;
		t->valid = 1;
	}
}

/* The eCM's time to the eUE (6.3.2.3), once the eUE may start. */
static void ecm_send_tod(struct ecm *e)
{
	struct ipc_msg m;

	if (e->state != ECM_OPERATIONAL || !e->send)
		return;
	memset(&m, 0, sizeof(m));
	m.type = IPC_TOD;
	ecm_fill_tod(e, &m.u.tod);
	ipc_msg_set(&m, IPC_A_TOD_VALUE);
	e->send(e->arg, &m);
}

/* Table 4, then the record that lets the eUE start (after CM10). */
static void ecm_decide(struct ecm *e)
{
	const struct cl_opts *cl = ecm_cl(e);
	struct mode_decision *d = &e->decision;
	struct ipc_msg *m = &e->ready;
	struct ipc_cm_ready *r = &m->u.cm_ready;

	mode_decide(e->board->eue_ip_cap, cl, d);
	trace_step(e->trace, "Table4", mode_result_str(d->mode), "reason=\"%s\" servers=%u dss_ids=%u",
		   mode_reason_str(d->reason), d->n_servers, d->n_dss);
	memset(m, 0, sizeof(*m));
	m->type = IPC_CM_READY;
	r->mode = d->mode == MODE_IPV4 ? IPC_MODE_IPV4 : d->mode == MODE_IPV6 ? IPC_MODE_IPV6 :
		  IPC_MODE_DISABLED;
	ipc_msg_set(m, IPC_A_MODE);
	if (d->n_servers > 0) {
		store_be32(r->dhcp4_primary, d->servers[0]);
		ipc_msg_set(m, IPC_A_DHCP4_PRIMARY);
	}
	if (d->n_servers > 1) {
		store_be32(r->dhcp4_secondary, d->servers[1]);
		ipc_msg_set(m, IPC_A_DHCP4_SECONDARY);
	}
	if (d->n_dss > 0) {
		r->dss_primary_len = d->dss[0].len;
		memcpy(r->dss_primary, d->dss[0].id, d->dss[0].len);
		ipc_msg_set(m, IPC_A_DSS_PRIMARY);
	}
	if (d->n_dss > 1) {
		r->dss_secondary_len = d->dss[1].len;
		memcpy(r->dss_secondary, d->dss[1].id, d->dss[1].len);
		ipc_msg_set(m, IPC_A_DSS_SECONDARY);
	}
	/* every CableLabs sub-option the eCM received goes along, as received */
	if (e->v6) {
		const struct cm6_lease *l = &e->cm6.lease;

		ecm_raw_sub(l->vendor, l->vendor_len, CL_V6_CCCV6, &r->cccv6, m, IPC_A_CCCV6);
		ecm_raw_sub(l->vendor, l->vendor_len, CL_V6_CCC, &r->ccc, m, IPC_A_CCC);
	} else {
		const struct cm4_lease *l = &e->cm4.lease;
		struct tlv_it it;
		struct tlv_item item;

		if (l->opt122_len) {
			memcpy(r->opt122.data, l->opt122, l->opt122_len);
			r->opt122.len = l->opt122_len;
			ipc_msg_set(m, IPC_A_OPT122);
		}
		/* CL_V4OPTION_CCCV6 (125/4491.123), the same sub-options as 2171 */
		tlv_it_init(&it, TLV_8_8, l->cl125, l->cl125_len);
		while (tlv_next(&it, &item) == 1) {
			if (item.type == CL_V4_CCCV6) {
				memcpy(r->cccv6.data, item.val, item.len);
				r->cccv6.len = (uint16_t)item.len;
				ipc_msg_set(m, IPC_A_CCCV6);
				break;
			}
		}
	}
	if (cl_has(cl, CL_F_IP_PREF)) {
		r->ip_pref = cl->ip_pref;
		ipc_msg_set(m, IPC_A_IP_PREF);
	}
	ecm_fill_tod(e, &r->tod);
	ipc_msg_set(m, IPC_A_TOD);
	e->have_ready = 1;
	ecm_set_state(e, ECM_OPERATIONAL);
	if (e->send)
		e->send(e->arg, m);
}

static void ecm_register(struct ecm *e)
{
	int rc;

	ecm_set_state(e, ECM_REGISTER);
	trace_step(e->trace, STEP(e, "CM9"), "sent", "hook=%s", e->reg ? "board" : "none");
	rc = e->reg ? e->reg(e->arg, e) : 0;
	if (rc < 0) {
		trace_step(e->trace, STEP(e, "CM10"), "failed", "error=\"%s\"", err_str(rc));
		ecm_set_state(e, ECM_FAILED);
		return;
	}
	trace_step(e->trace, STEP(e, "CM10"), "ok", NULL);
	ecm_decide(e);
}

static void ecm_reinit(struct ecm *e, int reason);
static void ecm_config_start(struct ecm *e);

static void ecm_cfg_free(struct ecm *e)
{
	free(e->cfg);
	e->cfg = NULL;
	e->cfg_len = 0;
}

static void ecm_cfg_done(void *arg, struct tftp_get *g, int rc)
{
	struct ecm *e = arg;
	unsigned ntlv = 0;
	size_t off = 0;

	if (rc == 0) {
		e->cfg_len = g->len;
		rc = cmcfg_check(e->cfg, e->cfg_len, &off, &ntlv);
		if (rc < 0)
			trace_step(e->trace, STEP(e, "CM8"), "failed", "reason=\"%s at byte %zu\" bytes=%zu",
				   err_str(rc), off, e->cfg_len);
		else
			trace_step(e->trace, STEP(e, "CM8"), "ok", "bytes=%zu tlvs=%u blksize=%u", e->cfg_len,
				   ntlv, g->blksize);
	} else {
		trace_step(e->trace, STEP(e, "CM8"), "failed", "reason=\"%s\" try=%u/%u", err_str(rc),
			   e->cfg_tries, ECM_CFG_TRIES);
	}
	ecm_cfg_free(e);   /* the settings are the board's; the eCM keeps no copy */
	if (rc == 0) {
		ecm_register(e);
		return;
	}
	if (e->cfg_tries < ECM_CFG_TRIES)
		loop_timer_arm(e->loop, &e->cfg_retry, ECM_CFG_RETRY_MS);
	else
		ecm_reinit(e, ECM_REINIT_CONFIG);   /* DOCSIS: a CM that cannot get its file starts over */
}

static void ecm_cfg_retry(void *arg)
{
	ecm_config_start(arg);
}

static void ecm_config_start(struct ecm *e)
{
	struct net_addr srv;
	const char *file;
	char a[64];
	int rc;

	memset(&srv, 0, sizeof(srv));
	if (e->v6) {
		/* CL options 32 / 33 */
		const struct cl_opts *cl = &e->cm6.lease.cl;

		file = cl->cfg_file.s;
		if (cl->tftp6.n) {
			srv.family = AF_INET6;
			memcpy(srv.addr, cl->tftp6.a[0], 16);
		}
	} else {
		/* siaddr and file (RFC 2131) */
		const struct cm4_lease *l = &e->cm4.lease;

		file = l->file;
		if (l->siaddr) {
			srv.family = AF_INET;
			store_be32(srv.addr, l->siaddr);
		}
	}
	e->cfg_tries++;
	if (srv.family == 0 || file[0] == '\0') {
		trace_step(e->trace, STEP(e, "CM7"), "failed", "reason=no-config-server-or-file");
		ecm_reinit(e, ECM_REINIT_CONFIG);
		return;
	}
	e->cfg = malloc(ECM_CFG_MAX);
	if (e->cfg == NULL) {
		ecm_cfg_done(e, &e->tftp, E_NOMEM);
		return;
	}
	trace_step(e->trace, STEP(e, "CM7"), "sent", "peer=%s file=%s try=%u",
		   net_addr_str(&srv, a, sizeof(a)), file, e->cfg_tries);
	/* the PacketCable block sizes (6.3.3, eUE-22) serve the CM as well */
	rc = tftp_get_start(&e->tftp, e->loop, e->board->ecm_if, &srv, file, e->v6 ? 1428 : 1448,
			    e->cfg, ECM_CFG_MAX, ecm_cfg_done, e);
	if (rc < 0)
		ecm_cfg_done(e, &e->tftp, rc);
}

static void ecm_config(struct ecm *e)
{
	ecm_set_state(e, ECM_CONFIG);
	e->cfg_tries = 0;
	ecm_config_start(e);
}

static void ecm_tod_done(void *arg, int ok, int64_t unix_ms, const struct net_addr *srv)
{
	struct ecm *e = arg;
	char a[64];

	if (ok) {
		int64_t step = walltime_set(&e->wall, unix_ms, clock_mono_ms());
		int was = e->tod_ok;

		e->tod_ok = 1;
		trace_step(e->trace, STEP(e, "CM6"), "ok", "peer=%s unix=%lld", net_addr_str(srv, a, sizeof(a)),
			   (long long)(unix_ms / 1000));
		/* 6.3.2.3: the eUE takes every later time (and change) from the eCM */
		if (!was || step != 0)
			ecm_send_tod(e);
	} else {
		trace_step(e->trace, STEP(e, "CM6"), "failed", "reason=no-answer retry_ms=%u", ECM_TOD_RETRY_MS);
		loop_timer_arm(e->loop, &e->tod_retry, ECM_TOD_RETRY_MS);
	}
	if (e->state == ECM_TOD)
		ecm_config(e);   /* the CM goes on with or without time (6.3.2.3) */
}

/* The lease's time servers and offset: CL options 37 / 38 (spec 6.2.1.1),
 * DHCPv4 options 4 and 2.  *offset keeps its value when the lease has none. */
static unsigned ecm_tod_params(const struct ecm *e, struct net_addr srv[TOD_SERVERS_MAX],
			       int32_t *offset)
{
	unsigned n = 0;

	memset(srv, 0, TOD_SERVERS_MAX * sizeof(srv[0]));
	if (e->v6) {
		const struct cm6_lease *l = &e->cm6.lease;

		for (unsigned i = 0; i < l->cl.time6.n && n < TOD_SERVERS_MAX; i++, n++) {
			srv[n].family = AF_INET6;
			memcpy(srv[n].addr, l->cl.time6.a[i], 16);
		}
		if (cl_has(&l->cl, CL_F_TIME_OFFSET))
			*offset = l->cl.time_offset;
	} else {
		const struct cm4_lease *l = &e->cm4.lease;

		for (unsigned i = 0; i < l->n_time && n < TOD_SERVERS_MAX; i++, n++) {
			srv[n].family = AF_INET;
			store_be32(srv[n].addr, l->time_servers[i]);
		}
		if (l->has_offset)
			*offset = l->time_offset;
	}
	return n;
}

static void ecm_tod_start(struct ecm *e)
{
	struct net_addr srv[TOD_SERVERS_MAX];
	unsigned n = ecm_tod_params(e, srv, &e->wall.offset_s);

	memcpy(e->tod_srv, srv, sizeof(e->tod_srv));
	e->tod_nsrv = n;
	if (n == 0) {
		trace_step(e->trace, STEP(e, "CM5"), "skipped", "reason=no-time-server");
		ecm_tod_done(e, 0, 0, NULL);
		return;
	}
	trace_step(e->trace, STEP(e, "CM5"), "sent", "servers=%u", n);
	if (tod_start(&e->tod, e->loop, e->board->ecm_if, srv, n, ecm_tod_done, e) < 0) {
		log_warn("tod: cannot open a socket");
		ecm_tod_done(e, 0, 0, NULL);
	}
}

static void ecm_tod_retry(void *arg)
{
	struct ecm *e = arg;

	if (e->state != ECM_IDLE && e->state != ECM_DHCP)
		ecm_tod_start(e);
}

/* Tell the eUE to stop, forget the CM steps after DHCP. */
static void ecm_reset(struct ecm *e, int reason)
{
	struct ipc_msg m;

	tod_stop(&e->tod);
	tftp_get_stop(&e->tftp);
	ecm_cfg_free(e);
	loop_timer_cancel(e->loop, &e->tod_retry);
	loop_timer_cancel(e->loop, &e->cfg_retry);
	if (e->have_ready && e->send) {
		memset(&m, 0, sizeof(m));
		m.type = IPC_CM_REINIT;
		m.u.reinit.reason = (uint8_t)reason;
		ipc_msg_set(&m, IPC_A_REINIT_REASON);
		e->send(e->arg, &m);
	}
	e->have_ready = 0;
}

/* The eCM re-initialises (DOCSIS): back to CM1, the eUE stopped until CM10. */
static void ecm_reinit(struct ecm *e, int reason)
{
	trace_step(e->trace, "reinit", "ok", "reason=%d", reason);
	ecm_reset(e, reason);
	cm6_stop(&e->cm6);
	cm4_stop(&e->cm4);
	(void)ecm_start(e);
}

/*
 * 6.3.2.3: a renewal that names other time servers makes the eCM ask them
 * (the eUE hears of a new time through ecm_tod_done); a new time offset
 * changes the local time at once, and the eUE is told (it invalidates its
 * tickets either way).
 */
static void ecm_tod_lease_changed(struct ecm *e)
{
	struct net_addr srv[TOD_SERVERS_MAX];
	int32_t offset = e->wall.offset_s;
	unsigned n;

	if (e->state != ECM_OPERATIONAL)
		return;   /* before CM10 the sequence reads the lease itself */
	n = ecm_tod_params(e, srv, &offset);
	if (n != e->tod_nsrv || memcmp(srv, e->tod_srv, sizeof(srv)) != 0) {
		trace_step(e->trace, STEP(e, "CM5"), "info", "reason=time-servers-changed servers=%u", n);
		tod_stop(&e->tod);
		loop_timer_cancel(e->loop, &e->tod_retry);
		e->wall.offset_s = offset;
		ecm_tod_start(e);
		return;
	}
	if (offset != e->wall.offset_s) {
		trace_step(e->trace, STEP(e, "CM6"), "info", "reason=time-offset-changed offset_s=%d was=%d",
			   (int)offset, (int)e->wall.offset_s);
		e->wall.offset_s = offset;
		if (e->tod_ok)
			ecm_send_tod(e);
	}
}

static void ecm_on_lease(struct ecm *e, int bound)
{
	if (!bound) {
		/* the lease expired: the clients are already back at CM1 */
		ecm_reset(e, 1);
		ecm_set_state(e, ECM_DHCP);
		return;
	}
	if (e->state == ECM_DHCP) {
		ecm_set_state(e, ECM_TOD);
		ecm_tod_start(e);
		return;
	}
	ecm_tod_lease_changed(e);
}

static void ecm_on_cm6(void *arg, struct cm6 *c, int bound)
{
	struct ecm *e = arg;

	(void)c;
	if (e->v6)
		ecm_on_lease(e, bound);
}

static void ecm_on_cm4(void *arg, struct cm4 *c, int bound)
{
	struct ecm *e = arg;

	(void)c;
	if (!e->v6)
		ecm_on_lease(e, bound);
	/* APM: the IPv4 lease is the CM's own business; the sequence follows DHCPv6 */
}

void ecm_init(struct ecm *e, const struct board_conf *b, struct loop *l, struct trace *t,
	      unsigned ifindex, ecm_send_fn *send, ecm_register_fn *reg, void *arg)
{
	memset(e, 0, sizeof(*e));
	e->board = b;
	e->loop = l;
	e->trace = t;
	e->ifindex = ifindex;
	e->send = send;
	e->reg = reg;
	e->arg = arg;
	walltime_init(&e->wall);
	loop_timer_init(&e->tod_retry, ecm_tod_retry, e);
	loop_timer_init(&e->cfg_retry, ecm_cfg_retry, e);
	e->tod.fd = -1;
	e->tftp.fd = -1;
	e->v6 = b->ecm_ip_mode != BOARD_IP_V4;
	cm6_init(&e->cm6, l, b->ecm_if, ifindex, b->ecm_mac, b->eue_ip_cap, ecm_on_cm6, e);
	e->cm6.trace = t;
	e->cm6.install_addr = 1;
	cm4_init(&e->cm4, l, b->ecm_if, ifindex, b->ecm_mac, b->eue_ip_cap, ecm_on_cm4, e);
	e->cm4.trace = t;
	e->cm4.install_addr = 1;
}

int ecm_start(struct ecm *e)
{
	int rc = 0;

	ecm_set_state(e, ECM_DHCP);
	if (e->board->ecm_ip_mode != BOARD_IP_V4)
		rc = cm6_start(&e->cm6);
	if (rc == 0 && e->board->ecm_ip_mode != BOARD_IP_V6)
		rc = cm4_start(&e->cm4);
	return rc;
}

void ecm_reset_now(struct ecm *e)
{
	ecm_reinit(e, ECM_REINIT_RESET);
}

void ecm_stop(struct ecm *e)
{
	ecm_reset(e, 0);
	cm6_stop(&e->cm6);
	cm4_stop(&e->cm4);
	tod_stop(&e->tod);
	loop_timer_cancel(e->loop, &e->tod_retry);
}
