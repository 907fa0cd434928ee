/*
 * cfgapply.h: apply a downloaded (hash-checked, decrypted) eUE configuration
 * file to the MIB (spec 6.4.2, Table 6, 6.5; reference/config-file.md 5).
 *
 * The file is decoded (tlv/cfgfile.h), its 6.4.2 row rules checked
 * (tlv/cfgrules.h), and every TLV 11/64 VarBind staged in one MIB_BY_FILE
 * transaction; TLV 38 receivers become the notification targets in the same
 * transaction.  The transaction commits only when the outcome is a pass
 * (pass, passWithWarnings, passWithIncompleteParsing); otherwise it is
 * aborted and the running configuration is exactly what it was.  Status is
 * written either way: pktcMtaDevProvisioningState (m->prov_state) and the
 * error-OID table (cleared first, one row per problem).
 *
 * Outcome (pktcMtaDevProvisioningState, RFC 4682 values):
 *  pass(1)                      everything applied;
 *  failConfigFileError(3)       the file does not decode (no start/end marker,
 *                               truncation, bad BER, ...), a 6.4.2 row rule
 *                               fails (createAndWait, a row without its
 *                               RowStatus, a realm row without RealmName /
 *                               OrgName), a mandatory parameter is missing or
 *                               wrong (below), or Secure-flow realm mismatch;
 *  passWithWarnings(4)          applied, but unknown objects (vendor ones
 *                               included), read-only ones, or optional ones
 *                               with a wrong value / type were skipped, or a
 *                               TLV 38 without an address for the mode;
 *  passWithIncompleteParsing(5) valid, but not all could be stored (a full
 *                               realm table, more than MIB_TARGETS_MAX TLV 38);
 *  failureInternalError(6)      the checker ran out of memory or the MIB
 *                               reported a general error;
 *  failureOtherReason(7)        Secure flow without a DHCP realm to check the
 *                               file's realm row against.
 * inProgress(2) is the device's to set while the flow runs, never a result.
 *
 * Mandatory parameters (our reading of 6.4.2.1 / PKT-PROV1.5, not public):
 * pktcMtaDevEnabled (either MIB family) must be present with a valid value;
 * every realm-table column must be valid; in the Secure flow a realm row
 * whose pktcMtaDevRealmName equals the DHCP realm (m->kerb_realm) must be
 * present, and its pktcMtaDevRealmOrgName must equal m->kerb_org when the
 * device knows it.  In Basic and Hybrid there is no Kerberos realm to match
 * (122.6 / CCCv6.6 carries BASIC.x / HYBRID.x), so realm rows are stored as
 * given.  Every other object is optional.
 *
 * The in-file hash VarBind (any of the three OIDs of cfgfile.h) is not a
 * write: it is checked before (eUE-23) and skipped here.  TLV 43: a vendor
 * block whose 43.8 is not o->vendor_oui is ignored (settings for other
 * models, DOCSIS practice); ours defines no sub-TLV yet, so each of its
 * sub-TLVs after 43.8 is listed as a warning.
 */
#ifndef EUE_CFGAPPLY_H
#define EUE_CFGAPPLY_H

#include <stddef.h>
#include <stdint.h>

#include "snmp-mibs/mib.h"
#include "tlv/cfgfile.h"
#include "tlv/cfgrules.h"

typedef int cfg_rules_fn(const void *buf, size_t len, cfg_finding_fn *fn, void *arg,
			 struct cfg_diag *d);

struct cfg_apply_opts {
	int ipv6;               /* addressing mode: 1 takes 38.8 and ignores 38.1 (6.5), 0 the reverse */
	uint8_t vendor_oui[3];  /* our TLV 43.8 vendor ID */
	cfg_rules_fn *rules;    /* NULL: cfg_rules_check (a seam for the tests) */
};

struct cfg_apply_result {
	enum mib_prov state;    /* also in m->prov_state */
	int committed;          /* 1: the running configuration is the file's */
	unsigned applied;       /* VarBinds staged (and committed when committed) */
	unsigned warnings;      /* problems that did not fail the file */
	unsigned errors;        /* problems that failed it */
	unsigned targets;       /* TLV 38 receivers taken */
	char text[160];         /* one line for the trace / syslog */
};

/*
 * Apply file[0..len) to m.  Returns 0 when committed (r->state 1, 4 or 5),
 * E_PROTO when rejected (3, 7) and E_NOMEM for 6; r is filled either way.
 * o may be NULL (IPv6 mode, no vendor OUI).
 */
int cfg_apply(struct mib *m, const uint8_t *file, size_t len, const struct cfg_apply_opts *o,
	      struct cfg_apply_result *r);

/* "pass", "inProgress", ..., "failureOtherReason"; "?" for others. */
const char *cfg_apply_state_name(int state);

#endif
