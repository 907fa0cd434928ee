/* cfgrules.c: 6.4.2 row-creation and realm-row rules (see cfgrules.h). */
#include "tlv/cfgrules.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlv/mibnames.h"

/* RFC 2579 RowStatus values */
enum { RS_ACTIVE = 1, RS_CREATE_AND_GO = 4, RS_CREATE_AND_WAIT = 5 };

struct row {
	const struct mib_name *status_col;      /* the table's RowStatus column, or NULL */
	const uint8_t *entry;                   /* entry OID bytes (in the file) */
	size_t entry_len;
	const uint8_t *index;                   /* index suffix bytes */
	size_t index_len;
	size_t off;                             /* first TLV of the row */
	int status;                             /* -1 absent */
	size_t status_off;
	unsigned realm_name : 1, realm_org : 1, realm_ietf : 1, realm : 1;
};

static void report(cfg_finding_fn *fn, void *arg, int *worst, int level, size_t off,
		   const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void report(cfg_finding_fn *fn, void *arg, int *worst, int level, size_t off,
		   const char *fmt, ...)
{
	struct cfg_finding f;
	va_list ap;

	f.level = level;
	f.off = off;
	va_start(ap, fmt);
	vsnprintf(f.msg, sizeof(f.msg), fmt, ap);
	va_end(ap);
	if (level > *worst)
		*worst = level;
	if (fn)
		fn(arg, &f);
}

/* Byte length of an OID without its last sub-identifier. */
static size_t parent_len(const char *oid, size_t len)
{
	size_t i = len - 1;

	while (i > 0 && (oid[i - 1] & 0x80))
		i--;
	return i;
}

/* The RowStatus column of the table whose entry is entry[0..n), or NULL. */
static const struct mib_name *status_of(const char *entry, size_t n)
{
	size_t i;

	for (i = 0; i < mib_nnames; i++) {
		const struct mib_name *m = &mib_names[i];

		if (m->kind == MIB_ROWSTATUS && m->len > n && parent_len(m->oid, m->len) == n &&
		    memcmp(m->oid, entry, n) == 0)
			return m;
	}
	return NULL;
}

int cfg_rules_check(const void *buf, size_t len, cfg_finding_fn *fn, void *arg,
		    struct cfg_diag *d)
{
	struct cfg_it it;
	struct cfg_item item;
	struct row *rows = NULL, *r;
	size_t nrows = 0, cap = 0, i, plen;
	int rc, worst = CFG_PASS;

	if ((rc = cfg_check(buf, len, d)) < 0)
		return rc;
	cfg_it_init(&it, buf, len);
	while ((rc = cfg_next(&it, &item, d)) == 1) {
		const struct mib_name *m;

		if (item.type != CFG_T_VARBIND && item.type != CFG_T_VARBIND64)
			continue;
		m = mib_by_oid(item.vb.oid, item.vb.oid_len);
		if (m == NULL || (m->kind != MIB_COLUMN && m->kind != MIB_ROWSTATUS) ||
		    m->len == item.vb.oid_len)
			continue;
		plen = parent_len(m->oid, m->len);
		for (i = 0; i < nrows; i++)
			if (rows[i].entry_len == plen && memcmp(rows[i].entry, item.vb.oid, plen) == 0 &&
			    rows[i].index_len == item.vb.oid_len - m->len &&
			    memcmp(rows[i].index, item.vb.oid + m->len, rows[i].index_len) == 0)
				break;
		if (i == nrows) {
			if (nrows == cap) {
				size_t nc = cap ? cap * 2 : 16;
				struct row *nr = realloc(rows, nc * sizeof(*nr));

				if (nr == NULL) {
					free(rows);
					return E_NOMEM;
				}
				rows = nr;
				cap = nc;
			}
			r = &rows[nrows++];
			memset(r, 0, sizeof(*r));
			r->entry = item.vb.oid;
			r->entry_len = plen;
			r->index = item.vb.oid + m->len;
			r->index_len = item.vb.oid_len - m->len;
			r->off = item.off;
			r->status = -1;
			r->status_col = status_of(m->oid, plen);
		}
		r = &rows[i];
		if (m->kind == MIB_ROWSTATUS) {
			r->status = item.vb.type == BER_INTEGER ? (int)item.vb.num : -2;
			r->status_off = item.off;
		}
		if (strcmp(m->name, "pktcMtaDevRealmName") == 0)
			r->realm_name = 1;
		if (strcmp(m->name, "pktcMtaDevRealmOrgName") == 0)
			r->realm_org = 1;
		if (strncmp(m->name, "pktcMtaDevRealm", 15) == 0 &&
		    strcmp(m->name, "pktcMtaDevRealmAvailSlot") != 0) {
			r->realm = 1;
			r->realm_ietf = strcmp(mib_modules[m->module], "PKTC-IETF-MTA-MIB") == 0;
		}
	}
	for (i = 0; rc == 0 && i < nrows; i++) {
		r = &rows[i];
		if (r->status_col && r->status == -1)
			report(fn, arg, &worst, CFG_FAIL, r->off,
			       "table row without its %s: rejected (6.4.2)", r->status_col->name);
		else if (r->status == RS_CREATE_AND_WAIT)
			report(fn, arg, &worst, CFG_FAIL, r->status_off,
			       "%s createAndWait(5) is not supported: failConfigFileError (6.4.2)",
			       r->status_col ? r->status_col->name : "RowStatus");
		else if (r->status != -1 && r->status != RS_CREATE_AND_GO)
			report(fn, arg, &worst, CFG_FAIL, r->status_off,
			       "%s value %d: a configuration file creates rows with createAndGo(4)",
			       r->status_col ? r->status_col->name : "RowStatus", r->status);
		if (r->realm && !r->realm_org)
			report(fn, arg, &worst, CFG_FAIL, r->off,
			       "realm row without pktcMtaDevRealmOrgName (6.4.2)");
		if (r->realm && r->realm_ietf && !r->realm_name)
			report(fn, arg, &worst, CFG_FAIL, r->off,
			       "realm row without pktcMtaDevRealmName in the same row (6.4.2)");
	}
	free(rows);
	return rc < 0 ? rc : worst;
}
