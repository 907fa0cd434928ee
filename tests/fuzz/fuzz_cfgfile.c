/*
 * fuzz_cfgfile.c: the config-file decoder (tlv/cfgfile.c) on arbitrary bytes.
 * Oracles beyond "no crash": an accepted file re-encodes byte for byte, its
 * text form (tlv/cfgprint.c) compiles back to the same bytes, and the hash,
 * rule and iterator paths agree with the parser.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlv/cfgcrypt.h"
#include "tlv/cfgfile.h"
#include "tlv/cfgrules.h"
#include "tlv/cfgtext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cfg_item items[4096];
	struct cfg_diag d, d2;
	struct cfgtext_err e;
	struct wr w, t, b;
	uint8_t md[CFG_SHA1_LEN];
	int n, rc;

	n = cfg_parse(data, size, items, sizeof(items) / sizeof(items[0]), &d);
	if (n < 0 && d.why == CFG_E_TOO_MANY)
		return 0;       /* only with -max_len above 8 KiB */
	rc = cfg_check(data, size, &d2);
	if ((n < 0) != (rc < 0) || (n < 0 && (d.why != d2.why || d.off != d2.off)))
		abort();
	if (n < 0) {
		if (d.off > size)
			abort();
		return 0;
	}
	wr_init_dyn(&w, size + 16);
	if (cfg_encode(&w, items, (size_t)n) != 0 || w.len != size || memcmp(w.buf, data, size))
		abort();
	wr_free(&w);

	wr_init_dyn(&t, 64u << 20);
	wr_init_dyn(&b, 1u << 20);
	if (cfgtext_print(data, size, NULL, &t, &d) != 0)
		abort();
	if (cfgtext_compile((const char *)t.buf, t.len, NULL, &b, &e) != 0 || b.len != size ||
	    memcmp(b.buf, data, size))
		abort();
	wr_free(&t);
	wr_free(&b);

	(void)cfg_rules_check(data, size, NULL, NULL, &d);
	(void)cfg_hash_compute(data, size, md, &d);
	(void)cfg_hash_verify(data, size, &d);
	return 0;
}
