/*
 * eue_tkt.h: Table 5 note 3 — "if the eUE has a valid provisioning
 * application server ticket saved in NVRAM, then it MUST skip the flows
 * eUE-5 to eUE-12 in successive eUE resets".
 *
 * The ticket PKINIT brought (eUE-10/12) is saved in nvram (key
 * TKT_NVRAM_KEY, record and rules in kerberos/tktcache.h; nvram's put
 * is atomic, so a power cut leaves the old record or the new one).  At
 * eUE-5 of a later run the lookup applies, in this order:
 *   - 122.9 / CCCv6.9 bit 0x0001 (RFC 3594) and pktcMtaDevResetKrbTickets
 *     invalidateProvOnReboot: the record is deleted;
 *   - the record must name this eUE's client principal and the provisioning
 *     server the lease names now, and be outside its PKINIT grace period
 *     (RFC 4682 default 15 min) by the eCM's time of day;
 * and a usable ticket skips eUE-5 .. eUE-12 (eUE-13 uses it).  The record
 * is also deleted when the eCM's time of day changes (6.3.2.3, eue_tod.c)
 * and when the provisioning server refuses the cached ticket with an Error
 * Reply (a ticket the server cannot use is not "valid"; PKINIT runs at the
 * restart).
 */
#ifndef EUE_EUE_TKT_H
#define EUE_EUE_TKT_H

struct eue;
struct pkinit_ticket;

/* eUE-5: 1 when a usable ticket was loaded (e->prov.krb.ticket points to it). */
int eue_tkt_lookup(struct eue *e);
/* eUE-10/12 succeeded: keep the ticket for the next reset. */
void eue_tkt_save(struct eue *e, const struct pkinit_ticket *t);
/* Delete the record (traced with why when there was one). */
void eue_tkt_invalidate(struct eue *e, const char *why);

#endif
