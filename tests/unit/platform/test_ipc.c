/* test_ipc.c: records cross both transports whole and in order; a closed
 * peer is reported once; oversized records are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "platform/err.h"
#include "platform/ipc.h"
#include "platform/loop.h"

struct sink {
	unsigned n, closed;
	size_t lens[8];
	uint8_t first[8];
};

static void on_rec(void *arg, const uint8_t *rec, size_t len)
{
	struct sink *s = arg;

	if (rec == NULL) {
		s->closed++;
		return;
	}
	if (s->n < 8) {
		s->lens[s->n] = len;
		s->first[s->n] = rec[0];
	}
	s->n++;
}

static void run_transport(int mem)
{
	struct loop *l = loop_new();
	struct ipc_chan *a, *b;
	struct sink s;
	uint8_t big[IPC_RECORD_MAX + 1];

	memset(&s, 0, sizeof(s));
	memset(big, 0xAB, sizeof(big));
	assert_int_equal(ipc_pair(&a, &b, mem), 0);
	assert_int_equal(ipc_attach(b, l, on_rec, &s), 0);
	assert_int_equal(ipc_send(a, "\x01one", 4), 0);
	assert_int_equal(ipc_send(a, "\x02", 1), 0);
	assert_int_equal(ipc_send(a, big, IPC_RECORD_MAX), 0);
	assert_int_equal(ipc_send(a, big, IPC_RECORD_MAX + 1), E_INVAL);
	assert_int_equal(ipc_send(a, big, 0), E_INVAL);
	for (int i = 0; i < 10 && s.n < 3; i++)
		loop_run_once(l, 100);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.lens[0], 4);
	assert_int_equal(s.first[0], 1);
	assert_int_equal(s.lens[1], 1);
	assert_int_equal(s.first[1], 2);
	assert_int_equal(s.lens[2], IPC_RECORD_MAX);
	assert_int_equal(ipc_stats(a)->sent, 3);
	assert_int_equal(ipc_stats(b)->received, 3);
	ipc_close(a);
	for (int i = 0; i < 10 && s.closed == 0; i++)
		loop_run_once(l, 100);
	assert_int_equal(s.closed, 1);
	ipc_close(b);
	loop_free(l);
}

static void test_seqpacket_records(void **state)
{
	(void)state;
	run_transport(0);
}

static void test_memory_records(void **state)
{
	(void)state;
	run_transport(1);
}

static void test_memory_queue_backpressure(void **state)
{
	struct ipc_chan *a, *b;
	int rc = 0, sent = 0;

	(void)state;
	assert_int_equal(ipc_pair(&a, &b, 1), 0);
	while (sent < 1000 && (rc = ipc_send(a, "x", 1)) == 0)
		sent++;
	assert_int_equal(rc, E_AGAIN);
	assert_true(sent > 0 && sent < 1000);
	ipc_close(b);
	assert_int_equal(ipc_send(a, "x", 1), E_IO);
	ipc_close(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seqpacket_records),
		cmocka_unit_test(test_memory_records),
		cmocka_unit_test(test_memory_queue_backpressure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
