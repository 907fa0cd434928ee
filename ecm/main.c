/*
 * main.c: ecmd set-up: board.conf, the event loop, the IPC server for eued.
 * No protocol logic lives here.
 *
 * What ecmd does today: it loads the board, opens the IPC channel and, once
 * eued is connected, reports what it has decided.  The CM provisioning steps
 * (CM1..CM10, ToD, Table 4) are not built yet; until they are, ecmd can only
 * send an operator-supplied decision with --announce (used by `make demo`
 * to exercise the IPC path end to end), and says so in its log.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform/board.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/ipc.h"
#include "platform/log.h"
#include "platform/loop.h"
#include "tlv/ipc_msg.h"

struct ecmd {
	struct board_conf board;
	struct loop *loop;
	int listen_fd;
	struct ipc_chan *eue;
	const char *announce;   /* "ipv4" | "ipv6" | "disabled", or NULL */
	int exit_after;
};

static void ecmd_stop(void *arg)
{
	struct ecmd *e = arg;

	log_info("stopping");
	loop_stop(e->loop);
}

static int ecmd_send(struct ecmd *e, const struct ipc_msg *m)
{
	uint8_t rec[IPC_RECORD_MAX];
	int n = ipc_msg_encode(m, rec, sizeof(rec));

	if (n < 0) {
		log_warnx("ipc: cannot encode %s: %s", ipc_msg_type_str(m->type), err_str(n));
		return n;
	}
	n = ipc_send(e->eue, rec, (size_t)n);
	if (n < 0)
		log_warnx("ipc: send %s: %s", ipc_msg_type_str(m->type), err_str(n));
	else
		log_kv("ipc", "dir=tx type=%s", ipc_msg_type_str(m->type));
	return n;
}

static void ecmd_announce(struct ecmd *e)
{
	struct ipc_msg m;

	memset(&m, 0, sizeof(m));
	m.type = IPC_CM_READY;
	m.u.cm_ready.mode = strcmp(e->announce, "ipv4") == 0 ? IPC_MODE_IPV4 :
			    strcmp(e->announce, "ipv6") == 0 ? IPC_MODE_IPV6 : IPC_MODE_DISABLED;
	ipc_msg_set(&m, IPC_A_MODE);
	m.u.cm_ready.tod.unix_ms = clock_sys_unix_ms();
	m.u.cm_ready.tod.valid = 1;
	ipc_msg_set(&m, IPC_A_TOD);
	log_warnx("CM provisioning (CM1..CM10) is not implemented: announcing mode %s as told by --announce",
		  e->announce);
	ecmd_send(e, &m);
}

static void ecmd_on_record(void *arg, const uint8_t *rec, size_t len)
{
	struct ecmd *e = arg;
	struct ipc_msg m;
	size_t off;
	int rc;

	if (rec == NULL) {
		log_info("ipc: eued closed the channel");
		ipc_close(e->eue);
		e->eue = NULL;
		if (e->exit_after)
			loop_stop(e->loop);
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
	else
		log_debug("ipc: ignoring %s from eued", ipc_msg_type_str(m.type));
	if (e->exit_after)
		loop_stop(e->loop);
}

static void ecmd_on_accept(void *arg, int fd, unsigned events)
{
	struct ecmd *e = arg;
	struct ipc_chan *c;

	(void)events;
	if (ipc_accept(fd, &c) < 0)
		return;
	if (e->eue) {
		log_warnx("ipc: a second eued connected; closing it");
		ipc_close(c);
		return;
	}
	e->eue = c;
	ipc_attach(c, e->loop, ecmd_on_record, e);
	log_kv("ipc", "dir=up peer=eued");
	if (e->announce)
		ecmd_announce(e);
}

static void usage(void)
{
	fprintf(stderr, "usage: ecmd -c board.conf [-d] [--announce ipv4|ipv6|disabled --once]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "debug", no_argument, NULL, 'd' },
		{ "announce", required_argument, NULL, 'a' },
		{ "once", no_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct ecmd e;
	const char *conf = NULL;
	unsigned line;
	int ch, rc;

	memset(&e, 0, sizeof(e));
	log_init("ecmd", LOG_LVL_INFO);
	while ((ch = getopt_long(argc, argv, "c:d", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': conf = optarg; break;
		case 'd': log_set_level(LOG_LVL_DEBUG); break;
		case 'a': e.announce = optarg; break;
		case 'o': e.exit_after = 1; break;
		default: usage();
		}
	}
	if (conf == NULL || (e.announce && strcmp(e.announce, "ipv4") && strcmp(e.announce, "ipv6") &&
			     strcmp(e.announce, "disabled")))
		usage();
	rc = board_load(&e.board, conf, &line);
	if (rc < 0)
		fatalx("%s:%u: %s", conf, line, err_str(rc));
	if (e.board.ipc_path[0] == '\0')
		fatalx("%s: ipc_path is not set", conf);
	e.loop = loop_new();
	if (e.loop == NULL)
		fatalx("out of memory");
	loop_on_signal(e.loop, SIGINT, ecmd_stop, &e);
	loop_on_signal(e.loop, SIGTERM, ecmd_stop, &e);
	rc = ipc_listen(e.board.ipc_path, &e.listen_fd);
	if (rc < 0)
		fatal("ipc: listen on %s", e.board.ipc_path);
	loop_watch_fd(e.loop, e.listen_fd, LOOP_IN, ecmd_on_accept, &e);
	log_kv("start", "board=%s ecm_if=%s mode=%s eue_cap=%s", e.board.name, e.board.ecm_if,
	       board_ip_str(e.board.ecm_ip_mode), board_ip_str(e.board.eue_ip_cap));
	rc = loop_run(e.loop);
	ipc_close(e.eue);
	close(e.listen_fd);
	unlink(e.board.ipc_path);
	loop_free(e.loop);
	return rc < 0 ? 1 : 0;
}
