/* test_loop.c: timer ordering, re-arming from callbacks, fd dispatch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "platform/loop.h"
#include "tests/fake/fake.h"

struct rec {
	char order[32];
	unsigned n;
};

struct tctx {
	struct rec *r;
	char tag;
	struct loop *l;
	struct loop_timer *other;
	int rearm;
	struct loop_timer self;
};

static void note(void *arg)
{
	struct tctx *c = arg;

	c->r->order[c->r->n++] = c->tag;
	if (c->other)
		loop_timer_cancel(c->l, c->other);
	if (c->rearm-- > 0)
		loop_timer_arm(c->l, &c->self, 0);
}

static void mk(struct tctx *c, struct rec *r, struct loop *l, char tag)
{
	memset(c, 0, sizeof(*c));
	c->r = r;
	c->tag = tag;
	c->l = l;
	loop_timer_init(&c->self, note, c);
}

static void test_timers_fire_in_deadline_order(void **state)
{
	struct loop *l = loop_new();
	struct rec r = { { 0 }, 0 };
	struct tctx a, b, c, d;

	(void)state;
	mk(&a, &r, l, 'a');
	mk(&b, &r, l, 'b');
	mk(&c, &r, l, 'c');
	mk(&d, &r, l, 'd');
	loop_timer_arm(l, &a.self, 300);
	loop_timer_arm(l, &b.self, 100);
	loop_timer_arm(l, &c.self, 200);
	loop_timer_arm(l, &d.self, 100);   /* same deadline as b: fires after b */
	assert_int_equal(loop_timer_count(l), 4);
	assert_int_equal(loop_next_timeout(l), 100);
	fake_clock_advance_ms(99);
	assert_int_equal(loop_run_expired(l), 0);
	fake_clock_advance_ms(1);
	assert_int_equal(loop_run_expired(l), 2);
	fake_clock_advance_ms(1000);
	assert_int_equal(loop_run_expired(l), 2);
	assert_string_equal(r.order, "bdca");
	assert_int_equal(loop_next_timeout(l), -1);
	loop_free(l);
}

static void test_rearm_moves_timer(void **state)
{
	struct loop *l = loop_new();
	struct rec r = { { 0 }, 0 };
	struct tctx a, b;

	(void)state;
	mk(&a, &r, l, 'a');
	mk(&b, &r, l, 'b');
	loop_timer_arm(l, &a.self, 50);
	loop_timer_arm(l, &b.self, 100);
	loop_timer_arm(l, &a.self, 150);   /* re-arm replaces, never duplicates */
	assert_int_equal(loop_timer_count(l), 2);
	fake_clock_advance_ms(200);
	loop_run_expired(l);
	assert_string_equal(r.order, "ba");
	loop_free(l);
}

static void test_callback_cancels_other_timer(void **state)
{
	struct loop *l = loop_new();
	struct rec r = { { 0 }, 0 };
	struct tctx a, b;

	(void)state;
	mk(&a, &r, l, 'a');
	mk(&b, &r, l, 'b');
	a.other = &b.self;
	loop_timer_arm(l, &a.self, 10);
	loop_timer_arm(l, &b.self, 10);
	fake_clock_advance_ms(10);
	assert_int_equal(loop_run_expired(l), 1);
	assert_string_equal(r.order, "a");
	assert_false(loop_timer_armed(&b.self));
	loop_free(l);
}

static void test_zero_delay_rearm_waits_a_round(void **state)
{
	struct loop *l = loop_new();
	struct rec r = { { 0 }, 0 };
	struct tctx a;

	(void)state;
	mk(&a, &r, l, 'a');
	a.rearm = 5;
	loop_timer_arm(l, &a.self, 0);
	/* One round fires it once, even though it re-arms itself at delay 0. */
	assert_int_equal(loop_run_expired(l), 1);
	assert_int_equal(loop_run_expired(l), 1);
	assert_string_equal(r.order, "aa");
	assert_true(loop_timer_armed(&a.self));
	loop_timer_cancel(l, &a.self);
	assert_int_equal(loop_timer_count(l), 0);
	loop_free(l);
}

static int fd_hits;
static void on_fd(void *arg, int fd, unsigned ev)
{
	(void)arg;
	assert_int_equal(fd, 7);
	assert_int_equal(ev, LOOP_IN);
	fd_hits++;
}

static void test_fd_watch_dispatch(void **state)
{
	struct loop *l = loop_new();

	(void)state;
	assert_int_equal(loop_watch_fd(l, 7, LOOP_IN, on_fd, NULL), 0);
	assert_int_equal(loop_watch_fd(l, 7, LOOP_IN, on_fd, NULL), 0);   /* replaces */
	assert_int_equal(loop_fd_count(l), 1);
	assert_int_equal(loop_fd_dispatch(l, 7, LOOP_IN), 0);
	assert_int_equal(fd_hits, 1);
	loop_unwatch_fd(l, 7);
	assert_int_not_equal(loop_fd_dispatch(l, 7, LOOP_IN), 0);
	assert_int_equal(fd_hits, 1);
	assert_int_not_equal(loop_watch_fd(l, -1, LOOP_IN, on_fd, NULL), 0);
	loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_fire_in_deadline_order),
		cmocka_unit_test(test_rearm_moves_timer),
		cmocka_unit_test(test_callback_cancels_other_timer),
		cmocka_unit_test(test_zero_delay_rearm_waits_a_round),
		cmocka_unit_test(test_fd_watch_dispatch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
