/*
 * fuzz_devprofile.c: the certificate bootstrapping device profile parser
 * (eue/devprofile.c), which reads a document from the network (spec 6.6.5).
 * Invariants checked on every input: a refusal has a code, a reason and a
 * position and leaves the result zeroed; an accepted profile has strings
 * terminated inside their arrays, counts inside their bounds and every
 * required field of each User; the same bytes parse the same way twice.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eue/devprofile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int terminated(const char *s, size_t cap)
{
	return strnlen(s, cap) < cap;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct devprofile p, q;
	static const struct devprofile zero;
	struct dp_error e;
	unsigned u, k;
	int rc = devprofile_parse(data, size, &p, &e);

	if (devprofile_parse(data, size, &q, NULL) != rc || memcmp(&p, &q, sizeof(p)) != 0)
		abort();
	if (rc != 0) {
		if (rc > 0 || e.code <= 0 || e.code >= DP_E__COUNT || e.why == NULL || e.line == 0)
			abort();
		if (memcmp(&p, &zero, sizeof(p)) != 0)
			abort();
		return 0;
	}
	if (e.code != DP_OK || size == 0 || size > DEVPROFILE_MAX_SIZE)
		abort();
	if (!terminated(p.version, sizeof(p.version)) || p.cert_len > DEVPROFILE_DER_MAX ||
	    p.key_len > DEVPROFILE_DER_MAX || (p.has_device_creds && (!p.cert_len || !p.key_len)))
		abort();
	if (p.n_users == 0 || p.n_users > DEVPROFILE_USERS_MAX)
		abort();
	for (u = 0; u < p.n_users; u++) {
		const struct devprofile_user *x = &p.users[u];

		if (!terminated(x->impi, sizeof(x->impi)) || x->impi[0] == '\0' ||
		    !terminated(x->password, sizeof(x->password)) || x->password[0] == '\0' ||
		    x->cred_type != DEVPROFILE_CRED_DIGEST || x->n_impu == 0 ||
		    x->n_impu > DEVPROFILE_IMPU_MAX)
			abort();
		for (k = 0; k < x->n_impu; k++)
			if (!terminated(x->impu[k], sizeof(x->impu[k])) || x->impu[k][0] == '\0')
				abort();
	}
	return 0;
}
