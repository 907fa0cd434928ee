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
 * timer call it themselves after each read / timeout).  Also here: the
 * small access helpers both agents use (transport names, community
 * comparison, taking access control over from VACM).
 */
#ifndef SNMP_MIBS_NSLOOP_H
#define SNMP_MIBS_NSLOOP_H

#include <stddef.h>
#include <stdint.h>

#include "platform/loop.h"
#include "platform/net.h"

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

/* "udp:A.B.C.D:port" / "udp6:[addr]:port" for ad (port 0: def_port).
 * 0, or E_INVAL (not IPv4/IPv6), E_OVERFLOW. */
int nsloop_transport_spec(const struct net_addr *ad, unsigned def_port, char *buf, size_t cap);

/* got[0..len) equals the string want, compared without an early exit on
 * the first differing byte (a community is a password).  got NULL: 0. */
int nsloop_community_eq(const uint8_t *got, size_t len, const char *want);

/*
 * Net-SNMP's access control hook (SNMPD_CALLBACK_ACM_CHECK_INITIAL per
 * PDU, _ACM_CHECK_SUBTREE per GETNEXT subtree, _ACM_CHECK per VarBind):
 * VACM's callbacks, which without a snmpd.conf refuse everything, are
 * removed and cb alone decides (it sets the view_parameters' errorcode:
 * non-zero at the initial check drops an SNMPv1/v2c request without a
 * response, RFC 3584 5.2.1, and answers an SNMPv3 one authorizationError).
 */
typedef int nsloop_acm_fn(int major, int minor, void *server, void *client);
void nsloop_acm_take(nsloop_acm_fn *cb, void *arg);
void nsloop_acm_release(nsloop_acm_fn *cb, void *arg);

#endif
