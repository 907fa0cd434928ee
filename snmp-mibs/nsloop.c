/*
 * nsloop.c: Net-SNMP's library set-up and its event-loop glue (nsloop.h),
 * shared by eued's agent and ecmd's ESAFE-MIB view.  Together with agent.c
 * and ecm/esafe_snmp.c, the only files that touch Net-SNMP's global
 * configuration store (STYLE.md section 4).
 *
 * After every event (a readable Net-SNMP socket, the timer) nsloop_sync()
 * asks Net-SNMP for its fds and its next timeout (snmp_select_info2, which
 * includes Net-SNMP's alarms once they are not signal-driven) and makes the
 * loop's watches and the one timer match.  A socket Net-SNMP closes is
 * unwatched in the same call that closed it, so a recycled fd number is
 * never taken from someone else's watch.
 */
#include <stdlib.h>
#include <string.h>

/* Net-SNMP's headers do not build under our warning set. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#pragma GCC diagnostic ignored "-Wpedantic"
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/library/large_fd_set.h>
#include <net-snmp/agent/agent_callbacks.h>
#pragma GCC diagnostic pop

#include "platform/err.h"
#include "platform/log.h"
#include "snmp-mibs/nsloop.h"

#define NOWHERE "/dev/null/net-snmp"

static int lib_ready;

static int log_cb(int major, int minor, void *server, void *client)
{
	const struct snmp_log_message *m = server;
	char line[256];
	size_t n;

	(void)major, (void)minor, (void)client;
	if (m == NULL || m->msg == NULL)
		return 0;
	snprintf(line, sizeof(line), "%s", m->msg);
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	/* Errors only: its warnings are about snmpd.conf we do not read. */
	if (m->priority <= LOG_ERR)
		log_warnx("net-snmp: %s", line);
	else
		log_debug("net-snmp: %s", line);
	return 0;
}

/*
 * Everything the daemon must not do is switched off before init_snmp():
 * reading snmp.conf/snmpd.conf (a device is configured by its provisioning,
 * not by files in /etc), loading or writing persistent state in
 * /var/lib/snmp, scanning MIB directories (MIBS= / MIBDIRS= equivalent: an
 * empty directory list, so no module is found and no index is written),
 * host files, SIGALRM (alarms come through our loop).
 */
int nsloop_lib_init(const char *app)
{
	if (lib_ready)
		return 0;
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, log_cb, NULL);
	snmp_enable_calllog();
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_LOAD_HOST_FILES, 1);
	/*
	 * Persistent and configuration directories that can never exist (a
	 * path below /dev/null: mkdir fails with ENOTDIR), so the library's
	 * certificate index and any state it would keep are never written
	 * to /var/lib/snmp nor read from /etc/snmp.  Device state lives in
	 * our nvram.
	 */
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_PERSISTENT_DIR, NOWHERE);
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_CONFIGURATION_DIR, NOWHERE);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	/* No MIB module is loaded: MIBS="" (the environment is how
	 * netsnmp_init_mib() is told; the daemons start no Net-SNMP tool). */
	netsnmp_set_mib_directory("");
	setenv("MIBS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 0);  /* master, not AgentX */
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_MASTER, 0);
	if (init_agent(app) != 0)
		return E_IO;
	init_snmp(app);
	lib_ready = 1;
	return 0;
}

static void fd_cb(void *arg, int fd, unsigned events)
{
	struct nsloop *n = arg;
	netsnmp_large_fd_set fds;

	(void)events;
	netsnmp_large_fd_set_init(&fds, fd + 1);
	NETSNMP_LARGE_FD_ZERO(&fds);
	NETSNMP_LARGE_FD_SET(fd, &fds);
	snmp_read2(&fds);
	netsnmp_large_fd_set_cleanup(&fds);
	run_alarms();
	nsloop_sync(n);
}

static void timer_cb(void *arg)
{
	struct nsloop *n = arg;

	snmp_timeout();     /* retransmits INFORMs, reports the ones that ran out */
	run_alarms();
	nsloop_sync(n);
}

static int is_watched(const struct nsloop *n, int fd)
{
	for (unsigned i = 0; i < n->n_watched; i++)
		if (n->watched[i] == fd)
			return 1;
	return 0;
}

void nsloop_init(struct nsloop *n, struct loop *l)
{
	memset(n, 0, sizeof(*n));
	n->loop = l;
	loop_timer_init(&n->timer, timer_cb, n);
}

void nsloop_sync(struct nsloop *n)
{
	netsnmp_large_fd_set fds;
	struct timeval tv = { 0, 0 };
	int numfds = 0, block = 1;

	netsnmp_large_fd_set_init(&fds, FD_SETSIZE);
	NETSNMP_LARGE_FD_ZERO(&fds);
	snmp_select_info2(&numfds, &fds, &tv, &block);

	for (unsigned i = 0; i < n->n_watched;) {
		int fd = n->watched[i];

		if (fd < numfds && NETSNMP_LARGE_FD_ISSET(fd, &fds)) {
			i++;
			continue;
		}
		loop_unwatch_fd(n->loop, fd);
		n->watched[i] = n->watched[--n->n_watched];
	}
	for (int fd = 0; fd < numfds; fd++) {
		if (!NETSNMP_LARGE_FD_ISSET(fd, &fds) || is_watched(n, fd))
			continue;
		if (n->n_watched == NSLOOP_FD_MAX || loop_watch_fd(n->loop, fd, LOOP_IN, fd_cb, n) != 0) {
			log_warnx("snmp: cannot watch Net-SNMP fd %d", fd);
			continue;
		}
		n->watched[n->n_watched++] = fd;
		log_debug("snmp: watching Net-SNMP fd %d", fd);
	}
	netsnmp_large_fd_set_cleanup(&fds);

	if (block) {
		loop_timer_cancel(n->loop, &n->timer);
	} else {
		uint64_t ms = (uint64_t)tv.tv_sec * 1000u + ((uint64_t)tv.tv_usec + 999u) / 1000u;

		loop_timer_arm(n->loop, &n->timer, ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms);
	}
}

void nsloop_stop(struct nsloop *n)
{
	for (unsigned i = 0; i < n->n_watched; i++)
		loop_unwatch_fd(n->loop, n->watched[i]);
	n->n_watched = 0;
	loop_timer_cancel(n->loop, &n->timer);
}

int nsloop_transport_spec(const struct net_addr *ad, unsigned def_port, char *buf, size_t cap)
{
	char ip[64];
	unsigned port = ad->port ? ad->port : def_port;
	int n;

	if (ad->family != AF_INET && ad->family != AF_INET6)
		return E_INVAL;
	net_ip_str(ad, ip, sizeof(ip));
	if (ad->family == AF_INET)
		n = snprintf(buf, cap, "udp:%s:%u", ip, port);
	else
		n = snprintf(buf, cap, "udp6:[%s]:%u", ip, port);
	return n > 0 && (size_t)n < cap ? 0 : E_OVERFLOW;
}

int nsloop_community_eq(const uint8_t *got, size_t len, const char *want)
{
	size_t n = strlen(want);
	unsigned diff = 0;

	if (got == NULL || len != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		diff |= (unsigned)(got[i] ^ (uint8_t)want[i]);
	return diff == 0;
}

/* VACM's callback (agent/mibgroup/mibII/vacm_conf.c); exported, not in the installed headers. */
int vacm_in_view_callback(int major, int minor, void *server, void *client);

static const int acm_minors[] = {
	SNMPD_CALLBACK_ACM_CHECK_INITIAL, SNMPD_CALLBACK_ACM_CHECK, SNMPD_CALLBACK_ACM_CHECK_SUBTREE,
};
#define N_ACM (sizeof(acm_minors) / sizeof(acm_minors[0]))

void nsloop_acm_take(nsloop_acm_fn *cb, void *arg)
{
	for (size_t i = 0; i < N_ACM; i++) {
		snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, acm_minors[i], vacm_in_view_callback, NULL, 1);
		/* Last in line, so ours decides even if another remains. */
		netsnmp_register_callback(SNMP_CALLBACK_APPLICATION, acm_minors[i], cb, arg,
					  NETSNMP_CALLBACK_LOWEST_PRIORITY);
	}
}

void nsloop_acm_release(nsloop_acm_fn *cb, void *arg)
{
	for (size_t i = 0; i < N_ACM; i++)
		snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, acm_minors[i], cb, arg, 1);
}
