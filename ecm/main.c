/*
 * main.c: ecmd set-up: options, board.conf, the event loop, the IPC server
 * for eued, the step trace.  The provisioning sequence is ecm/cm.c.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecm/cm.h"
#include "ecm/esafe.h"
#include "ecm/esafe_snmp.h"
#include "platform/bytes.h"
#include "platform/clock.h"
#include "platform/board.h"
#include "platform/err.h"
#include "platform/ipc.h"
#include "platform/log.h"
#include "platform/loop.h"
#include "platform/net.h"
#include "platform/trace.h"
#include "tlv/ipc_msg.h"

struct ecmd {
	struct board_conf board;
	struct loop *loop;
	struct trace trace;
	struct ecm ecm;
	int listen_fd;
	struct ipc_chan *eue;
	const char *ipc_path;
	struct esafe esafe;             /* the eUE's ESAFE-MIB rows (6.6.3) */
	struct esafe_snmp *snmp;        /* their SNMP view, while the eCM is operational */
};

/*
 * The SNMP view listens on the eCM's own address: the primary family's
 * lease (DHCPv6 for an IPv6 or dual-stack CM, else DHCPv4), from CM10 (the
 * cm-ready record) until the eCM re-initialises.  Without libraries (mips)
 * there is no agent: the rows are still kept and traced.
 */
static void ecmd_snmp(struct ecmd *d, int up)
{
	struct net_addr a;
	int rc;

	if (!up || d->board.ecm_snmp_community[0] == '\0') {
		esafe_snmp_stop(d->snmp);
		d->snmp = NULL;
		return;
	}
	if (d->snmp != NULL)
		return;
	memset(&a, 0, sizeof(a));
	if (d->ecm.v6) {
		a.family = AF_INET6;
		memcpy(a.addr, d->ecm.cm6.lease.addr, 16);
	} else {
		a.family = AF_INET;
		store_be32(a.addr, d->ecm.cm4.lease.addr);
	}
	rc = esafe_snmp_start(&d->snmp, d->loop, &d->esafe, &a, d->board.ecm_snmp_community);
	if (rc == E_UNSUPPORTED)
		log_debug("esafe: no SNMP agent on this board");
	else if (rc < 0)
		log_warnx("esafe: no SNMP view: %s", err_str(rc));
}

static void ecmd_stop(void *arg)
{
	struct ecmd *d = arg;

	log_info("stopping");
	loop_stop(d->loop);
}

/* SIGHUP: the operator's reset of the eCM (docsDevResetNow's effect; ecmd
 * has no DOCSIS agent to take the SET), so a test or an integrator can make
 * the eCM re-initialise the eUE (make reliability's soak). */
static void ecmd_reset(void *arg)
{
	struct ecmd *d = arg;

	log_info("reset: re-initialising");
	ecm_reset_now(&d->ecm);
}

static void ecmd_send(void *arg, const struct ipc_msg *m)
{
	struct ecmd *d = arg;
	uint8_t rec[IPC_RECORD_MAX];
	int n;

	if (m->type == IPC_CM_READY || m->type == IPC_CM_REINIT)
		ecmd_snmp(d, m->type == IPC_CM_READY);
	if (m->type == IPC_CM_REINIT && d->esafe.eue.updates > 0) {
		/* the eUE is stopped until CM10 again: its provisioning is not
		 * initiated (eued reports afresh when its new run starts) */
		esafe_init(&d->esafe);
		trace_step(&d->trace, "eSAFE", esafe_progress_str(ESAFE_NOT_INITIATED), "reason=cm-reinit");
	}
	if (d->eue == NULL) {
		log_debug("ipc: eued not connected; %s waits", ipc_msg_type_str(m->type));
		return;   /* cm-ready is re-sent when eued connects */
	}
	n = ipc_msg_encode(m, rec, sizeof(rec));
	if (n < 0) {
		log_warnx("ipc: cannot encode %s: %s", ipc_msg_type_str(m->type), err_str(n));
		return;
	}
	n = ipc_send(d->eue, rec, (size_t)n);
	if (n < 0)
		log_warnx("ipc: send %s: %s", ipc_msg_type_str(m->type), err_str(n));
	else
		trace_step(&d->trace, "IPC", "sent", "type=%s", ipc_msg_type_str(m->type));
}

/* CM9/CM10: registration with the CMTS is the board's business; the lab's
 * board (and this host build) has no CMTS to talk to. */
static int ecmd_register(void *arg, struct ecm *e)
{
	(void)arg;
	(void)e;
	return 0;
}

/* The eUE's eSAFE row (6.6.3), stamped with the eCM's time of day. */
static void ecmd_on_esafe(struct ecmd *d, const struct ipc_esafe *r)
{
	int64_t now = 0;
	int known = d->ecm.tod_ok && walltime_now(&d->ecm.wall, clock_mono_ms(), &now) == 0;
	int rc = esafe_update(&d->esafe, r, known, now, d->ecm.wall.offset_s);

	if (rc < 0) {
		log_warnx("ipc: esafe record out of range (progress %u, failure %u, impact %u): dropped",
			  r->progress, r->failure, r->impact);
		return;
	}
	trace_step(&d->trace, "eSAFE", esafe_progress_str(r->progress),
		   "failure=%s flow=%s event=%u text=%s impact=%s", r->failure == ESAFE_TRUE ? "true" : "false",
		   r->flow[0] ? r->flow : "-", (unsigned)r->event_id, r->text[0] ? r->text : "-",
		   esafe_impact_str(r->impact));
}

static void ecmd_on_record(void *arg, const uint8_t *rec, size_t len)
{
	struct ecmd *d = arg;
	struct ipc_msg m;
	size_t off;
	int rc;

	if (rec == NULL) {
		log_info("ipc: eued closed the channel");
		ipc_close(d->eue);
		d->eue = NULL;
		return;
	}
	rc = ipc_msg_decode(&m, rec, len, &off);
	if (rc < 0) {
		/* A malformed record from our own peer is a bug: loud, then drop. */
		log_warnx("ipc: bad record from eued (%zu bytes): %s at offset %zu", len, err_str(rc), off);
		return;
	}
	if (m.type == IPC_EUE_STATE)
		log_kv("ipc", "dir=rx type=eue-state state=%u step=%s text=\"%s\"", m.u.state.prov_state,
		       m.u.state.step, m.u.state.text);
	else if (m.type == IPC_ESAFE)
		ecmd_on_esafe(d, &m.u.esafe);
	else
		log_debug("ipc: ignoring %s from eued", ipc_msg_type_str(m.type));
}

static void ecmd_on_accept(void *arg, int fd, unsigned events)
{
	struct ecmd *d = arg;
	struct ipc_chan *c;

	(void)events;
	if (ipc_accept(fd, &c) < 0)
		return;
	if (d->eue) {
		log_warnx("ipc: a second eued connected; closing it");
		ipc_close(c);
		return;
	}
	d->eue = c;
	ipc_attach(c, d->loop, ecmd_on_record, d);
	log_kv("ipc", "dir=up peer=eued");
	if (d->ecm.have_ready)
		ecmd_send(d, &d->ecm.ready);
}

static void usage(int rc)
{
	fprintf(rc ? stderr : stdout,
		"usage: ecmd -c board.conf [-d] [--trace FILE] [--nvram DIR] [--ipc PATH]\n"
		"  -c, --config FILE  the board's identity and wiring (platform/board.h)\n"
		"  --trace FILE       append one line per spec step and state (tests/atp/README.md)\n"
		"  --nvram DIR        non-volatile storage (default: nvram_dir of board.conf)\n"
		"  --ipc PATH         the eued channel (default: ipc_path of board.conf)\n"
		"  -d, --debug        debug logging\n");
	exit(rc);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "debug", no_argument, NULL, 'd' },
		{ "trace", required_argument, NULL, 't' },
		{ "nvram", required_argument, NULL, 'n' },
		{ "ipc", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ecmd d;
	const char *conf = NULL, *trace_path = NULL, *nvram = NULL;
	int ch, rc, ifindex;

	memset(&d, 0, sizeof(d));
	log_init("ecmd", LOG_LVL_INFO);
	while ((ch = getopt_long(argc, argv, "c:dh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': conf = optarg; break;
		case 'd': log_set_level(LOG_LVL_DEBUG); break;
		case 't': trace_path = optarg; break;
		case 'n': nvram = optarg; break;
		case 'i': d.ipc_path = optarg; break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (conf == NULL)
		usage(2);
	d.ipc_path = board_load_cli(&d.board, conf, nvram, d.ipc_path);
	if (trace_open(&d.trace, "ecmd", trace_path) < 0)
		fatal("--trace %s", trace_path);
	ifindex = net_if_index(d.board.ecm_if);
	if (ifindex < 0)
		fatalx("CM interface %s: %s", d.board.ecm_if, err_str(ifindex));
	d.loop = loop_new();
	if (d.loop == NULL)
		fatalx("out of memory");
	loop_on_signal(d.loop, SIGINT, ecmd_stop, &d);
	loop_on_signal(d.loop, SIGTERM, ecmd_stop, &d);
	loop_on_signal(d.loop, SIGHUP, ecmd_reset, &d);
	if (ipc_listen(d.ipc_path, &d.listen_fd) < 0)
		fatal("ipc: listen on %s", d.ipc_path);
	loop_watch_fd(d.loop, d.listen_fd, LOOP_IN, ecmd_on_accept, &d);
	log_kv("start", "board=%s ecm_if=%s mode=%s eue_cap=%s", d.board.name, d.board.ecm_if,
	       board_ip_str(d.board.ecm_ip_mode), board_ip_str(d.board.eue_ip_cap));
	esafe_init(&d.esafe);
	ecm_init(&d.ecm, &d.board, d.loop, &d.trace, (unsigned)ifindex, ecmd_send, ecmd_register, &d);
	rc = ecm_start(&d.ecm);
	if (rc < 0)
		log_warnx("the eCM cannot start: %s", err_str(rc));
	else
		rc = loop_run(d.loop);
	ecm_stop(&d.ecm);
	esafe_snmp_stop(d.snmp);
	ipc_close(d.eue);
	close(d.listen_fd);
	unlink(d.ipc_path);
	trace_close(&d.trace);
	loop_free(d.loop);
	return rc < 0 ? 1 : 0;
}
