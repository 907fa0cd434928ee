/*
 * test_flow.c: the flow engine driven by scripted actions on the fake clock:
 * whole flows, the branch at step 4, restart back-off, the content-error
 * path, the provisioning timer, skips, stop; and every table's targets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "eue/flow.h"
#include "eue/flows.h"
#include "platform/loop.h"
#include "tests/fake/fake.h"

/* The script: per action, the outcome to report (default ok), and a delay. */
struct script {
	int outcome[FA__COUNT];       /* -1: never completes */
	unsigned fail_times[FA__COUNT]; /* fail this many times, then ok */
	unsigned starts[FA__COUNT], aborts[FA__COUNT];
	const struct flow *branch_to;
	struct loop_timer t;
	struct flow_run *run;
	enum flow_action pending;
	enum flow_state last_state;
	unsigned states;
	unsigned failed_steps;             /* step_failed calls (the eSAFE view) */
	char failed_name[16], failed_reason[96];
};

static void complete(void *arg)
{
	struct script *s = arg;
	enum flow_action a = s->pending;

	if (s->fail_times[a]) {
		s->fail_times[a]--;
		flow_done(s->run, FLOW_FAIL, "scripted failure");
		return;
	}
	flow_done(s->run, (enum flow_outcome)s->outcome[a], NULL);
}

static int op_start(void *ctx, struct flow_run *r, enum flow_action a)
{
	struct script *s = ctx;

	s->starts[a]++;
	s->run = r;
	s->pending = a;
	if (s->outcome[a] >= 0)
		loop_timer_arm(r->loop, &s->t, 10);   /* every action takes 10 ms */
	return 0;
}

static void op_abort(void *ctx, struct flow_run *r, enum flow_action a)
{
	struct script *s = ctx;

	(void)r;
	s->aborts[a]++;
	loop_timer_cancel(r->loop, &s->t);
}

static const struct flow *op_branch(void *ctx, struct flow_run *r)
{
	(void)r;
	return ((struct script *)ctx)->branch_to;
}

static void op_state(void *ctx, struct flow_run *r, enum flow_state st)
{
	struct script *s = ctx;

	(void)r;
	s->last_state = st;
	s->states++;
}

static void op_step_failed(void *ctx, struct flow_run *r, const char *name, const char *reason)
{
	struct script *s = ctx;

	(void)r;
	s->failed_steps++;
	snprintf(s->failed_name, sizeof(s->failed_name), "%s", name);
	snprintf(s->failed_reason, sizeof(s->failed_reason), "%s", reason);
}

static const struct flow_ops ops = { op_start, op_abort, op_branch, op_state, op_step_failed };

static struct loop *l;
static struct script sc;
static struct flow_run run;

static int setup(void **state)
{
	(void)state;
	memset(&sc, 0, sizeof(sc));
	l = loop_new();
	loop_timer_init(&sc.t, complete, &sc);
	flow_init(&run, l, NULL, &ops, &sc);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	flow_stop(&run);
	loop_free(l);
	return 0;
}

/* Run the loop on the fake clock until the run settles (or n rounds pass). */
static void spin(int n)
{
	for (int i = 0; i < n; i++) {
		int64_t t = loop_next_timeout(l);

		if (t < 0)
			return;
		fake_clock_advance_ms((uint64_t)t);
		loop_run_expired(l);
	}
}

static void hist_nums(uint8_t *out, unsigned *n)
{
	*n = run.nhist;
	for (unsigned i = 0; i < run.nhist && i < FLOW_HIST; i++)
		out[i] = run.hist[i].num;
}

static void test_secure_runs_every_row(void **state)
{
	uint8_t nums[FLOW_HIST];
	unsigned n;
	char name[16];

	(void)state;
	assert_int_equal(flow_start(&run, &flow_secure, flows_prefix(1)), 0);
	spin(200);
	assert_int_equal(run.state, FLOW_PROVISIONED);
	assert_int_equal(sc.last_state, FLOW_PROVISIONED);
	hist_nums(nums, &n);
	assert_int_equal(n, 25);
	for (unsigned i = 0; i < 25; i++)
		assert_int_equal(nums[i], i + 1);
	assert_int_equal(run.hist[0].ms, 10);
	assert_int_equal(run.hist[15].ms, 0);     /* eUE-16: the server's step */
	assert_int_equal(sc.starts[FA_PASSIVE], 0);
	assert_string_equal(flow_step_name(&run, 25, name, sizeof(name)), "eUE-25");
}

static void test_branch_to_basic_in_ipv4(void **state)
{
	static const uint8_t want[] = { 1, 2, 3, 4, 22, 23, 24 };
	uint8_t nums[FLOW_HIST];
	unsigned n;
	char name[16];

	(void)state;
	sc.branch_to = &flow_basic1;
	flow_start(&run, &flow_secure, flows_prefix(0));
	spin(100);
	assert_int_equal(run.state, FLOW_PROVISIONED);
	assert_ptr_equal(run.flow, &flow_basic1);
	hist_nums(nums, &n);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(nums, want, sizeof(want));
	assert_int_equal(sc.starts[FA_AS_REQ], 0);
	assert_int_equal(sc.starts[FA_STATUS_INFORM], 0);   /* .1: no final INFORM */
	assert_string_equal(flow_step_name(&run, 4, name, sizeof(name)), "MTA4");
}

static void test_restart_backs_off(void **state)
{
	(void)state;
	sc.fail_times[FA_DNS_KDC_ADDR] = 3;
	flow_start(&run, &flow_secure, flows_prefix(1));
	/* first failure at eUE-7: back to eUE-1 after 1 s */
	for (int i = 0; i < 100 && run.state != FLOW_BACKOFF; i++)
		spin(1);
	assert_int_equal(run.state, FLOW_BACKOFF);
	assert_int_equal(loop_next_timeout(l), 1000);
	assert_int_equal(run.hist[(run.nhist - 1) % FLOW_HIST].num, 7);
	assert_int_equal(run.hist[(run.nhist - 1) % FLOW_HIST].outcome, FLOW_FAIL);
	spin(1);
	assert_int_equal(run.state, FLOW_RUNNING);
	assert_int_equal(sc.starts[FA_DHCP_SEND], 2);
	for (int i = 0; i < 100 && run.state != FLOW_BACKOFF; i++)
		spin(1);
	assert_int_equal(loop_next_timeout(l), 2000);   /* doubling */
	spin(500);
	assert_int_equal(run.state, FLOW_PROVISIONED);
	assert_int_equal(sc.starts[FA_DHCP_SEND], 4);   /* three restarts */
	assert_int_equal(run.restarts, 0);              /* forgotten once provisioned */
	assert_int_equal(sc.failed_steps, 3);           /* each told to the eSAFE view */
	assert_string_equal(sc.failed_name, "eUE-7");
	assert_string_equal(sc.failed_reason, "scripted_failure");
}

static void test_content_error_reports_then_fails(void **state)
{
	uint8_t nums[FLOW_HIST];
	unsigned n;

	(void)state;
	sc.outcome[FA_CFG_FILE] = FLOW_FAIL_CONTENT;
	flow_start(&run, &flow_basic2, flows_prefix(1));
	spin(100);
	hist_nums(nums, &n);
	assert_int_equal(nums[n - 3], 23);
	assert_int_equal(nums[n - 2], 24);   /* reported by syslog ... */
	assert_int_equal(nums[n - 1], 25);   /* ... and by the status INFORM */
	assert_int_equal(run.state, FLOW_FAILED);
	assert_int_equal(run.restarts, 0);
	assert_int_equal(sc.failed_steps, 1);           /* eUE-23 only: 24/25 passed */
	assert_string_equal(sc.failed_name, "eUE-23");
}

static void test_provisioning_timer_expires(void **state)
{
	(void)state;
	sc.outcome[FA_AS_REQ] = -1;          /* the KDC never answers */
	flow_set_prov_timer(&run, 5000);
	flow_start(&run, &flow_secure, flows_prefix(1));
	for (int i = 0; i < 100 && run.state != FLOW_BACKOFF; i++)
		spin(1);
	assert_int_equal(sc.aborts[FA_AS_REQ], 1);
	assert_int_equal(run.state, FLOW_BACKOFF);
	assert_int_equal(run.hist[(run.nhist - 1) % FLOW_HIST].num, 9);
	/* the timer started at eUE-5 (the first timed row): 4 rows of 10 ms before */
	assert_int_equal(run.hist[(run.nhist - 1) % FLOW_HIST].ms, 5000 - 40);
	assert_string_equal(run.reason, "provisioning timer expired");
}

static void test_final_failure_stops_and_skip_continues(void **state)
{
	char last[32];

	(void)state;
	sc.outcome[FA_AS_REQ] = FLOW_SKIP;   /* a valid cached ticket */
	sc.outcome[FA_STATUS_INFORM] = FLOW_FAIL;
	flow_start(&run, &flow_secure, flows_prefix(1));
	spin(200);
	assert_int_equal(run.state, FLOW_STOPPED);
	assert_int_equal(run.hist[8].outcome, FLOW_SKIP);
	snprintf(last, sizeof(last), "%u", run.hist[(run.nhist - 1) % FLOW_HIST].num);
	assert_string_equal(last, "25");
	/* a late completion after the stop changes nothing */
	flow_done(&run, FLOW_OK, NULL);
	spin(5);
	assert_int_equal(run.state, FLOW_STOPPED);
}

static void test_stop_aborts_the_action(void **state)
{
	(void)state;
	sc.outcome[FA_DHCP_OFFER] = -1;
	flow_start(&run, &flow_secure, flows_prefix(1));
	spin(3);
	assert_int_equal(run.cur, 1);
	flow_stop(&run);
	assert_int_equal(sc.aborts[FA_DHCP_OFFER], 1);
	assert_int_equal(run.state, FLOW_STOPPED);
	assert_int_equal(loop_timer_count(l), 0);
}

/* Every target of every table names a row of the same table (or stop/next),
 * rows are in ascending order, and one row ends each flow. */
static void test_tables_are_consistent(void **state)
{
	(void)state;
	for (unsigned f = 0; f < FLOWS_COUNT; f++) {
		const struct flow *fl = flows_all[f];
		unsigned finals = 0;

		assert_int_equal(fl->steps[0].num, 1);
		for (unsigned i = 0; i < fl->n; i++) {
			const struct flow_step *s = &fl->steps[i];

			if (i)
				assert_true(s->num > fl->steps[i - 1].num);
			if (s->ok != FLOW_NEXT && s->ok != FLOW_STOP)
				assert_true(flow_find(fl, s->ok) >= 0);
			if (s->fail != FLOW_STOP)
				assert_true(flow_find(fl, s->fail) >= 0);
			if (s->content)
				assert_true(flow_find(fl, s->content) >= 0);
			assert_true(s->action < FA__COUNT);
			finals += (s->flags & FLOW_F_FINAL) != 0;
			/* the branch row exists in every flow, so any flow can follow it */
			if (s->flags & FLOW_F_BRANCH)
				assert_int_equal(s->num, 4);
		}
		assert_int_equal(finals, 1);
		assert_true(fl->steps[fl->n - 1].flags & FLOW_F_FINAL);
		assert_true(flow_find(fl, 4) >= 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_secure_runs_every_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_branch_to_basic_in_ipv4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_backs_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_content_error_reports_then_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_provisioning_timer_expires, setup, teardown),
		cmocka_unit_test_setup_teardown(test_final_failure_stops_and_skip_continues, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_aborts_the_action, setup, teardown),
		cmocka_unit_test(test_tables_are_consistent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
