/*
 * eue_kdc.h: eUE-5 .. eUE-8 / MTA5 .. MTA8 of the Secure flow: the realm's
 * KDC found through DNS (Table 5): an SRV query for _kerberos._udp.<REALM>
 * (RFC 4120 7.2.3.2, RFC 2782), then its address with AAAA (IPv6 mode) or
 * A (IPv4 mode) unless the SRV answer already carried it ("The eUE MUST
 * proceed with eUE-7 if eUE-6 did not provide AAAA records").  Every
 * failure restarts at eUE-1 (the step table says so).  The DNS servers are
 * the lease's (eue_prov.c opens the resolver).
 */
#ifndef EUE_EUE_KDC_H
#define EUE_EUE_KDC_H

#include "eue/flow.h"

struct eue;

/* Rows 5..8; 1 when a is one of them (done now or by a later flow_done),
 * 0 when not, < 0 when it failed at once. */
int eue_kdc_start(struct eue *e, struct flow_run *r, enum flow_action a);
/* Forget the answers and cancel a query (restart, stop). */
void eue_kdc_stop(struct eue *e);

#endif
