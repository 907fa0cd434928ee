/*
 * mibnames.h: the MIB object names the config-file compiler knows, as a
 * const table compiled into the binary.  tlv/mibnames.c is generated from
 * the MIB modules of snmp-mibs/mibs by `python3 tlv/mibnames.py
 * snmp-mibs/mibs` (libsmi's smidump does the MIB parsing, at build time, so
 * no MIB file is read at run time), and checked against reference/mibs.md.
 *
 * Names exist in two MTA MIB families with the same spelling (CableLabs
 * PKTC-MTA-MIB and RFC 4682 PKTC-IETF-MTA-MIB, open question B2): a bare name
 * resolves in the preferred module first, "MODULE::name" picks one.
 */
#ifndef TLV_MIBNAMES_H
#define TLV_MIBNAMES_H

#include <stddef.h>
#include <stdint.h>

enum mib_kind {
	MIB_NODE, MIB_SCALAR, MIB_TABLE, MIB_ENTRY, MIB_COLUMN, MIB_ROWSTATUS,
	MIB_ARC,        /* SNMPv2-SMI arcs (enterprises, mib-2...): input only */
};

struct mib_name {
	const char *name;
	uint8_t module;         /* index into mib_modules */
	uint8_t kind;           /* enum mib_kind */
	uint8_t len;            /* bytes of oid */
	const char *oid;        /* BER contents of the OID (no tag/length) */
};

extern const char *const mib_modules[];
extern const size_t mib_nmodules;
extern const struct mib_name mib_names[];
extern const size_t mib_nnames;
/* Row numbers of mib_names sorted by name (strcmp order); same-name rows
 * keep table order.  mib_nnames entries. */
extern const uint16_t mib_name_order[];

/* Module index by name, or -1. */
int mib_module_by_name(const char *name, size_t len);
/*
 * The object named by name[0..len) ("pktcMtaDevEnabled" or
 * "PKTC-MTA-MIB::pktcMtaDevEnabled"); a bare name prefers module `prefer`
 * (-1: table order).  NULL when unknown.
 */
const struct mib_name *mib_by_name(const char *name, size_t len, int prefer);
/* The known object (not an arc) with the longest OID that is a prefix of
 * oid, or NULL. */
const struct mib_name *mib_by_oid(const uint8_t *oid, size_t len);

#endif
