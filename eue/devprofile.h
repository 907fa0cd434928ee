/*
 * devprofile.h: the device profile document that certificate bootstrapping
 * (spec 6.6.5) retrieves over TLS, parsed for hostile input, and its
 * storage in nvram.
 *
 * The spec says only "The credentials are provided via an XML Schema
 * specified in [PKT-EUE-DATA]" and "The eUE credentials and user
 * credentials contained in the retrieved document MUST be used for any
 * subsequent authentication procedures".  That schema is not public here, so
 * the element set below is THIS PRODUCT'S INTERPRETATION, kept in this one
 * header and devprofile.c so that the real schema replaces it in one place.
 * Names follow the data model it feeds: CL-PKTC-EUE-DEV-MIB's
 * pktcEUEDevProfile (pktcEUEDevProfileVersion) and CL-PKTC-EUE-USER-MIB's
 * pktcEUEUsrIMPITable / pktcEUEUsrIMPUTable (reference/mibs.md):
 *
 *   <?xml version="1.0" encoding="UTF-8"?>           optional; UTF-8 only
 *   <pktcEUEDevProfile version="1.0">                 root (any namespace)
 *     <ProfileVersion>text</ProfileVersion>            0..1, <= 64 chars
 *     <DeviceCredentials>                              0..1  the eUE credentials
 *       <Certificate>base64 DER X.509</Certificate>    1     <= 4096 bytes
 *       <PrivateKey>base64 DER PKCS#8</PrivateKey>     1     <= 4096 bytes
 *     </DeviceCredentials>
 *     <User>                                           1..4  user credentials (an IMPI row)
 *       <IMPI>private identity</IMPI>                  1     <= 255 chars
 *       <CredentialsType>digest</CredentialsType>      0..1  "digest" (default)
 *       <Password>shared secret</Password>             1     <= 255 chars
 *       <IMPU>sip: / sips: / tel: URI</IMPU>           1..8  (IMPU rows of this IMPI)
 *     </User>
 *   </pktcEUEDevProfile>
 *
 * Element names are matched on their local part (a prefix "p:" and xmlns
 * attributes are accepted and ignored), so a namespaced document parses.
 * Elements this list does not name, anywhere under the root, are checked
 * for well-formedness and the bounds below and then skipped (counted in
 * `unknown`): the real schema surely has more, and what we do not use must
 * not fail the bootstrap.  Leaf values are trimmed of XML white space.
 *
 * The XML subset the parser accepts (hand-written; no library, no DTD):
 *  - UTF-8 only (an optional BOM; a declaration naming another encoding is
 *    refused); malformed UTF-8, NUL and C0 controls other than TAB/CR/LF
 *    are refused everywhere;
 *  - a DOCTYPE is refused outright (so no entity declarations, no external
 *    entities, no expansion: "billion laughs" and XXE cannot happen); the
 *    only references are the five predefined entities and numeric
 *    character references (valid XML Chars only);
 *  - comments are skipped; processing instructions other than the leading
 *    declaration, and CDATA sections, are refused (the schema needs none);
 *  - bounds: document DEVPROFILE_MAX_SIZE bytes, nesting depth
 *    DEVPROFILE_MAX_DEPTH, DEVPROFILE_MAX_ELEMENTS elements,
 *    DEVPROFILE_MAX_ATTRS attributes per element, names DEVPROFILE_NAME_MAX;
 *    every value is bounded by its field; nothing is allocated.
 * Parsing is one pass over the bytes with no recursion.
 */
#ifndef EUE_DEVPROFILE_H
#define EUE_DEVPROFILE_H

#include <stddef.h>
#include <stdint.h>

#define DEVPROFILE_MAX_SIZE (64u * 1024u)
#define DEVPROFILE_MAX_DEPTH 8
#define DEVPROFILE_MAX_ELEMENTS 512
#define DEVPROFILE_MAX_ATTRS 8
#define DEVPROFILE_NAME_MAX 64          /* element / attribute name, bytes */
#define DEVPROFILE_VERSION_MAX 64
#define DEVPROFILE_ID_MAX 255           /* IMPI, IMPU, password: chars (bytes) */
#define DEVPROFILE_DER_MAX 4096         /* decoded certificate / key */
#define DEVPROFILE_USERS_MAX 4
#define DEVPROFILE_IMPU_MAX 8

/* The nvram key the validated document is stored under (devprofile_store). */
#define DEVPROFILE_NVRAM_KEY "certboot.profile"

enum devprofile_cred { DEVPROFILE_CRED_DIGEST = 1 };

struct devprofile_user {
	char impi[DEVPROFILE_ID_MAX + 1];
	enum devprofile_cred cred_type;
	char password[DEVPROFILE_ID_MAX + 1];
	unsigned n_impu;
	char impu[DEVPROFILE_IMPU_MAX][DEVPROFILE_ID_MAX + 1];
};

struct devprofile {
	char version[DEVPROFILE_VERSION_MAX + 1];     /* "" when absent */
	int has_device_creds;
	uint8_t cert_der[DEVPROFILE_DER_MAX];
	size_t cert_len;
	uint8_t key_der[DEVPROFILE_DER_MAX];
	size_t key_len;
	unsigned n_users;
	struct devprofile_user users[DEVPROFILE_USERS_MAX];
	unsigned unknown;                             /* elements skipped */
};

/* Why a document was refused (dp_error.code); devprofile_err_str() names them. */
enum devprofile_err {
	DP_OK = 0,
	DP_E_SIZE,        /* empty, or larger than DEVPROFILE_MAX_SIZE */
	DP_E_ENCODING,    /* not UTF-8, NUL / control character, other encoding declared */
	DP_E_SYNTAX,      /* not well-formed XML (unclosed tag, mismatched end tag, ...) */
	DP_E_DTD,         /* a DOCTYPE: refused (no entity declarations, ever) */
	DP_E_ENTITY,      /* an entity reference other than the predefined five / a bad char ref */
	DP_E_UNSUPPORTED, /* a processing instruction or a CDATA section */
	DP_E_DEPTH,       /* nesting deeper than DEVPROFILE_MAX_DEPTH */
	DP_E_COUNT,       /* too many elements, attributes, or a name too long */
	DP_E_ROOT,        /* the root element is not pktcEUEDevProfile */
	DP_E_DUPLICATE,   /* an element that may occur once occurs twice; or a repeated attribute */
	DP_E_TOOMANY,     /* more User / IMPU elements than the fields hold */
	DP_E_TOOLONG,     /* a value longer than its field */
	DP_E_VALUE,       /* a value of the wrong form (base64, URI scheme, type, empty) */
	DP_E_MISSING,     /* a required element is absent */
	DP_E_CONTENT,     /* text where only elements belong, or elements inside a value */
	DP_E__COUNT
};

struct dp_error {
	int code;              /* enum devprofile_err */
	unsigned line, col;    /* 1-based position where it was found (0 if none) */
	const char *why;       /* static sentence */
};

const char *devprofile_err_str(int code);

/*
 * Parse doc[0..len) into *out (zeroed first).  Returns 0, or a negative
 * E_* (E_OVERFLOW: size; E_PROTO: not well-formed / wrong encoding;
 * E_UNSUPPORTED: DOCTYPE, PI, CDATA; E_RANGE: a bound; E_NOTFOUND: a
 * required element absent) with *err (may be NULL) saying which rule and
 * where.  On failure *out holds nothing usable.
 */
int devprofile_parse(const uint8_t *doc, size_t len, struct devprofile *out, struct dp_error *err);

struct nvram;

/*
 * Store the retrieved credentials (6.6.5: "SHOULD store any retrieved
 * credentials in non-volatile storage"): parse doc first, and only when it
 * is valid replace DEVPROFILE_NVRAM_KEY with it in one atomic nvram_put()
 * (the old profile stays whole on any failure or power cut).  The document
 * is stored as received, so the parser that reads it back is the one that
 * accepted it.  out may be NULL.  Returns 0, a parse error (as
 * devprofile_parse, nothing stored) or nvram_put()'s error.
 */
int devprofile_store(struct nvram *nv, const uint8_t *doc, size_t len, struct devprofile *out,
		     struct dp_error *err);
/* Read the stored profile back and parse it.  E_NOTFOUND when none is
 * stored; E_CORRUPT (nvram) or a parse error for a damaged one. */
int devprofile_load(struct nvram *nv, struct devprofile *out, struct dp_error *err);

#endif
