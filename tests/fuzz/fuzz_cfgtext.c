/*
 * fuzz_cfgtext.c: the config-file text compiler (tlv/cfgtext.c) on arbitrary
 * text.  Oracle: whatever compiles is a valid file, prints, and the printed
 * text compiles to the same bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlv/cfgfile.h"
#include "tlv/cfgtext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfgtext_err e;
	struct cfg_diag d;
	struct wr b, t, b2;
	int rc;

	wr_init_dyn(&b, 1u << 20);
	rc = cfgtext_compile((const char *)data, size, NULL, &b, &e);
	if (rc < 0) {
		if (e.line == 0 || e.col == 0 || e.msg[0] == '\0')
			abort();        /* every error names a position */
		wr_free(&b);
		return 0;
	}
	if (cfg_check(b.buf, b.len, &d) != 0)
		abort();
	wr_init_dyn(&t, 64u << 20);
	wr_init_dyn(&b2, 1u << 20);
	if (cfgtext_print(b.buf, b.len, NULL, &t, &d) != 0 ||
	    cfgtext_compile((const char *)t.buf, t.len, NULL, &b2, &e) != 0 || b2.len != b.len ||
	    memcmp(b.buf, b2.buf, b.len))
		abort();
	wr_free(&b);
	wr_free(&t);
	wr_free(&b2);
	return 0;
}
