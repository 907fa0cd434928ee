/*
 * eue_km.h: eUE-13 / eUE-14 (MTA13 / MTA14) of the Secure flow: PacketCable
 * Kerberized key management with the provisioning server (its SNMP entity,
 * 122.3 / CCCv6.3), client-initiated, over UDP 1293.
 *
 * Two parts:
 *
 * - kmc, one key-management exchange with no flow in it (unit-tested with
 *   the fake net and clock): the AP Request (kerberos/pktc_km.h KM_AP_REQ:
 *   KRB_AP_REQ from krb5_mk_req_extended() with the provisioning server's
 *   service ticket and AP_OPTS_MUTUAL_REQUIRED, nonce 0, the eUE's DOI 2
 *   data, the ciphersuites we offer, HMAC keyed with the ticket's session
 *   key), sent from the eUE's leased address and retransmitted per 122.5 /
 *   CCCv6.5 (the schedule of kerberos/pkinit.h: nominal, doubling, capped,
 *   1 + retries transmissions, no jitter); then the AP Reply (krb5_rd_rep()
 *   gives the server's subkey; the reply's HMAC is checked with it; the
 *   selected ciphersuite must be one we offered and the user ours) and the
 *   SNMPv3 USM keys km_usm_derive() makes from the subkey; or the Error
 *   Reply (its KRB_ERROR's code and text end the exchange).  The contract
 *   with the lab's server: kerberos/README-km.md (this product's readings A1,
 *   A2 in kerberos/km_keys.h).
 *
 * - the rows: eUE-13 resolves the SNMP entity's FQDN when it is not yet
 *   known (Table 5 note 2), starts the exchange and completes when the AP
 *   Request is out; eUE-14 completes when the exchange ends.  On success the
 *   agent starts in AGENT_SNMP_USM mode with the derived keys as its one
 *   user, and the server's snmpEngineID is kept for the SNMPv3 INFORMs of
 *   eUE-15 / eUE-25.  Any failure restarts at eUE-1 (Table 5).
 *
 * Keys are never logged; every copy is wiped once handed on.
 */
#ifndef EUE_EUE_KM_H
#define EUE_EUE_KM_H

#include <stddef.h>
#include <stdint.h>

#include "eue/flow.h"
#include "kerberos/km_keys.h"
#include "kerberos/pkinit.h"
#include "kerberos/pktc_km.h"
#include "platform/loop.h"
#include "platform/net.h"

struct eue;
struct _krb5_context;
struct _krb5_creds;

/* RFC 4682 pktcMtaDevProvUnsolicitedKey* defaults when 122.5 is absent
 * (the contract's reading: 3 s nominal, 100 s cap, 8 retries). */
#define KMC_NOMINAL_MS_DEFAULT 3000u
#define KMC_MAX_MS_DEFAULT 100000u
#define KMC_RETRIES_DEFAULT 8u

/* The ciphersuites offered, in preference order (README-km.md 2). */
#define KMC_N_CS 3
extern const struct km_cs kmc_offer[KMC_N_CS];

struct kmc_config {
	struct net_addr server;          /* the SNMP entity; port 0: KM_PORT */
	struct net_addr local;           /* bound source (the leased address; port ignored) */
	const char *ifname;              /* NULL: routing decides */
	struct pkinit_backoff backoff;   /* 122.5 */
	struct _krb5_context *ctx;       /* the ticket's context (borrowed: outlives the exchange) */
	const struct _krb5_creds *creds; /* the provisioning server's service ticket */
	uint8_t engine_id[KM_ENGINEID_MAX];     /* the eUE agent's snmpEngineID */
	uint8_t engine_id_len;
	uint32_t boots, time_s;
	char user[KM_USER_MAX + 1];      /* usmUserName */
	uint32_t nonce;                  /* the Wake Up's, echoed; 0 client-initiated */
};

enum kmc_reason {
	KMC_R_OK = 0,
	KMC_R_TIMEOUT,       /* no AP Reply after 1 + retries transmissions */
	KMC_R_SERVER_ERROR,  /* an Error Reply (krb_error, text) */
	KMC_R_BAD_REPLY,     /* an AP Reply that does not verify or is not what we asked */
	KMC_R_KRB5,          /* libkrb5 could not make the AP Request */
	KMC_R_NETWORK,       /* no socket */
	KMC_R__COUNT
};
const char *kmc_reason_str(int reason);

struct kmc_result {
	int reason;                      /* enum kmc_reason */
	int krb_error;                   /* the Error Reply's error-code (RFC 4120 7.5.9), -1 */
	char text[256];
	unsigned sent;                   /* AP Request transmissions */
	/* on success */
	struct km_cs cs;                 /* the server's choice */
	struct km_snmp_asd server;       /* its engine ID, boots, time, user */
	uint32_t lifetime, grace;
	const struct km_usm_keys *keys;  /* valid during the callback only, then wiped */
};

struct kmc;
/* Called once per start, from the loop; kmc_stop()/kmc_free() are allowed in it. */
typedef void kmc_done_fn(struct kmc *c, const struct kmc_result *r, void *arg);

struct kmc *kmc_new(void);
void kmc_free(struct kmc *c);          /* kmc_stop() + free; NULL ok */
/* Make and send the AP Request.  0, E_INVAL (config), E_STATE (running),
 * E_IO (socket), E_NOMEM, E_PROTO (libkrb5 refused the ticket: text logged). */
int kmc_start(struct kmc *c, struct loop *l, const struct kmc_config *cfg, kmc_done_fn *cb,
	      void *arg);
void kmc_stop(struct kmc *c);
int kmc_running(const struct kmc *c);

/* The 122.5 schedule (pkinit_backoff_from_cl with the defaults above). */
void kmc_backoff_from_cl(const struct cl_backoff *b, int present, struct pkinit_backoff *out);
/*
 * A datagram on the eUE's port 1293 (reference section 3, Wake Up: the
 * provisioning server starts key management): 0 and *nonce when it is a
 * Wake Up for DOI SNMPv3 naming server_principal; else E_PROTO (not a Wake
 * Up, undecodable) or E_AUTH (another server's principal), *why saying which.
 * A Wake Up carries no HMAC: it only makes the eUE ask the server it knows,
 * which checks the echoed nonce.
 */
int kmc_wakeup_check(const uint8_t *buf, size_t len, const char *server_principal,
		     uint32_t *nonce, const char **why);

/* usmUserName for an eUE MAC: 12 lower-case hex digits (README-km.md 2). */
void kmc_user_from_mac(const uint8_t mac[6], char out[13]);

/* Rows 13/14: 1 when handled, 0 when a is not one of them, < 0 on failure. */
int eue_km_start(struct eue *e, struct flow_run *r, enum flow_action a);
void eue_km_stop(struct eue *e);

#endif
