/* cfgmib.c: look-ups in the compiled MIB name table (see mibnames.h). */
#include "tlv/mibnames.h"

#include <string.h>

int mib_module_by_name(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < mib_nmodules; i++)
		if (strlen(mib_modules[i]) == len && memcmp(mib_modules[i], name, len) == 0)
			return (int)i;
	return -1;
}

/* strcmp of a row's name against name[0..len) (name not NUL-terminated). */
static int name_cmp(const char *row, const char *name, size_t len)
{
	int c = strncmp(row, name, len);

	if (c != 0)
		return c;
	return row[len] == '\0' ? 0 : 1;
}

const struct mib_name *mib_by_name(const char *name, size_t len, int prefer)
{
	const char *sep = NULL;
	int module = -1;
	size_t i, lo = 0, hi = mib_nnames;

	for (i = 0; i + 1 < len; i++)
		if (name[i] == ':' && name[i + 1] == ':') {
			sep = name + i;
			break;
		}
	if (sep) {
		module = mib_module_by_name(name, (size_t)(sep - name));
		if (module < 0)
			return NULL;
		len -= (size_t)(sep + 2 - name);
		name = sep + 2;
	}
	/* lower bound of the name in the sorted index (generated with the table) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (name_cmp(mib_names[mib_name_order[mid]].name, name, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == mib_nnames || name_cmp(mib_names[mib_name_order[lo]].name, name, len) != 0)
		return NULL;
	/* same-name rows are adjacent, in table order */
	for (i = lo; i < mib_nnames && name_cmp(mib_names[mib_name_order[i]].name, name, len) == 0;
	     i++) {
		const struct mib_name *m = &mib_names[mib_name_order[i]];

		if (module >= 0 ? m->module == module : prefer < 0 || m->module == prefer)
			return m;
	}
	return module >= 0 ? NULL : &mib_names[mib_name_order[lo]];
}

const struct mib_name *mib_by_oid(const uint8_t *oid, size_t len)
{
	const struct mib_name *best = NULL;
	size_t i;

	/* BER sub-identifiers are self-delimiting, so a byte prefix that ends a
	 * sub-identifier is an arc prefix. */
	for (i = 0; i < mib_nnames; i++) {
		const struct mib_name *m = &mib_names[i];

		if (m->kind != MIB_ARC && m->len <= len && (best == NULL || m->len > best->len) &&
		    memcmp(m->oid, oid, m->len) == 0)
			best = m;
	}
	return best;
}
