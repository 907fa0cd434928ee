/*
 * principal.h: Kerberos principal names of the Secure flow, as text
 * ("service/host@REALM"): a formatter and a validator.  Pure: no I/O, no
 * allocation, no krb5 (the PKINIT glue hands these strings to
 * krb5_parse_name()).
 *
 * What is verified and what is not (reference/security-keymgmt.md section 5,
 * open-questions A5 and B7):
 *  - V (spec 6.1.3): an IPv6 address as the second component is written in
 *    full, in brackets: 8 groups of exactly 4 hex digits, no "::", no
 *    embedded IPv4 ("[" 7(h16 ":") h16 "]").
 *  - B7: the ABNF names LCHEXDIG (lower-case a-f only) while the spec's own
 *    "valid" example is upper-case.  This product's reading: WE EMIT
 *    LOWER-CASE (the ABNF is the normative part and says "LC"), and WE ACCEPT
 *    BOTH CASES (the example shows peers may write upper-case).  Kerberos
 *    compares names byte for byte, so the KDC's database must hold the
 *    lower-case form; princ_canon() maps any accepted form to it.
 *  - A5 (UNVERIFIED, recollection): the provisioning server's service
 *    principal is "mtaprovsrvr/<prov-server FQDN>@<REALM>" and the client's
 *    is "mta/<eUE FQDN>@<REALM>" (NT-SRV-HST style, RFC 4120 7.5.8).  Both
 *    service names are the two constants below and nothing else knows them.
 *  - V (RFC 4682 pktcMtaDevProvKerbRealmName): realms are upper-case ASCII;
 *    a realm with a lower-case letter is rejected.
 */
#ifndef KERBEROS_PRINCIPAL_H
#define KERBEROS_PRINCIPAL_H

#include <stddef.h>
#include <stdint.h>

/* A5: the two service names (replace here if PKT-SEC1.5 says otherwise). */
#define PRINC_PROVSRV_SERVICE "mtaprovsrvr"
#define PRINC_CLIENT_SERVICE "mta"

#define PRINC_NT_SRV_HST 3          /* RFC 4120 7.5.8: service + host name */
#define PRINC_TEXT_MAX 256          /* longest text + NUL; also fits the Wake
                                     * Up's NUL-terminated principal field */
#define PRINC_SERVICE_MAX 64        /* bytes of the first component */
#define PRINC_HOST_MAX 254          /* FQDN text (253) + NUL */
#define PRINC_REALM_MAX 254
#define PRINC_IPV6_TEXT_LEN 41      /* "[" 8x4 digits + 7 ":" "]" */

/* Why a name was refused (0 = accepted); princ_why_str() names them. */
enum princ_why {
	PRINC_OK = 0,
	PRINC_EMPTY,            /* "" or an empty component */
	PRINC_TOO_LONG,         /* text, component or realm over its limit */
	PRINC_COMPONENTS,       /* not exactly service/host */
	PRINC_BAD_CHAR,         /* a control, space, '\\' or non-ASCII byte */
	PRINC_BAD_REALM,        /* realm not upper-case A-Z 0-9 . - _ */
	PRINC_BAD_HOST,         /* not an FQDN / dotted IPv4 / bracketed IPv6 */
	PRINC_V6_COMPRESSED,    /* "::" zero compression (6.1.3 invalid ex. 1) */
	PRINC_V6_IPV4,          /* dotted IPv4 tail (6.1.3 invalid ex. 2) */
	PRINC_V6_SHORT_GROUP,   /* fewer than 4 digits (6.1.3 invalid ex. 3) */
	PRINC_V6_LONG_GROUP,    /* more than 4 digits */
	PRINC_V6_GROUPS,        /* not 8 groups */
	PRINC_V6_DIGIT,         /* a byte that is not a hex digit */
	PRINC_V6_BRACKETS,      /* missing "[" or "]" */
	PRINC__COUNT
};

const char *princ_why_str(int why);

/* A parsed name: pieces are NUL-terminated copies; realm "" when absent. */
struct princ {
	char service[PRINC_SERVICE_MAX];
	char host[PRINC_HOST_MAX];
	char realm[PRINC_REALM_MAX];
	int host_is_v6;             /* host is a bracketed IPv6 address */
	uint8_t v6[16];             /* that address, when host_is_v6 */
};

/*
 * The 6.1.3 form of an IPv6 address: "[xxxx:...:xxxx]", 41 characters,
 * lower-case (B7).  Returns 41, or E_OVERFLOW when outsz < 42.
 */
int princ_ipv6_format(const uint8_t addr[16], char *out, size_t outsz);

/*
 * Check s[0..len) as a 6.1.3 IPv6 component (with its brackets) and store the
 * address in addr (may be NULL).  Either case of hex digit is accepted (B7).
 * Returns PRINC_OK or one of the PRINC_V6_* reasons.
 */
int princ_ipv6_check(const char *s, size_t len, uint8_t addr[16]);

/*
 * Validate "service/host" or "service/host@REALM" (no Kerberos escapes: none
 * of our names need them, so '\\' is refused).  host is an FQDN or dotted
 * IPv4 (any case), or a 6.1.3 bracketed IPv6 address.  p may be NULL.
 * Returns PRINC_OK or the reason.
 */
int princ_parse(const char *text, struct princ *p);

/*
 * Write "service/host[@REALM]" into out (realm NULL or "" leaves it out).
 * host: an FQDN (written lower-case) or an IPv6 component in any accepted
 * form (written in the canonical lower-case form).  Returns the text length,
 * E_INVAL with a name that princ_parse() would refuse, or E_OVERFLOW.
 */
int princ_format(char *out, size_t outsz, const char *service, const char *host,
		 const char *realm);

/* service/[ipv6]@REALM from a binary address. Same returns. */
int princ_format_v6(char *out, size_t outsz, const char *service, const uint8_t addr[16],
		    const char *realm);

/* A5: "mtaprovsrvr/<fqdn>@<REALM>".  Same returns as princ_format(). */
int princ_provsrv(char *out, size_t outsz, const char *fqdn, const char *realm);

/* A5: "mta/<fqdn>@<REALM>" (the eUE's client principal).  Same returns. */
int princ_client(char *out, size_t outsz, const char *fqdn, const char *realm);

/*
 * The canonical text of an accepted name (FQDN host lower-case, IPv6 host
 * lower-case full form, realm as given).  Returns the length, E_INVAL or
 * E_OVERFLOW.  Two names denote the same principal iff their canonical
 * texts are equal.
 */
int princ_canon(const char *text, char *out, size_t outsz);

#endif
