/*
 * fuzz_cfgurl.c: the configuration file URL parser (eue/cfgurl.c), the
 * text the provisioning server SETs in pktcMtaDevConfigFile (eUE-19).
 * Invariants checked on every accepted URL: strings terminated and within
 * their arrays, a literal's address agrees with its text, the formatted
 * URL parses again to the same result, and a refusal always has a reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eue/cfgurl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfgurl u, v;
	const char *why = NULL;
	char text[CFGURL_MAX + 64];
	int n;

	if (cfgurl_parse(&u, (const char *)data, size, &why) != 0) {
		if (why == NULL || u.scheme != 0)
			abort();
		return 0;
	}
	if (why != NULL || size > CFGURL_MAX)
		abort();
	if (strnlen(u.host, sizeof(u.host)) == sizeof(u.host) ||
	    strnlen(u.path, sizeof(u.path)) == sizeof(u.path) ||
	    strnlen(u.file, sizeof(u.file)) == sizeof(u.file))
		abort();
	if (u.port == 0 || u.path[0] != '/')
		abort();
	n = cfgurl_format(&u, text, sizeof(text));
	if (n < 0)
		abort();
	if (cfgurl_parse(&v, text, (size_t)n, &why) != 0)
		abort();
	if (v.scheme != u.scheme || v.host_kind != u.host_kind || v.port != u.port ||
	    strcmp(v.host, u.host) != 0 || strcmp(v.path, u.path) != 0 ||
	    strcmp(v.file, u.file) != 0 || memcmp(v.addr, u.addr, 16) != 0 ||
	    v.netascii != u.netascii)
		abort();
	return 0;
}
