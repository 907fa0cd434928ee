/*
 * esafe_snmp.h: ecmd's SNMP view of its eSAFE (ESAFE-MIB, spec 6.6.3).
 *
 * Read-only SNMPv2c on the eCM's own address, UDP 161, answering GET /
 * GETNEXT / GETBULK below esafeMib (1.3.6.1.4.1.4491.2.1.14) from the
 * model in ecm/esafe.h, which holds all the logic.  One community
 * (board.conf ecm_snmp_community); a request with another community, or
 * SNMPv1/v3, is dropped without an answer (RFC 3584 5.2.1) and counted; a
 * SET is answered notWritable.  Net-SNMP's agent library does the protocol
 * on our loop (snmp-mibs/nsloop.h).
 *
 * Boards without libraries (mips, BOARD_HAS_LIBS=0) build ecmd without the
 * agent: esafe_snmp_start() is then E_UNSUPPORTED and the model is still
 * kept (and traced), as the README says.
 */
#ifndef ECM_ESAFE_SNMP_H
#define ECM_ESAFE_SNMP_H

#include "ecm/esafe.h"
#include "platform/err.h"
#include "platform/loop.h"
#include "platform/net.h"

struct esafe_snmp;

struct esafe_snmp_stats {
	unsigned long requests;         /* PDUs let through to the model */
	unsigned long dropped;          /* wrong community or version: no answer */
};

#if BOARD_HAS_LIBS
/*
 * Serve model m (read at each request; it must outlive the agent) on
 * listen (port 0: 161) with community.  0, or E_STATE (one runs: Net-SNMP
 * is process-wide), E_INVAL, E_IO (cannot bind), E_NOMEM.
 */
int esafe_snmp_start(struct esafe_snmp **sp, struct loop *l, const struct esafe *m,
		     const struct net_addr *listen, const char *community);
/* Close the socket, unregister, free.  NULL is a no-op. */
void esafe_snmp_stop(struct esafe_snmp *s);
void esafe_snmp_stats(const struct esafe_snmp *s, struct esafe_snmp_stats *st);
#else
static inline int esafe_snmp_start(struct esafe_snmp **sp, struct loop *l, const struct esafe *m,
				   const struct net_addr *listen, const char *community)
{
	(void)l, (void)m, (void)listen, (void)community;
	*sp = NULL;
	return E_UNSUPPORTED;
}
static inline void esafe_snmp_stop(struct esafe_snmp *s) { (void)s; }
#endif

#endif
