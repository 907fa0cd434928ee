/*
 * nsloop.h: Net-SNMP's library inside our event loop, for the two agents
 * that use it (eued's, snmp-mibs/agent.c; ecmd's ESAFE-MIB view,
 * ecm/esafe_snmp.c).  No Net-SNMP type appears here.
 *
 * nsloop_lib_init() initialises the library once per process with
 * everything a device must not do switched off (see nsloop.c: no
 * configuration files, no persistent state, no MIB files, no SIGALRM).
 * A struct nsloop keeps the loop's watches and its one timer equal to what
 * Net-SNMP asks for: call nsloop_sync() after anything that may open or
 * close a Net-SNMP socket or change its next timeout (the watches and the
 * timer call it themselves after each read / timeout).
 */
#ifndef SNMP_MIBS_NSLOOP_H
#define SNMP_MIBS_NSLOOP_H

#include "platform/loop.h"

#define NSLOOP_FD_MAX 16        /* Net-SNMP sockets at once: agent, callback, INFORMs */

struct nsloop {
	struct loop *loop;
	int watched[NSLOOP_FD_MAX];
	unsigned n_watched;
	struct loop_timer timer;        /* Net-SNMP's next timeout */
};

/* Once per process (later calls return 0 at once): app names the
 * library's configuration type.  0, or E_IO (init_agent failed). */
int nsloop_lib_init(const char *app);

void nsloop_init(struct nsloop *n, struct loop *l);
/* Make the watches and the timer match Net-SNMP's fds and timeout. */
void nsloop_sync(struct nsloop *n);
/* Unwatch everything, cancel the timer (Net-SNMP's sockets stay its own). */
void nsloop_stop(struct nsloop *n);

#endif
