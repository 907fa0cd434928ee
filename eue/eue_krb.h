/*
 * eue_krb.h: eUE-9 .. eUE-12 / MTA9 .. MTA12 of the Secure flow bound to
 * kerberos/pkinit: the PKINIT AS exchange with the device certificate to the
 * KDC eUE-5 .. eUE-8 found, for the provisioning server's ticket
 * (mtaprovsrvr/<122.3 FQDN>@REALM), through a TGT and TGS when 122.7 /
 * CCCv6.7 asks for one.  The module runs the whole exchange and reports
 * once: eUE-9 completes when the AS-REQ is out, eUE-10 when the exchange
 * ends (the TGS included), eUE-11/12 then pass, or are skipped without a
 * TGT.  Any failure restarts at eUE-1 (Table 5).
 */
#ifndef EUE_EUE_KRB_H
#define EUE_EUE_KRB_H

#include <stddef.h>

#include "eue/flow.h"

struct eue;

/* Rows 9..12: 1 when handled, 0 when a is not one of them, < 0 on failure. */
int eue_krb_start(struct eue *e, struct flow_run *r, enum flow_action a);
/* Cancel the exchange and drop the ticket (restart, stop). */
void eue_krb_stop(struct eue *e);
/* The client and service principals this lease makes (A5): E_PROTO when
 * the lease lacks what they need (an FQDN in 122.3 / CCCv6.3). */
int eue_krb_names(const struct eue *e, char *client, size_t ccap, char *service, size_t scap);

#endif
