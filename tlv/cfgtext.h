/*
 * cfgtext.h: the config file as text, in the syntax of rlaager/docsis
 * (examples/packetcable_mta.txt), so operators' files compile unchanged:
 *
 *   Main {
 *       MtaConfigDelimiter 1;
 *       SnmpMibObject pktcMtaDevEnabled.0 Integer 1;      comments: / * * /, //, #
 *       SnmpMibObject pktcMtaDevRealmOrgName.'REALM.COM' String "Org";
 *       SnmpV3TrapReceiver { SnmpV3TrapReceiverIp 10.0.0.1; SnmpV3TrapReceiverPort 162; }
 *       VendorSpecific { VendorIdentifier 0x0010a9; GenericTLV TlvCode 1 TlvLength 1 TlvValue 0x01; }
 *       MtaConfigDelimiter 255;
 *   }
 *
 * Value types: Integer, Unsigned32, Gauge32, Counter32, Counter64, TimeTicks,
 * IPAddress, ObjectID, String, HexString, Opaque, Null.  Object names come
 * from the compiled table of mibnames.h; numeric OIDs always work.  Index
 * suffixes: numbers, "str" (length-prefixed) or 'str' (IMPLIED), as in
 * Net-SNMP.  Our extensions: GenericTLV at top level (any bytes, for exact
 * round trips of non-canonical files) and SnmpMibObjectLong (force TLV 64).
 *
 * The printer emits that syntax; compile(print(bin)) == bin for every file
 * cfg_check() accepts (non-canonical items fall back to GenericTLV).
 */
#ifndef TLV_CFGTEXT_H
#define TLV_CFGTEXT_H

#include <stddef.h>

#include "tlv/cfgfile.h"
#include "tlv/wr.h"

struct cfgtext_err {
	unsigned line, col;     /* 1-based position of the offending token */
	char msg[192];
};

struct cfgtext_opts {
	int prefer_module;      /* mib_modules index for bare names; -1 table order */
};
/* The module bare names prefer: o's, or PKTC-MTA-MIB when o is NULL (the
 * CableLabs names rlaager/docsis files use). */
int cfgtext_prefer(const struct cfgtext_opts *o);

/*
 * Text -> binary into out (use a growable wr).  0, or E_PROTO (syntax, *err),
 * E_NOTFOUND (unknown name), E_RANGE (value), or the codec's error when the
 * result is not a valid file (err names the statement).
 */
int cfgtext_compile(const char *text, size_t len, const struct cfgtext_opts *o, struct wr *out,
		    struct cfgtext_err *err);

/* Binary -> text into out.  0, or the codec's error (*d). */
int cfgtext_print(const void *bin, size_t len, const struct cfgtext_opts *o, struct wr *out,
		  struct cfg_diag *d);

#endif
