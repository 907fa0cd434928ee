/*
 * cfgurl.h: the eUE configuration file's location (pktcMtaDevConfigFile,
 * eUE-19 / MTA19): parse the URL the provisioning server SETs, and build
 * the URL of the Basic flow from DHCP.  Pure text work: no I/O, no
 * library beyond libc; download.c and the flow use the result.
 *
 * Accepted forms (spec eUE-19 notes 1..3, RFC 4682 pktcMtaDevConfigFile):
 *   tftp://host[:port]/file[;mode=octet|netascii]    RFC 3617
 *   http://host[:port]/path[?query]                  RFC 2616 3.2.2 / RFC 3986
 * host: a dotted-quad IPv4 literal, an IPv6 literal in brackets (RFC 3986
 * 3.2.2, e.g. tftp://[2001:db8::5]/eue.bin) or an FQDN, which the eUE
 * resolves itself first (eUE-20/21).  Everything else is refused with a
 * static reason: other schemes, userinfo, zone identifiers, IPvFuture,
 * fragments, bad or zero ports, bad percent-escapes, NUL or control
 * characters in the file name, whitespace, more than CFGURL_MAX bytes.
 */
#ifndef EUE_CFGURL_H
#define EUE_CFGURL_H

#include <stddef.h>
#include <stdint.h>

#include "tlv/cablelabs.h"
#include "tlv/dnsname.h"

/* pktcMtaDevConfigFile is an SnmpAdminString: at most 255 octets. */
#define CFGURL_MAX 255

enum cfgurl_scheme { CFGURL_TFTP = 1, CFGURL_HTTP = 2 };
enum cfgurl_host { CFGURL_HOST_IPV4 = 1, CFGURL_HOST_IPV6 = 2, CFGURL_HOST_FQDN = 3 };

struct cfgurl {
	enum cfgurl_scheme scheme;
	enum cfgurl_host host_kind;
	char host[DNSNAME_TEXT_MAX];   /* FQDN (lower-cased, no final dot) or the literal
	                                  as written (IPv6 without brackets) */
	uint8_t addr[16];              /* literals: the address (IPv4 in the first 4) */
	uint16_t port;                 /* as written, else 69 (tftp) / 80 (http) */
	int port_given;                /* 1: the URL named a port */
	int netascii;                  /* tftp ";mode=netascii" */
	char path[CFGURL_MAX + 1];     /* as written, percent-escapes kept, from the
	                                  first '/' (tftp: without ";mode=") */
	char file[CFGURL_MAX + 1];     /* decoded: tftp the RRQ file name (path
	                                  without its first '/'); http the decoded
	                                  path without the query (for logs) */
};

/* Parse len bytes of text (a NUL among them is refused).  Returns 0, or
 * E_PROTO / E_RANGE / E_UNSUPPORTED / E_OVERFLOW with *why set to a static
 * reason ("userinfo not allowed", ...); why may be NULL. */
int cfgurl_parse(struct cfgurl *u, const char *text, size_t len, const char **why);

/* The URL back as text (IPv6 in brackets, the port only when given),
 * as the eUE reports it in pktcMtaDevConfigFile.  Returns the length, or
 * E_OVERFLOW when cap is too small. */
int cfgurl_format(const struct cfgurl *u, char *buf, size_t cap);

/* Percent-encode a file name for a tftp/http path: every byte but RFC 3986
 * unreserved characters and '/' is escaped.  Returns the length or
 * E_OVERFLOW. */
int cfgurl_encode_file(const char *file, char *buf, size_t cap);

/*
 * Basic flow (flows-prov15.md section 3; RFC 4682: "siaddr and file fields
 * represent the host and file of the TFTP URL"; IPv6: CL options 32 and 33,
 * spec 6.3.5).  Each builds the text URL and parses it back into u (so a
 * built URL obeys every rule above).  Returns 0 or E_* with *why.
 *   cfgurl_basic4: siaddr (host order) 0.0.0.0 / 255.255.255.255 refused.
 *   cfgurl_basic6: one server of CL option 32 (:: and multicast refused).
 *   cfgurl_basic6_list: one URL per usable server of cl->tftp6 with the file
 *   of cl->cfg_file, in the option's order; returns the count (0 when none
 *   is usable; E_NOTFOUND when 32 or 33 is missing).
 */
int cfgurl_basic4(struct cfgurl *u, uint32_t siaddr, const char *file, const char **why);
int cfgurl_basic6(struct cfgurl *u, const uint8_t addr[16], const char *file, const char **why);
int cfgurl_basic6_list(struct cfgurl *out, unsigned cap, const struct cl_opts *cl,
		       const char **why);

#endif
