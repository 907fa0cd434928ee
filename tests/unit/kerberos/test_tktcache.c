/*
 * test_tktcache.c: the cached ticket's record (encode/decode both ways,
 * every malformed shape) and the rules of Table 5 note 3 at chosen times.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kerberos/tktcache.h"
#include "platform/bytes.h"
#include "platform/err.h"

#define CLIENT "mta/myhost.example.net@EXAMPLE.NET"
#define SERVER "mtaprovsrvr/prov.example.net@EXAMPLE.NET"
#define T0 1800000000LL   /* 2027-01-15 */

static const uint8_t blob[] = { 0x00, 0x00, 0x00, 0x01, 0xaa, 0xbb, 0xcc };

static void rec_init(struct tkt_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->start = T0;
	r->end = T0 + 24 * 3600;
	strcpy(r->client, CLIENT);
	strcpy(r->server, SERVER);
	r->creds = blob;
	r->creds_len = sizeof(blob);
}

static size_t encoded(uint8_t *buf, size_t cap)
{
	struct tkt_rec r;
	size_t len = 0;

	rec_init(&r);
	assert_int_equal(tkt_encode(&r, buf, cap, &len), 0);
	return len;
}

static void test_round_trip(void **state)
{
	uint8_t buf[512];
	struct tkt_rec d;
	size_t len;

	(void)state;
	len = encoded(buf, sizeof(buf));
	assert_int_equal(len, TKT_HEAD_LEN + strlen(CLIENT) + strlen(SERVER) + sizeof(blob));
	assert_memory_equal(buf, "TKC1", 4);
	assert_int_equal(load_be64(buf + 4), (uint64_t)T0);
	assert_int_equal(tkt_decode(&d, buf, len), 0);
	assert_int_equal(d.start, T0);
	assert_int_equal(d.end, T0 + 24 * 3600);
	assert_string_equal(d.client, CLIENT);
	assert_string_equal(d.server, SERVER);
	assert_int_equal(d.creds_len, sizeof(blob));
	assert_memory_equal(d.creds, blob, sizeof(blob));
	assert_ptr_equal(d.creds, buf + len - sizeof(blob));   /* no copy */
}

static void test_encode_refuses(void **state)
{
	uint8_t buf[512];
	struct tkt_rec r;
	size_t len;

	(void)state;
	rec_init(&r);
	assert_int_equal(tkt_encode(&r, buf, 20, &len), E_OVERFLOW);
	r.client[0] = '\0';
	assert_int_equal(tkt_encode(&r, buf, sizeof(buf), &len), E_INVAL);
	rec_init(&r);
	r.creds_len = 0;
	assert_int_equal(tkt_encode(&r, buf, sizeof(buf), &len), E_INVAL);
	rec_init(&r);
	r.creds_len = TKT_CREDS_MAX + 1;
	assert_int_equal(tkt_encode(&r, buf, sizeof(buf), &len), E_INVAL);
	rec_init(&r);
	r.end = r.start - 1;
	assert_int_equal(tkt_encode(&r, buf, sizeof(buf), &len), E_INVAL);
	rec_init(&r);
	r.start = -1;
	assert_int_equal(tkt_encode(&r, buf, sizeof(buf), &len), E_INVAL);
	rec_init(&r);
	r.end = (int64_t)UINT32_MAX + 1;
	assert_int_equal(tkt_encode(&r, buf, sizeof(buf), &len), E_INVAL);
}

static void test_decode_truncated_everywhere(void **state)
{
	uint8_t buf[512];
	struct tkt_rec d;
	size_t len;

	(void)state;
	len = encoded(buf, sizeof(buf));
	for (size_t n = 0; n < len; n++) {
		int rc = tkt_decode(&d, buf, n);

		assert_true(rc == E_SHORT);
	}
}

static void test_decode_malformed(void **state)
{
	uint8_t buf[600], b[600];
	struct tkt_rec d;
	size_t len;

	(void)state;
	len = encoded(buf, sizeof(buf));
	/* another magic: a record of a format we do not speak */
	memcpy(b, buf, len);
	b[3] = '2';
	assert_int_equal(tkt_decode(&d, b, len), E_VERSION);
	/* a byte more than the lengths say */
	memcpy(b, buf, len);
	b[len] = 0;
	assert_int_equal(tkt_decode(&d, b, len + 1), E_TRAILING);
	/* end before start */
	memcpy(b, buf, len);
	store_be64(b + 12, (uint64_t)(T0 - 1));
	assert_int_equal(tkt_decode(&d, b, len), E_PROTO);
	/* times that are no Kerberos time (found by fuzz_tktcache: INT64_MIN
	 * made the rules' arithmetic overflow) */
	memcpy(b, buf, len);
	store_be64(b + 4, 0x8000000000000000ull);
	assert_int_equal(tkt_decode(&d, b, len), E_RANGE);
	memcpy(b, buf, len);
	store_be64(b + 12, 0x100000000ull);
	assert_int_equal(tkt_decode(&d, b, len), E_RANGE);
	/* creds length over the bound, and zero */
	memcpy(b, buf, len);
	store_be32(b + 24, TKT_CREDS_MAX + 1);
	assert_int_equal(tkt_decode(&d, b, len), E_RANGE);
	store_be32(b + 24, 0);
	assert_int_equal(tkt_decode(&d, b, len), E_PROTO);
	/* a control byte and a NUL inside a principal */
	memcpy(b, buf, len);
	b[TKT_HEAD_LEN + 3] = '\n';
	assert_int_equal(tkt_decode(&d, b, len), E_PROTO);
	b[TKT_HEAD_LEN + 3] = '\0';
	assert_int_equal(tkt_decode(&d, b, len), E_PROTO);
	/* an empty server name */
	memcpy(b, buf, len);
	store_be16(b + 22, 0);
	store_be16(b + 20, (uint16_t)(strlen(CLIENT) + strlen(SERVER)));
	assert_int_equal(tkt_decode(&d, b, len), E_PROTO);
	/* a principal longer than PRINC_TEXT_MAX - 1 */
	memset(b, 'a', sizeof(b));
	memcpy(b, buf, TKT_HEAD_LEN);
	store_be16(b + 20, PRINC_TEXT_MAX);
	store_be16(b + 22, 1);
	store_be32(b + 24, 1);
	assert_int_equal(tkt_decode(&d, b, TKT_HEAD_LEN + PRINC_TEXT_MAX + 2), E_RANGE);
}

static void test_rules(void **state)
{
	struct tkt_rec r;
	const uint32_t g = TKT_GRACE_DEFAULT_S;

	(void)state;
	rec_init(&r);
	assert_int_equal(tkt_check(&r, T0, g, CLIENT, SERVER), TKT_USABLE);
	assert_int_equal(tkt_check(&r, r.end - g - 1, g, CLIENT, SERVER), TKT_USABLE);
	/* PkinitGracePeriod: at end - grace PKINIT runs again */
	assert_int_equal(tkt_check(&r, r.end - g, g, CLIENT, SERVER), TKT_EXPIRING);
	assert_int_equal(tkt_check(&r, r.end + 1, g, CLIENT, SERVER), TKT_EXPIRING);
	/* the clock went back before the ticket's start, by more than the skew */
	assert_int_equal(tkt_check(&r, T0 - TKT_SKEW_S - 1, g, CLIENT, SERVER), TKT_NOT_YET);
	/* a KDC 10 minutes ahead (fault-kdc-clock-skew): its ticket starts 600 s ahead */
	assert_int_equal(tkt_check(&r, T0 - 600, g, CLIENT, SERVER), TKT_NOT_YET);
	/* within the skew the server takes it, so we use it: the eCM's RFC 868 time of day is up
	 * to 1 s behind the KDC that issued the ticket just before a reset */
	assert_int_equal(tkt_check(&r, T0 - 1, g, CLIENT, SERVER), TKT_USABLE);
	assert_int_equal(tkt_check(&r, T0 - TKT_SKEW_S, g, CLIENT, SERVER), TKT_USABLE);
	/* the lease names another server, or the same server in another realm */
	assert_int_equal(tkt_check(&r, T0, g, CLIENT, "mtaprovsrvr/prov2.example.net@EXAMPLE.NET"),
			 TKT_OTHER_SERVER);
	assert_int_equal(tkt_check(&r, T0, g, CLIENT, "mtaprovsrvr/prov.example.net@OTHER.NET"),
			 TKT_OTHER_SERVER);
	/* this eUE's name changed (a new FQDN or address) */
	assert_int_equal(tkt_check(&r, T0, g, "mta/203.0.113.101@EXAMPLE.NET", SERVER),
			 TKT_OTHER_CLIENT);
	/* a ticket shorter than the grace period is never used */
	r.end = r.start + g;
	assert_int_equal(tkt_check(&r, T0, g, CLIENT, SERVER), TKT_EXPIRING);
	assert_string_equal(tkt_verdict_str(TKT_EXPIRING), "expiring");
	assert_string_equal(tkt_verdict_str((enum tkt_verdict)99), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_encode_refuses),
		cmocka_unit_test(test_decode_truncated_everywhere),
		cmocka_unit_test(test_decode_malformed),
		cmocka_unit_test(test_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
