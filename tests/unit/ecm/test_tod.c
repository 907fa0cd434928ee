/* test_tod.c: RFC 868 decoding across the 2036 wrap, and the client's
 * retries, server rotation and answer checks on the fake clock and net. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <sys/socket.h>

#include "ecm/tod.h"
#include "platform/err.h"
#include "platform/loop.h"
#include "tests/fake/fake.h"

static void test_decode_known_values(void **state)
{
	static const uint8_t y1970[4] = { 0x83, 0xaa, 0x7e, 0x80 };  /* 2208988800 */
	static const uint8_t y2026[4] = { 0xed, 0x00, 0x37, 0x80 };  /* 2026-01-01 */
	static const uint8_t last[4] = { 0xff, 0xff, 0xff, 0xff };   /* 2036-02-07 06:28:15 */
	static const uint8_t wrap[4] = { 0x00, 0x00, 0x00, 0x00 };   /* 2036-02-07 06:28:16 */
	static const uint8_t after[4] = { 0x00, 0x01, 0x51, 0x80 };  /* one day after the wrap */
	int64_t t;

	(void)state;
	assert_int_equal(tod_decode(y2026, 4, &t), 0);
	assert_true(t == 1767225600LL);
	assert_int_equal(tod_decode(last, 4, &t), 0);
	assert_true(t == 2085978495LL);
	assert_int_equal(tod_decode(wrap, 4, &t), 0);
	assert_true(t == 2085978496LL);
	assert_int_equal(tod_decode(after, 4, &t), 0);
	assert_true(t == 2085978496LL + 86400);
	/* 1970 is before the pivot: read as era 1 (2106), not as 1970 */
	assert_int_equal(tod_decode(y1970, 4, &t), 0);
	assert_true(t == 4294967296LL);
	assert_int_equal(tod_decode(y2026, 3, &t), E_PROTO);
	assert_int_equal(tod_decode(y2026, 5, &t), E_PROTO);
}

static void test_encode_round_trip_over_wrap(void **state)
{
	uint8_t b[4];
	int64_t t;

	(void)state;
	for (int64_t s = 1600000000LL; s < 2200000000LL; s += 12345677LL) {
		tod_encode(s, b);
		assert_int_equal(tod_decode(b, 4, &t), 0);
		assert_true(t == s);
	}
}

struct done {
	int calls, ok;
	int64_t ms;
	struct net_addr srv;
};

static void on_done(void *arg, int ok, int64_t unix_ms, const struct net_addr *srv)
{
	struct done *d = arg;

	d->calls++;
	d->ok = ok;
	d->ms = unix_ms;
	if (srv)
		d->srv = *srv;
}

static void servers2(struct net_addr s[2])
{
	assert_int_equal(net_addr_parse("198.51.100.10", &s[0]), 0);
	assert_int_equal(net_addr_parse("198.51.100.11", &s[1]), 0);
}

static void test_answer_sets_time(void **state)
{
	struct loop *l = loop_new();
	struct tod_client c;
	struct net_addr s[2], from;
	struct done d;
	uint8_t ans[4];
	int fd;

	(void)state;
	fake_net_reset();
	memset(&d, 0, sizeof(d));
	servers2(s);
	assert_int_equal(tod_start(&c, l, "eue-cm", s, 2, on_done, &d), 0);
	fd = fake_net_fd(0);
	assert_int_equal(fake_net_tx_count(), 1);
	assert_int_equal(fake_net_tx(0)->len, 0);               /* an empty datagram */
	assert_int_equal(fake_net_tx(0)->peer.port, TOD_PORT);
	assert_memory_equal(fake_net_tx(0)->peer.addr, s[0].addr, 4);

	/* an answer from a host we did not ask, and a 5-byte one: ignored */
	tod_encode(1767225600LL, ans);
	from = s[0];
	from.port = TOD_PORT;
	assert_int_equal(net_addr_parse("203.0.113.9", &from), 0);
	from.port = TOD_PORT;
	fake_net_inject(fd, &from, NULL, ans, 4);
	from = s[0];
	from.port = TOD_PORT;
	fake_net_inject(fd, &from, NULL, "\0\0\0\0\0", 5);
	loop_fd_dispatch(l, fd, LOOP_IN);
	assert_int_equal(d.calls, 0);
	assert_int_equal(c.bad_answers, 2);

	fake_clock_advance_ms(40);
	fake_net_inject(fd, &from, NULL, ans, 4);
	loop_fd_dispatch(l, fd, LOOP_IN);
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.ok, 1);
	assert_true(d.ms == 1767225600000LL + 20);   /* plus half the round trip */
	assert_int_equal(loop_timer_count(l), 0);
	assert_int_equal(loop_fd_count(l), 0);
	loop_free(l);
}

static void test_retries_rotate_then_fail(void **state)
{
	struct loop *l = loop_new();
	struct tod_client c;
	struct net_addr s[2];
	struct done d;
	int64_t t;

	(void)state;
	fake_net_reset();
	fake_rand_seed(7);
	memset(&d, 0, sizeof(d));
	servers2(s);
	assert_int_equal(tod_start(&c, l, "eue-cm", s, 2, on_done, &d), 0);
	for (int i = 0; i < 20 && d.calls == 0; i++) {
		t = loop_next_timeout(l);
		assert_true(t >= 0);
		fake_clock_advance_ms((uint64_t)t);
		loop_run_expired(l);
	}
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.ok, 0);
	/* tod_retx: five UDP requests, alternating servers ... */
	assert_int_equal(fake_net_tx_count(), tod_retx.mrc);
	for (unsigned i = 0; i < fake_net_tx_count(); i++)
		assert_memory_equal(fake_net_tx(i)->peer.addr, s[i % 2].addr, 4);
	/* ... then one TCP connection to each server (fds 1 and 2), none answering */
	assert_memory_equal(fake_net_peer(fake_net_fd(1))->addr, s[0].addr, 4);
	assert_memory_equal(fake_net_peer(fake_net_fd(2))->addr, s[1].addr, 4);
	assert_int_equal(fake_net_peer(fake_net_fd(2))->port, TOD_PORT);
	assert_int_equal(fake_net_fd(3), -1);
	assert_int_equal(loop_fd_count(l), 0);
	loop_free(l);
}

/* No UDP answer: the first server refuses TCP, the second sends the time. */
static void test_tcp_fallback(void **state)
{
	struct loop *l = loop_new();
	struct tod_client c;
	struct net_addr s[2];
	struct done d;
	uint8_t ans[4];
	int fd;

	(void)state;
	fake_net_reset();
	memset(&d, 0, sizeof(d));
	servers2(s);
	assert_int_equal(tod_start(&c, l, "eue-cm", s, 2, on_done, &d), 0);
	while (fake_net_fd(1) < 0) {
		fake_clock_advance_ms((uint64_t)loop_next_timeout(l));
		loop_run_expired(l);
	}
	fake_net_tcp_refuse(fake_net_fd(1));
	loop_fd_dispatch(l, fake_net_fd(1), LOOP_OUT);        /* connection refused */
	fd = fake_net_fd(2);
	assert_true(fd >= 0);
	assert_memory_equal(fake_net_peer(fd)->addr, s[1].addr, 4);
	loop_fd_dispatch(l, fd, LOOP_OUT);                    /* connected */
	tod_encode(1767225600LL, ans);
	fake_net_inject(fd, NULL, NULL, ans, 2);              /* the answer in two segments */
	loop_fd_dispatch(l, fd, LOOP_IN);
	assert_int_equal(d.calls, 0);
	fake_net_inject(fd, NULL, NULL, ans + 2, 2);
	loop_fd_dispatch(l, fd, LOOP_IN);
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.ok, 1);
	assert_true(d.ms / 1000 == 1767225600LL);
	assert_memory_equal(d.srv.addr, s[1].addr, 4);
	assert_int_equal(loop_fd_count(l), 0);
	assert_int_equal(loop_timer_count(l), 0);
	loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_known_values),
		cmocka_unit_test(test_encode_round_trip_over_wrap),
		cmocka_unit_test(test_answer_sets_time),
		cmocka_unit_test(test_retries_rotate_then_fail),
		cmocka_unit_test(test_tcp_fallback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
