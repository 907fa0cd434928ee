/*
 * fuzz_pktc_km.c: the key-management decoder (kerberos/pktc_km.c), every
 * message type.  Properties: no crash; a refusal names a known reason at an
 * offset inside the input with the error that reason maps to; an accepted
 * message re-encodes to exactly the input (the decoder accepts nothing the
 * encoder would not write); the HMAC, when present, is the last 20 bytes;
 * a principal the codec accepts never breaks the principal validator.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kerberos/pktc_km.h"
#include "kerberos/principal.h"
#include "platform/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[70000];
	struct km_msg m;
	struct km_diag d;
	struct wr w;
	size_t span;
	int e;

	if (km_der_span(data, size, &span) == 0 && span > size)
		abort();
	e = km_decode(&m, data, size, &d);
	if (e != 0) {
		if (d.reason <= KM_R_OK || d.reason >= KM_R__COUNT || d.off > size)
			abort();
		if ((d.reason == KM_R_TRUNCATED || d.reason == KM_R_DER_PAST_END) && e != E_SHORT)
			abort();
		if (d.reason == KM_R_TRAILING && e != E_TRAILING)
			abort();
		return 0;
	}
	if (d.reason != KM_R_OK)
		abort();
	if (km_has_hmac(m.kmmid) ? m.hmac_off + KM_HMAC_LEN != size : m.hmac_off != 0)
		abort();
	if (m.krb.len && (m.krb.p < data || m.krb.p + m.krb.len > data + size))
		abort();
	/* (inputs beyond the buffer are only decoded; libFuzzer's are far smaller) */
	if (size <= sizeof(out)) {
		wr_init(&w, out, sizeof(out));
		if (km_encode(&m, &w) != 0 || w.len != size || memcmp(out, data, size) != 0)
			abort();
	}
	if (m.kmmid == KM_WAKEUP || m.kmmid == KM_REKEY) {
		char canon[PRINC_TEXT_MAX];
		struct princ p;

		if (strlen(m.principal) > KM_PRINC_MAX)
			abort();
		if (princ_parse(m.principal, &p) == PRINC_OK &&
		    (princ_canon(m.principal, canon, sizeof(canon)) < 0 ||
		     princ_parse(canon, NULL) != PRINC_OK))
			abort();
	}
	return 0;
}
