/*
 * main.c: eued set-up: board.conf, the event loop, the IPC channel to ecmd.
 *
 * eued starts nothing on the eUE interface before ecmd's "CM ready" record
 * arrives (DESIGN.md, 6.3.2.3); then the device (eue.c) runs the flow and
 * eued reports its state back to ecmd (the eSAFE view).
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/board.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/ipc.h"
#include "platform/log.h"
#include "platform/loop.h"
#include "platform/net.h"
#include "platform/netlink.h"
#include "platform/trace.h"
#include "platform/walltime.h"
#include "eue/battery.h"
#include "eue/eue.h"
#include "eue/incprov.h"
#include "eue/eue_tod.h"
#include "tlv/ipc_msg.h"

struct eued {
	struct board_conf board;
	struct loop *loop;
	struct ipc_chan *ecm;
	struct loop_timer connect_timer;
	struct walltime wall;
	struct nvram *nv;        /* the ticket cache (Table 5 note 3) */
	struct trace trace;
	int ifindex;             /* the eUE interface */
	struct eue dev;
	struct battery battery;  /* 6.6.4: the board hook, when board.conf says battery = yes */
	char battery_path[BOARD_PATH + 16];
	struct incprov incprov;  /* 6.3.6: SNMP AdminStat changes, kept in nvram */
	const char *ipc_path;
	int exit_after;
};

static const char *const eued_mode_names[] = {
	[IPC_MODE_DISABLED] = "disabled", [IPC_MODE_IPV4] = "ipv4", [IPC_MODE_IPV6] = "ipv6",
};

static void eued_stop(void *arg)
{
	struct eued *u = arg;

	log_info("stopping");
	loop_stop(u->loop);
}

/* The eUE link is down until the eCM lets the eUE start, and whenever it is
 * dormant: a dormant eUE must not answer ND or RS (6.3.2.1). */
static void eued_link(struct eued *u, int up)
{
	int rc;

	if (u->ifindex <= 0)
		return;
	rc = up ? nl_link_up((unsigned)u->ifindex) : nl_link_down((unsigned)u->ifindex);
	if (rc < 0)
		log_warn("cannot set %s %s", u->board.eue_if, up ? "up" : "down");
	else
		trace_step(&u->trace, "link", up ? "up" : "down", "if=%s", u->board.eue_if);
}

static void eued_report(struct eued *u, uint8_t state, const char *step, const char *text)
{
	struct ipc_msg m;
	uint8_t rec[IPC_RECORD_MAX];
	int n;

	memset(&m, 0, sizeof(m));
	m.type = IPC_EUE_STATE;
	m.u.state.prov_state = state;
	ipc_msg_set(&m, IPC_A_STATE);
	snprintf(m.u.state.step, sizeof(m.u.state.step), "%s", step);
	ipc_msg_set(&m, IPC_A_STEP);
	snprintf(m.u.state.text, sizeof(m.u.state.text), "%s", text);
	ipc_msg_set(&m, IPC_A_TEXT);
	n = ipc_msg_encode(&m, rec, sizeof(rec));
	if (n > 0 && ipc_send(u->ecm, rec, (size_t)n) == 0)
		log_kv("ipc", "dir=tx type=eue-state state=%u step=%s", state, step);
}

/* The eSAFE row (6.6.3), when it changed since ecmd last heard it. */
static void eued_report_esafe(struct eued *u)
{
	struct ipc_msg m;
	uint8_t rec[IPC_RECORD_MAX];
	int n;

	if (u->ecm == NULL || !esrep_take(&u->dev.esafe, &m))
		return;
	n = ipc_msg_encode(&m, rec, sizeof(rec));
	if (n < 0) {
		log_warnx("ipc: cannot encode esafe: %s", err_str(n));
		return;
	}
	if (ipc_send(u->ecm, rec, (size_t)n) == 0)
		log_kv("ipc", "dir=tx type=esafe progress=%u failure=%u flow=%s impact=%u", m.u.esafe.progress,
		       m.u.esafe.failure, m.u.esafe.flow, m.u.esafe.impact);
}

static void eued_on_record(void *arg, const uint8_t *rec, size_t len)
{
	struct eued *u = arg;
	struct ipc_msg m;
	size_t off;
	int rc;

	if (rec == NULL) {
		log_info("ipc: ecmd closed the channel");
		loop_stop(u->loop);
		return;
	}
	rc = ipc_msg_decode(&m, rec, len, &off);
	if (rc < 0) {
		log_warnx("ipc: bad record from ecmd (%zu bytes): %s at offset %zu", len, err_str(rc), off);
		return;
	}
	switch (m.type) {
	case IPC_CM_READY: {
		const struct ipc_cm_ready *c = &m.u.cm_ready;

		if (c->tod.valid) {
			walltime_set(&u->wall, c->tod.unix_ms, clock_mono_ms());
			u->wall.offset_s = c->tod.offset_s;
		}
		trace_step(&u->trace, "IPC", "received", "type=cm-ready mode=%s tod=%s dss_ids=%u servers=%u cccv6=%u",
			   c->mode <= IPC_MODE_IPV6 ? eued_mode_names[c->mode] : "?",
			   c->tod.valid ? "yes" : "no",
			   (unsigned)ipc_msg_has(&m, IPC_A_DSS_PRIMARY) + ipc_msg_has(&m, IPC_A_DSS_SECONDARY),
			   (unsigned)ipc_msg_has(&m, IPC_A_DHCP4_PRIMARY) + ipc_msg_has(&m, IPC_A_DHCP4_SECONDARY),
			   c->cccv6.len);
		if (c->mode == IPC_MODE_DISABLED) {
			/* Table 4: dormant, silent on ND/RS until the eCM re-initialises it:
			 * the link stays down, so the kernel answers nothing either */
			trace_state(&u->trace, "dormant");
			eued_report(u, 0, "Table4", "disabled by the eCM");
		} else {
			eued_link(u, 1);
			rc = eue_start(&u->dev, c);
			if (rc < 0)
				log_warnx("the eUE cannot start: %s", err_str(rc));
		}
		if (u->exit_after)
			loop_stop(u->loop);
		break;
	}
	case IPC_TOD:
		trace_step(&u->trace, "IPC", "received", "type=tod valid=%u", m.u.tod.valid);
		if (m.u.tod.valid) {
			int64_t before;
			int first = walltime_now(&u->wall, clock_mono_ms(), &before) < 0;
			int offset_changed = !first && m.u.tod.offset_s != u->wall.offset_s;
			int64_t step = walltime_set(&u->wall, m.u.tod.unix_ms, clock_mono_ms());

			u->wall.offset_s = m.u.tod.offset_s;
			eue_tod_update(&u->dev, first, step, offset_changed);   /* 6.3.2.3 */
		}
		break;
	case IPC_CM_REINIT:
		trace_step(&u->trace, "IPC", "received", "type=cm-reinit reason=%u", m.u.reinit.reason);
		eue_stop(&u->dev);
		eued_link(u, 0);   /* nothing on the eUE link until CM10 again (6.3.2.3) */
		trace_state(&u->trace, "stopped");
		break;
	default:
		log_debug("ipc: ignoring %s", ipc_msg_type_str(m.type));
	}
}

/* The device's state for the eCM's eSAFE view: pktcMtaDevProvisioningState
 * values (RFC 4682): pass(1), inProgress(2), failOtherReason(7). */
static void eued_on_state(void *arg, struct eue *e, const char *state, const char *step)
{
	struct eued *u = arg;
	uint8_t v = strcmp(state, "provisioned") == 0 ? 1 : strcmp(state, "running") == 0 ||
		    strcmp(state, "backoff") == 0 ? 2 : 7;

	(void)e;
	if (u->ecm)
		eued_report(u, v, step, state);
	eued_report_esafe(u);
}

/* ecmd may start after us: keep trying to connect. */
static void eued_connect(void *arg)
{
	struct eued *u = arg;
	int rc = ipc_connect(u->ipc_path, &u->ecm);

	if (rc == E_AGAIN) {
		loop_timer_arm(u->loop, &u->connect_timer, 200);
		return;
	}
	if (rc < 0)
		fatalx("ipc: connect %s: %s", u->ipc_path, err_str(rc));
	ipc_attach(u->ecm, u->loop, eued_on_record, u);
	log_kv("ipc", "dir=up peer=ecmd");
	eued_report_esafe(u);   /* the row as it is, notInitiated before cm-ready */
}

static void usage(int rc)
{
	fprintf(rc ? stderr : stdout,
		"usage: eued -c board.conf [-d] [--trace FILE] [--nvram DIR] [--ipc PATH] [--once]\n"
		"  -c, --config FILE  the board's identity and wiring (platform/board.h)\n"
		"  --trace FILE       append one line per spec step and state (tests/atp/README.md)\n"
		"  --nvram DIR        non-volatile storage (default: nvram_dir of board.conf)\n"
		"  --ipc PATH         the ecmd channel (default: ipc_path of board.conf)\n"
		"  --once             exit after the first record from ecmd\n"
		"  -d, --debug        debug logging\n");
	exit(rc);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "debug", no_argument, NULL, 'd' },
		{ "once", no_argument, NULL, 'o' },
		{ "trace", required_argument, NULL, 't' },
		{ "nvram", required_argument, NULL, 'n' },
		{ "ipc", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct eued u;
	const char *conf = NULL, *trace_path = NULL, *nvram = NULL;
	int ch, rc;

	memset(&u, 0, sizeof(u));
	log_init("eued", LOG_LVL_INFO);
	while ((ch = getopt_long(argc, argv, "c:dh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': conf = optarg; break;
		case 'd': log_set_level(LOG_LVL_DEBUG); break;
		case 'o': u.exit_after = 1; break;
		case 't': trace_path = optarg; break;
		case 'n': nvram = optarg; break;
		case 'i': u.ipc_path = optarg; break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (conf == NULL)
		usage(2);
	u.ipc_path = board_load_cli(&u.board, conf, nvram, u.ipc_path);
	if (trace_open(&u.trace, "eued", trace_path) < 0)
		fatal("--trace %s", trace_path);
	walltime_init(&u.wall);
	u.loop = loop_new();
	if (u.loop == NULL)
		fatalx("out of memory");
	u.ifindex = net_if_index(u.board.eue_if);
	if (u.ifindex < 0)
		log_warnx("eUE interface %s: %s", u.board.eue_if, err_str(u.ifindex));
	eue_init(&u.dev, &u.board, u.loop, &u.trace, u.ifindex > 0 ? (unsigned)u.ifindex : 0,
		 eued_on_state, &u);
	eue_set_walltime(&u.dev, &u.wall);
	if (u.board.has_battery && u.dev.prov.mib) {
		/* the host/lab board's battery is a file a scenario rewrites
		 * (eue/battery.h); a real board passes its own reader here */
		snprintf(u.battery_path, sizeof(u.battery_path), "%s/battery.state", u.board.run_dir);
		battery_init(&u.battery, battery_file_read, u.battery_path);
		mib_set_battery(u.dev.prov.mib, battery_mib_poll, &u.battery);
	}
	/* without nvram the eUE still provisions; it runs PKINIT at every reset */
	rc = nvram_open(&u.nv, u.board.nvram_dir, NULL);
	if (rc < 0)
		log_warnx("nvram %s: %s: no ticket cache", u.board.nvram_dir, err_str(rc));
	eue_set_nvram(&u.dev, u.nv);
	if (u.dev.prov.mib)
		(void)incprov_init(&u.incprov, u.dev.prov.mib, u.nv, &u.dev.prov.ev);

	loop_on_signal(u.loop, SIGINT, eued_stop, &u);
	loop_on_signal(u.loop, SIGTERM, eued_stop, &u);
	loop_timer_init(&u.connect_timer, eued_connect, &u);
	loop_timer_arm(u.loop, &u.connect_timer, 0);
	log_kv("start", "board=%s eue_if=%s cap=%s", u.board.name, u.board.eue_if,
	       board_ip_str(u.board.eue_ip_cap));
	eued_link(&u, 0);   /* 6.3.2.3: nothing on the eUE link before CM10 */
	if (u.ifindex > 0) {
		/* 6.3.4: the eUE makes its own link-local address and finds its
		 * router; the kernel must not (set while the link is down) */
		struct ip6_config kc = { .ifname = u.board.eue_if, .ifindex = (unsigned)u.ifindex };

		if (ip6_kernel_off(&kc) < 0)
			log_warn("cannot turn off the kernel's IPv6 autoconfiguration on %s", u.board.eue_if);
	}
	trace_state(&u.trace, "waiting-for-cm");
	rc = loop_run(u.loop);
	eue_stop(&u.dev);
	eue_free(&u.dev);
	nvram_close(u.nv);
	trace_close(&u.trace);
	ipc_close(u.ecm);
	loop_free(u.loop);
	return rc < 0 ? 1 : 0;
}
