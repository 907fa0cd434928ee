/*
 * incprov.h: post-initialization incremental provisioning (spec 6.3.6).
 *
 * "Activation and de-activation of the applications and features using
 * SNMP and the provided data elements": the data element is
 * CL-PKTC-EUE-USER-MIB pktcEUEUsrAppMapAppAdminStat (active(1) /
 * inactive(2)) of the rows the configuration file creates in
 * pktcEUEUsrAppMapTable (one per user and application); pktcMtaDevEnabled
 * (RFC 4682) stays the switch for the whole device.  An SNMP SET goes
 * through the MIB model's one test / commit / abort transaction
 * (snmp-mibs/mib.c), exactly as the file's VarBinds do.
 *
 * This product's reading of "persisted as the data model says" (the
 * PKT-EUE-DATA text is not public; README Interpretations): an SNMP change
 * of AdminStat is the operator's latest word on that application, so it is
 * kept in nvram (one record, replaced atomically: platform/nvram.h) and
 * re-applied, as one SNMP-origin transaction, after every accepted
 * configuration file, so it survives pktcMtaDevResetNow, re-provisioning
 * and a reboot; an SNMP destroy of the row forgets it.  A file that no
 * longer has the row leaves the override waiting (nothing is created).
 * Each change by SNMP raises an event (snmp-mibs/events.h EV_APP_*) to the
 * local log and syslog.  File-made changes are reported by the provisioning
 * events instead.
 */
#ifndef EUE_INCPROV_H
#define EUE_INCPROV_H

#include <stddef.h>
#include <stdint.h>

#include "platform/nvram.h"
#include "snmp-mibs/events.h"
#include "snmp-mibs/mib.h"

#define INCPROV_NV_KEY "incprov"

struct incprov_cell {
	uint8_t impu, app, admin;
};

struct incprov {
	struct mib *m;
	struct nvram *nv;               /* NULL: kept in memory only */
	struct events *ev;              /* NULL: no events */
	struct incprov_cell ov[MIB_APPS_MAX];   /* the SNMP overrides (persisted) */
	size_t n_ov;
	struct incprov_cell seen[MIB_APPS_MAX]; /* the table as last committed */
	size_t n_seen;
	int replaying;
	unsigned saves, save_errors, raised;
};

/* Load the overrides from nvram (a missing or corrupt record: none) and
 * watch every commit of m.  0, or the E_* of a corrupt record (still usable). */
int incprov_init(struct incprov *ip, struct mib *m, struct nvram *nv, struct events *ev);

/* The record: "INC1" | u8 n | n x (impu, app, admin).  Pure, for tests. */
size_t incprov_encode(const struct incprov_cell *c, size_t n, uint8_t *buf, size_t cap);
int incprov_decode(const uint8_t *buf, size_t len, struct incprov_cell *c, size_t cap, size_t *n);

#endif
