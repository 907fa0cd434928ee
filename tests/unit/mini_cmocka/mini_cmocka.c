/* mini_cmocka.c: the runner behind the mini cmocka.h (see there). */
#include "cmocka.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static jmp_buf mc_env;
static int mc_skipped;

void print_message(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void print_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void mini_cmocka_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("[  ERROR   ] --- ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n[   LINE   ] --- %s:%d: error: Failure!\n", file, line);
	longjmp(mc_env, 1);
}

void mini_cmocka_skip(const char *file, int line)
{
	(void)file;
	(void)line;
	mc_skipped = 1;
	longjmp(mc_env, 1);
}

int mini_cmocka_strcmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b);
}

int mini_cmocka_memcmp(const void *a, const void *b, size_t n)
{
	return memcmp(a, b, n);
}

int mini_cmocka_run(const char *group, const struct CMUnitTest *tests, size_t n,
		    CMFixtureFunction setup, CMFixtureFunction teardown)
{
	/* volatile: these live across longjmp() */
	volatile size_t i, passed = 0, failed = 0, skipped = 0;
	void *gstate = NULL;

	printf("[==========] %s: Running %zu test(s).\n", group, n);
	if (setup && setup(&gstate) != 0) {
		printf("[  ERROR   ] %s: group setup failed\n", group);
		return (int)n;
	}
	for (i = 0; i < n; i++) {
		void *state = tests[i].initial_state;
		volatile int ok = 1;

		printf("[ RUN      ] %s\n", tests[i].name);
		fflush(stdout);
		mc_skipped = 0;
		if (tests[i].setup_func && tests[i].setup_func(&state) != 0) {
			ok = 0;
		} else if (setjmp(mc_env) == 0) {
			tests[i].test_func(&state);
		} else {
			ok = 0;
		}
		if (tests[i].teardown_func && tests[i].teardown_func(&state) != 0)
			ok = 0;
		if (mc_skipped) {
			skipped++;
			printf("[  SKIPPED ] %s\n", tests[i].name);
		} else if (ok) {
			passed++;
			printf("[       OK ] %s\n", tests[i].name);
		} else {
			failed++;
			printf("[  FAILED  ] %s\n", tests[i].name);
		}
	}
	if (teardown)
		teardown(&gstate);
	printf("[==========] %s: %zu test(s) run.\n", group, n);
	printf("[  PASSED  ] %zu test(s).\n", passed);
	if (skipped)
		printf("[  SKIPPED ] %zu test(s).\n", skipped);
	if (failed)
		printf("[  FAILED  ] %zu test(s).\n", failed);
	fflush(stdout);
	return (int)failed;
}
