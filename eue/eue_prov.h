/*
 * eue_prov.h: the steps after eUE-4 / MTA4 that Basic, Hybrid and (from
 * eUE-15 on) Secure share: the SNMP agent and its INFORMs, the SET of the
 * configuration file's location, DNS for the file server, the download,
 * hash check, decryption and apply, and the events.
 *
 *   15       enrollment INFORM to the SNMP entity (122.3 / CCCv6.3, resolved
 *            through the lease's DNS servers when it is an FQDN)
 *   16..18   the servers' (GETs are answered by the agent at any time)
 *   19       the SET of pktcMtaDevConfigFile + hash (+ key): waits for it
 *   20, 21   DNS A (IPv4 mode) / AAAA (IPv6 mode) for an FQDN in the URL;
 *            skipped for a literal
 *   22, 23   TFTP/HTTP request, then the file: hash (in the file for Basic,
 *            from the SET otherwise), decryption (when a key was set),
 *            apply (eue/cfgapply.c); a content error goes to 24/25
 *   24       the "provisioning complete" event to syslog (skipped without
 *            a syslog server)
 *   25       the provisioning-status INFORM to the SNMP entity (its
 *            acknowledgement decides the row) and to every TLV 38 receiver
 *
 * The Secure flow's rows 5..8 (the KDC through DNS) are eue_kdc.c's, 9..12
 * (PKINIT) eue_krb.c's, 13/14 (key management; the agent starts there, in
 * USM mode) eue_km.c's; this file opens the resolver they use.  In Secure
 * the INFORMs of 15 and 25 are SNMPv3 to the server's snmpEngineID.
 *
 * Each row starts its exchange and completes when the exchange reports;
 * an answer that arrives before its row (the SET may come while rows 16..18
 * pass) is latched, as eue.c does for the DHCP rows.
 */
#ifndef EUE_EUE_PROV_H
#define EUE_EUE_PROV_H

#include <stddef.h>
#include <stdint.h>

#include "eue/cfgapply.h"
#include "eue/cfgurl.h"
#include "eue/flow.h"
#include "platform/loop.h"
#include "platform/net.h"
#include "snmp-mibs/events.h"
#include "snmp-mibs/mib.h"
#include "tlv/dnsname.h"

struct agent;
struct pkinit;
struct pkinit_ticket;
struct dns;
struct dns_query;
struct dl;
struct eue;
struct eue_cb;

/* Latched outcomes of the exchanges (bits). */
enum {
	PROV_SEEN_SET = 1,          /* eUE-19: the SET committed */
	PROV_SEEN_CFG_DNS = 2,      /* eUE-21: the file server's address (or failure) */
	PROV_SEEN_FILE = 4,         /* eUE-23: the download ended (ok or not) */
	PROV_SEEN_STATUS = 8,       /* eUE-25: the entity answered (or not) */
};

#define PROV_FILE_MAX (1024u * 1024u)   /* a configuration file is KBs */

/* eUE-5 .. eUE-8 (eue_kdc.c): what DNS said about the realm's KDC. */
struct eue_kdc {
	unsigned seen;              /* KDC_SEEN_* (eue_kdc.c) */
	int srv_rc, addr_rc;
	char name[DNSNAME_TEXT_MAX];/* the SRV target */
	uint16_t port;
	struct net_addr addr;       /* the KDC, port included */
	int addr_ok;
	char why[DNSNAME_TEXT_MAX + 32];   /* "kdc=<target>:<port> ..." for the trace */
};

/* eUE-9 .. eUE-12 (eue_krb.c): the PKINIT exchange and its ticket. */
struct eue_krb {
	struct pkinit *pk;
	int done, ok, tgt;
	const char *failed_step;
	const struct pkinit_ticket *ticket;   /* on success: the service ticket (pk's or cached) */
	struct pkinit_ticket *cached;         /* loaded from nvram at eUE-5 (eue_tkt.c), owned */
	int from_cache;                       /* eUE-5 .. eUE-12 skipped: Table 5 note 3 */
	int stale;                            /* invalidated (6.3.2.3 ToD change): no new SA with it */
	char client[300], service[300];
	char why[300];
};

/* eUE-13 / eUE-14 (eue_km.c): key management and what it leaves behind. */
struct kmc;
struct eue_km {
	struct kmc *c;
	int done, ok;
	struct net_addr local;      /* the leased address the exchange leaves from */
	char user[33];              /* usmUserName: the eUE MAC in hex */
	uint8_t srv_engine[32];     /* the provisioning server's snmpEngineID (AP Reply) */
	size_t srv_engine_len;
	char why[300];
	int rekey;                  /* the exchange runs outside the flow (Wake Up, SA renewal) */
	int wake_on, wake_fd;       /* the port 1293 socket for Wake Ups (after eUE-14) */
	struct loop_timer sa_timer; /* the SA's lifetime minus its grace period */
};

struct eue_prov {
	struct mib *mib;            /* allocated once per device (about 270 KB) */
	struct events ev;
	struct agent *agent;
	struct dns *dns;
	struct dns_query *q;
	struct dl *dl;
	int begun;                  /* the post-DHCP part of this run is set up */
	enum flow_action waiting;   /* the row in progress (FA_PASSIVE: none) */
	unsigned seen;              /* PROV_SEEN_* */
	int entity_ok;
	struct net_addr entity;     /* the SNMP entity's address, port 162 */
	struct cfgurl urls[8];      /* the file's URL(s); Basic IPv6 may list several servers */
	unsigned n_urls;
	struct net_addr cfg_server; /* eUE-21's answer for an FQDN host */
	int cfg_server_ok;
	int cfg_rc;                 /* latched results */
	char cfg_why[96];
	uint8_t *file;              /* the downloaded bytes (malloc'd) */
	size_t file_len;
	unsigned blksize;
	int status_acked;
	struct cfg_apply_result res;
	struct eue_kdc kdc;
	struct eue_krb krb;
	struct eue_km km;
	struct loop_timer reset;    /* pktcMtaDevResetNow: restart outside the SET's request */
	struct eue_cb *cb;          /* certificate bootstrapping (eue_cb.c), NULL until triggered */
};

int eue_prov_init(struct eue *e);
void eue_prov_free(struct eue *e);
/* Stop every exchange and the agent (restart at eUE-1, eCM re-initialisation). */
void eue_prov_stop(struct eue *e);
/* Begin action a (a row after step 4).  1: handled (0 or a later
 * flow_done), 0: not one of ours, < 0: failed at once. */
int eue_prov_start(struct eue *e, struct flow_run *r, enum flow_action a);
void eue_prov_abort(struct eue *e, enum flow_action a);
/* For the rows of eue_kdc.c, eue_krb.c, eue_km.c: the lease's CableLabs
 * options (122 / CCCv6), the eUE's leased address (port 0), and the outcome
 * of the row a exchange was waiting for (nothing when no row waits for it). */
const struct cl_opts *eue_prov_lease_cl(const struct eue *e);
void eue_prov_lease_addr(const struct eue *e, struct net_addr *a);
void eue_prov_finish(struct eue *e, enum flow_action a, enum flow_outcome o, const char *why);
/* Events go to the syslog server of the configuration file, else of the
 * lease (option 7 / CL 34); also before the rows after step 4 begin. */
void eue_prov_syslog(struct eue *e);
/* 6.3.5: a renewal brought new DNS / syslog servers: use them from now on. */
void eue_prov_lease_changed(struct eue *e);

#endif
