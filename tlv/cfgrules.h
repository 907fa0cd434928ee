/*
 * cfgrules.h: the table-row rules of PKT-SP-EUE-PROV-I05 6.4.2, checked on a
 * decoded file without applying it (the apply step is eue/cfgapply.c's).
 *
 *  - RowStatus createAndGo(4) is accepted; createAndWait(5) is not supported
 *    by this eUE, which 6.4.2 makes a failConfigFileError; other RowStatus
 *    values make no sense in a file and are flagged the same way;
 *  - a row of a table that has a RowStatus column but whose RowStatus is
 *    absent is rejected (6.4.2: "MUST reject such row create entries");
 *  - a pktcMtaDevRealmTable row must carry pktcMtaDevRealmOrgName, and in the
 *    RFC 4682 table (indexed by pktcMtaDevRealmIndex) also
 *    pktcMtaDevRealmName, in the same row (reference/config-file.md 5).
 *
 * Rows are recognised through the compiled MIB table (mibnames.h): only
 * tables it knows are checked.  Library-free; allocates one row array.
 */
#ifndef TLV_CFGRULES_H
#define TLV_CFGRULES_H

#include <stddef.h>

#include "tlv/cfgfile.h"

enum cfg_level { CFG_PASS = 0, CFG_WARN = 1, CFG_FAIL = 2 };

struct cfg_finding {
	int level;              /* enum cfg_level */
	size_t off;             /* offset of the TLV the finding is about */
	char msg[160];
};

typedef void cfg_finding_fn(void *arg, const struct cfg_finding *f);

/*
 * Check a file; report each finding through fn (may be NULL).  Returns the
 * worst level found, or a negative E_* when the file does not decode (*d).
 */
int cfg_rules_check(const void *buf, size_t len, cfg_finding_fn *fn, void *arg,
		    struct cfg_diag *d);

#endif
