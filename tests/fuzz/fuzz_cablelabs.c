/*
 * fuzz_cablelabs.c: libFuzzer target for the CableLabs sub-option tables
 * (tlv/cablelabs.c), the DNS name codec and the capabilities codec.
 * Input: byte 0 selects the option space (mod CL_SP__COUNT), the rest is the
 * option body.  Invariants: whatever decodes re-encodes, and the re-encoding
 * decodes to the same fields (wrong-length, duplicate and unknown items are
 * dropped by design, DSS_IDs are already cut to 32 bytes).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlv/cablelabs.h"
#include "tlv/capab.h"
#include "tlv/dnsname.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void normalize(struct cl_opts *o)
{
	o->bad = o->dup = 0;
	o->unknown = 0;
	o->dss_pri.truncated = o->dss_sec.truncated = 0;
}

static void fuzz_names(const uint8_t *data, size_t size)
{
	char txt[DNSNAME_TEXT_MAX];
	uint8_t out[300];
	struct wr w;
	int n = dnsname_decode_exact(data, size, txt, sizeof(txt));

	if (n < 0)
		return;
	wr_init(&w, out, sizeof(out));
	if (dnsname_encode(&w, txt) != 0 || w.len != size || memcmp(out, data, size) != 0)
		abort();
}

static void fuzz_capab(const uint8_t *data, size_t size)
{
	struct capab c, d;
	char txt[CAPAB_OPT60_MAX + 1];
	int n;

	if (capab_bin_parse(data, size, &c) == 0) {
		n = capab_opt60_build(&c, txt, sizeof(txt));
		if (n < 0 || capab_opt60_parse(txt, (size_t)n, &d) != 0)
			abort();
		if (d.len != c.len || memcmp(d.body, c.body, c.len) != 0)
			abort();
	}
	(void)capab_opt60_parse(data, size, &c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cl_opts a, b;
	static uint8_t out[4096];
	enum cl_space sp;
	struct wr w;

	if (size < 1)
		return 0;
	sp = (enum cl_space)(data[0] % CL_SP__COUNT);
	data++;
	size--;
	fuzz_names(data, size);
	fuzz_capab(data, size);

	cl_init(&a);
	(void)cl_decode(&a, sp, data, size);
	(void)cl_prov_disabled(&a.prov);
	(void)cl_dss_kind(&a.dss_pri);
	(void)cl_dss_kind(&a.dss_sec);
	wr_init(&w, out, sizeof(out));
	cl_encode(&w, sp, &a);
	if (w.err)
		abort();
	/* A 16/16 CL_V4OPTION_CCCV6 may re-frame as 8/8: tolerance, not truth. */
	if (a.v4cccv6_wide)
		return 0;
	cl_init(&b);
	if (cl_decode(&b, sp, out, w.len) != 0)
		abort();
	normalize(&a);
	normalize(&b);
	if (memcmp(&a, &b, sizeof(a)) != 0)
		abort();
	return 0;
}
