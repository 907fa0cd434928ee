/*
 * test_esafe_rep.c: the eUE's eSAFE row for the eCM (eue/esafe_rep.h, spec
 * 6.6.3): progress through a run with a restart, a content error that ends
 * failed (flow step, text, the event raised since the last failure), a pass
 * that clears it, a new run, the impact across applications, and records
 * only when something changed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "eue/esafe_rep.h"

static struct ev_log_entry ev(uint32_t index, uint32_t id)
{
	struct ev_log_entry e;

	memset(&e, 0, sizeof(e));
	e.index = index;
	e.id = id;
	return e;
}

static void test_run_with_restart_then_content_error(void **state)
{
	struct esafe_rep s;
	struct ipc_msg m;
	struct ev_log_entry old = ev(3, 4000950903u), hash = ev(4, 4000950906u);

	(void)state;
	esrep_init(&s);
	assert_int_equal(esrep_take(&s, &m), 1);
	assert_int_equal(m.type, IPC_ESAFE);
	assert_int_equal(m.u.esafe.progress, IPC_ES_NOT_INITIATED);
	assert_int_equal(esrep_take(&s, &m), 0);   /* nothing new */

	esrep_state(&s, "running", "eUE-1", &old);
	esrep_impact(&s, NULL);
	assert_int_equal(esrep_take(&s, &m), 1);
	assert_int_equal(m.u.esafe.progress, IPC_ES_IN_PROGRESS);
	assert_int_equal(m.u.esafe.failure, IPC_ES_FALSE);
	assert_false(ipc_msg_has(&m, IPC_A_ES_FLOW));

	/* MTA22 fails (restart): FailureFound with the step; no new event */
	esrep_step_failed(&s, "MTA22", "tftp_timeout", &old);
	esrep_state(&s, "backoff", "MTA22", &old);
	assert_int_equal(esrep_take(&s, &m), 1);
	assert_int_equal(m.u.esafe.progress, IPC_ES_IN_PROGRESS);
	assert_int_equal(m.u.esafe.failure, IPC_ES_TRUE);
	assert_string_equal(m.u.esafe.flow, "MTA22");
	assert_string_equal(m.u.esafe.text, "tftp_timeout");
	assert_int_equal(m.u.esafe.event_id, 0);

	/* the restart keeps the failure; eUE-23's hash error raised an event */
	esrep_state(&s, "running", "MTA1", &old);
	esrep_step_failed(&s, "MTA23", "hash_mismatch", &hash);
	esrep_state(&s, "failed", "MTA25", &hash);
	esrep_impact(&s, NULL);
	assert_int_equal(esrep_take(&s, &m), 1);
	assert_int_equal(m.u.esafe.progress, IPC_ES_FINISHED);
	assert_int_equal(m.u.esafe.failure, IPC_ES_TRUE);
	assert_string_equal(m.u.esafe.flow, "MTA23");
	assert_string_equal(m.u.esafe.text, "hash_mismatch");
	assert_int_equal(m.u.esafe.event_id, 4000950906u);
	assert_int_equal(m.u.esafe.impact, IPC_ES_NONE);

	/* a new run clears the finished one's failure, and its pass too */
	esrep_state(&s, "running", "MTA1", &hash);
	assert_int_equal(s.cur.failure, IPC_ES_FALSE);
	esrep_state(&s, "provisioned", "MTA25", &hash);
	assert_int_equal(esrep_take(&s, &m), 1);
	assert_int_equal(m.u.esafe.progress, IPC_ES_FINISHED);
	assert_int_equal(m.u.esafe.failure, IPC_ES_FALSE);
	assert_string_equal(m.u.esafe.flow, "");
}

static void test_halt_names_itself(void **state)
{
	struct esafe_rep s;

	(void)state;
	esrep_init(&s);
	esrep_state(&s, "running", "eUE-1", NULL);
	esrep_state(&s, "disabled", "eUE-3", NULL);
	assert_int_equal(s.cur.progress, IPC_ES_FINISHED);
	assert_int_equal(s.cur.failure, IPC_ES_TRUE);
	assert_string_equal(s.cur.flow, "eUE-3");
	assert_string_equal(s.cur.text, "disabled");
}

static void test_impact_across_applications(void **state)
{
	struct esafe_rep s;
	struct mib *m = calloc(1, sizeof(*m));

	(void)state;
	assert_non_null(m);
	esrep_init(&s);
	m->run.enabled = 1;
	/* not provisioned yet: nothing to interrupt */
	esrep_state(&s, "running", "MTA1", NULL);
	esrep_impact(&s, m);
	assert_int_equal(s.cur.impact, IPC_ES_NONE);
	/* provisioned, no application rows: the E-UE's own service */
	esrep_state(&s, "provisioned", "MTA25", NULL);
	esrep_impact(&s, m);
	assert_int_equal(s.cur.impact, IPC_ES_SIGNIFICANT);
	/* two applications, both inactive: none */
	m->run.apps[0] = (struct mib_app){ .impu = 1, .app = 1, .status = 1, .org = 4491, .ident = 1, .admin = 2 };
	m->run.apps[1] = (struct mib_app){ .impu = 1, .app = 2, .status = 1, .org = 9999, .ident = 7, .admin = 2 };
	m->run.n_apps = 2;
	esrep_impact(&s, m);
	assert_int_equal(s.cur.impact, IPC_ES_NONE);
	assert_string_equal(s.cur.impact_info, "0 of 2 applications active");
	/* one active: the highest across them */
	m->run.apps[1].admin = 1;
	esrep_impact(&s, m);
	assert_int_equal(s.cur.impact, IPC_ES_SIGNIFICANT);
	assert_string_equal(s.cur.impact_info, "1 of 2 applications active");
	/* pktcMtaDevEnabled false: no service */
	m->run.enabled = 2;
	esrep_impact(&s, m);
	assert_int_equal(s.cur.impact, IPC_ES_NONE);
	assert_int_equal(esrep_app_impact(4491, 5), IPC_ES_SIGNIFICANT);
	assert_int_equal(esrep_app_impact(1, 1), IPC_ES_SIGNIFICANT);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_with_restart_then_content_error),
		cmocka_unit_test(test_halt_names_itself),
		cmocka_unit_test(test_impact_across_applications),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
