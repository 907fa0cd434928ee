/*
 * krb_fixture.h: a provisioning-server ticket made without a KDC, for the
 * tests of the ticket cache (kerberos/pkinit.c's export/import, eue_tkt.c).
 * libkrb5 marshals fabricated creds (fixed key and ticket bytes) into the
 * blob pkinit_ticket_export() would give; krb_fixture_record() wraps it in
 * a kerberos/tktcache.h record.
 */
#ifndef TESTS_UNIT_KRB_FIXTURE_H
#define TESTS_UNIT_KRB_FIXTURE_H

#include <krb5/krb5.h>
#include <string.h>

#include "kerberos/tktcache.h"

/* Marshalled creds for client -> server valid [start, end] into out;
 * returns the length, or 0 on failure. */
static inline size_t krb_fixture_creds(const char *client, const char *server, int64_t start,
				       int64_t end, uint8_t *out, size_t cap)
{
	static uint8_t key[32] = { 0x11, 0x22, 0x33, 0x44 };
	static char tkt[] = "\x61\x82\x00\x10 not a real ticket, only its bytes";
	krb5_context ctx;
	krb5_creds c;
	krb5_data *d = NULL;
	size_t n = 0;

	if (krb5_init_context(&ctx) != 0)
		return 0;
	memset(&c, 0, sizeof(c));
	if (krb5_parse_name(ctx, client, &c.client) == 0 &&
	    krb5_parse_name(ctx, server, &c.server) == 0) {
		c.keyblock.magic = KV5M_KEYBLOCK;
		c.keyblock.enctype = ENCTYPE_AES256_CTS_HMAC_SHA1_96;
		c.keyblock.length = sizeof(key);
		c.keyblock.contents = key;
		c.times.authtime = (krb5_timestamp)start;
		c.times.starttime = (krb5_timestamp)start;
		c.times.endtime = (krb5_timestamp)end;
		c.ticket.length = sizeof(tkt) - 1;
		c.ticket.data = tkt;
		if (krb5_marshal_credentials(ctx, &c, &d) == 0 && d->length <= cap) {
			memcpy(out, d->data, d->length);
			n = d->length;
		}
		if (d)
			krb5_free_data(ctx, d);
	}
	krb5_free_principal(ctx, c.client);
	krb5_free_principal(ctx, c.server);
	krb5_free_context(ctx);
	return n;
}

/* The whole nvram record; returns its length, or 0. */
static inline size_t krb_fixture_record(const char *client, const char *server, int64_t start,
					int64_t end, uint8_t *out, size_t cap)
{
	static uint8_t creds[TKT_CREDS_MAX];
	struct tkt_rec r;
	size_t len;

	memset(&r, 0, sizeof(r));
	r.creds_len = krb_fixture_creds(client, server, start, end, creds, sizeof(creds));
	if (r.creds_len == 0)
		return 0;
	r.creds = creds;
	r.start = start;
	r.end = end;
	strncpy(r.client, client, sizeof(r.client) - 1);
	strncpy(r.server, server, sizeof(r.server) - 1);
	return tkt_encode(&r, out, cap, &len) == 0 ? len : 0;
}

#endif
