/*
 * test_tftp_get.c: the TFTP read on the fake wire: option negotiation,
 * transfer-id locking, duplicate blocks, the size bound, retransmission and
 * the DOCSIS configuration-file structure check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ecm/cmcfg.h"
#include "ecm/tftp_get.h"
#include "platform/err.h"
#include "platform/loop.h"
#include "tests/fake/fake.h"
#include "tlv/tftp.h"

static struct loop *l;
static struct tftp_get g;
static uint8_t buf[3000];
static int done_rc, done_calls;
static struct net_addr srv, tid;

static void on_done(void *arg, struct tftp_get *gg, int rc)
{
	(void)arg;
	(void)gg;
	done_calls++;
	done_rc = rc;
}

static int setup(void **state)
{
	(void)state;
	fake_net_reset();
	fake_rand_seed(9);
	done_calls = 0;
	done_rc = 99;
	l = loop_new();
	assert_int_equal(net_addr_parse("198.51.100.10", &srv), 0);
	tid = srv;
	tid.port = 40000;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tftp_get_stop(&g);
	loop_free(l);
	return 0;
}

static void data(const struct net_addr *from, uint16_t block, size_t len, uint8_t fill)
{
	uint8_t p[1500];

	p[0] = 0;
	p[1] = 3;
	p[2] = (uint8_t)(block >> 8);
	p[3] = (uint8_t)block;
	memset(p + 4, fill, len);
	tftp_get_input(&g, from, p, 4 + len);
}

static uint16_t last_ack(void)
{
	const struct fake_pkt *p = fake_net_tx(fake_net_tx_count() - 1);
	struct tftp_pkt t;

	assert_int_equal(tftp_decode(&t, p->data, p->len), 0);
	assert_int_equal(t.op, TFTP_ACK);
	return t.block;
}

static void test_negotiated_transfer(void **state)
{
	static const uint8_t oack[] = "\x00\x06" "blksize\0" "1000\0" "tsize\0" "2100";
	const struct fake_pkt *rrq;

	(void)state;
	assert_int_equal(tftp_get_start(&g, l, "eue-cm", &srv, "cm.cfg", 1448, buf, sizeof(buf),
					on_done, NULL), 0);
	rrq = fake_net_tx(0);
	assert_int_equal(rrq->peer.port, 69);
	tftp_get_input(&g, &tid, oack, sizeof(oack));
	assert_int_equal(g.blksize, 1000);
	assert_int_equal(last_ack(), 0);
	assert_int_equal(fake_net_tx(fake_net_tx_count() - 1)->peer.port, 40000);
	data(&tid, 1, 1000, 'a');
	assert_int_equal(last_ack(), 1);
	data(&tid, 1, 1000, 'a');          /* our ACK was lost: ACK again, no append */
	assert_int_equal(last_ack(), 1);
	assert_int_equal(g.dup_blocks, 1);
	{	/* another port of the same host: refused with ERROR 5 */
		struct net_addr other = tid;
		unsigned before = fake_net_tx_count();
		struct tftp_pkt t;

		other.port = 40001;
		data(&other, 2, 1000, 'x');
		assert_int_equal(fake_net_tx_count(), before + 1);
		assert_int_equal(tftp_decode(&t, fake_net_tx(before)->data, fake_net_tx(before)->len), 0);
		assert_int_equal(t.op, TFTP_ERROR);
		assert_int_equal(t.err_code, TFTP_E_TID);
	}
	data(&tid, 2, 1000, 'b');
	data(&tid, 3, 100, 'c');           /* short: the end */
	assert_int_equal(done_calls, 1);
	assert_int_equal(done_rc, 0);
	assert_int_equal(g.len, 2100);
	assert_int_equal(buf[999], 'a');
	assert_int_equal(buf[1000], 'b');
	assert_int_equal(buf[2099], 'c');
}

static void test_too_large_and_timeout(void **state)
{
	static const uint8_t oack[] = "\x00\x06" "tsize\0" "5000";
	static const uint8_t oack_bigger[] = "\x00\x06" "blksize\0" "1449";
	unsigned sends;

	(void)state;
	tftp_get_start(&g, l, "eue-cm", &srv, "cm.cfg", 1448, buf, sizeof(buf), on_done, NULL);
	tftp_get_input(&g, &tid, oack, sizeof(oack));
	assert_int_equal(done_rc, E_OVERFLOW);           /* tsize says it will not fit */

	tftp_get_start(&g, l, "eue-cm", &srv, "cm.cfg", 1448, buf, sizeof(buf), on_done, NULL);
	tftp_get_input(&g, &tid, oack_bigger, sizeof(oack_bigger));
	assert_int_equal(done_rc, E_PROTO);              /* a server may only lower blksize */

	/* no OACK: 512-byte blocks until the buffer is full */
	tftp_get_start(&g, l, "eue-cm", &srv, "cm.cfg", 1448, buf, 1024, on_done, NULL);
	data(&tid, 1, 512, 'a');
	data(&tid, 2, 512, 'b');
	data(&tid, 3, 512, 'c');
	assert_int_equal(done_rc, E_OVERFLOW);

	/* silence: five sends (tftp_retx), then E_TIMEOUT */
	fake_net_reset();
	done_calls = 0;
	tftp_get_start(&g, l, "eue-cm", &srv, "cm.cfg", 1448, buf, sizeof(buf), on_done, NULL);
	for (int i = 0; i < 10 && done_calls == 0; i++) {
		fake_clock_advance_ms((uint64_t)loop_next_timeout(l));
		loop_run_expired(l);
	}
	sends = fake_net_tx_count();
	assert_int_equal(sends, tftp_retx.mrc);
	assert_int_equal(done_rc, E_TIMEOUT);
}

static void test_cm_config_structure(void **state)
{
	static const uint8_t good[] = { 3, 1, 1, 0xff };
	static const uint8_t padded[] = { 3, 1, 1, 0xff, 0, 0, 0, 0 };
	static const uint8_t noend[] = { 3, 1, 1 };
	static const uint8_t cut[] = { 3, 1, 1, 4, 9, 1 };
	static const uint8_t junk[] = { 3, 1, 1, 0xff, 0, 7 };
	static const uint8_t pkt[] = { 0xfe, 1, 1, 0xff };   /* a PacketCable file is no CM file */
	size_t off;
	unsigned n;

	(void)state;
	assert_int_equal(cmcfg_check(good, sizeof(good), &off, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cmcfg_check(padded, sizeof(padded), &off, &n), 0);
	assert_int_equal(cmcfg_check(noend, sizeof(noend), &off, &n), E_PROTO);
	assert_int_equal(cmcfg_check(cut, sizeof(cut), &off, &n), E_SHORT);
	assert_int_equal(off, 3);
	assert_int_equal(cmcfg_check(junk, sizeof(junk), &off, &n), E_PROTO);
	assert_int_equal(off, 5);
	assert_int_equal(cmcfg_check(pkt, sizeof(pkt), &off, &n), 0);   /* framing only */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_negotiated_transfer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_large_and_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cm_config_structure, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
