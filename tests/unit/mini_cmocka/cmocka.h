/*
 * cmocka.h (mini): a source-compatible subset of cmocka for boards that have
 * no cmocka library (BOARD=mips: Debian 12 ships no big-endian MIPS
 * libraries).  It covers what this project's tests use -- cmocka_unit_test*,
 * cmocka_run_group_tests, the assert_* macros, skip(), fail() -- and prints
 * the same "[  PASSED  ] N test(s)." lines, so mk/run-tests.sh reads both.
 * Tests include it exactly as they include the real one.
 */
#ifndef MINI_CMOCKA_H
#define MINI_CMOCKA_H

#include <stdint.h>
#include <stddef.h>

typedef uintmax_t LargestIntegralType;
typedef void (*CMUnitTestFunction)(void **state);
typedef int (*CMFixtureFunction)(void **state);

struct CMUnitTest {
	const char *name;
	CMUnitTestFunction test_func;
	CMFixtureFunction setup_func;
	CMFixtureFunction teardown_func;
	void *initial_state;
};

#define cmocka_unit_test(f) { #f, f, NULL, NULL, NULL }
#define cmocka_unit_test_setup(f, s) { #f, f, s, NULL, NULL }
#define cmocka_unit_test_teardown(f, t) { #f, f, NULL, t, NULL }
#define cmocka_unit_test_setup_teardown(f, s, t) { #f, f, s, t, NULL }
#define cmocka_unit_test_prestate(f, p) { #f, f, NULL, NULL, p }

int mini_cmocka_run(const char *group, const struct CMUnitTest *tests, size_t n,
		    CMFixtureFunction setup, CMFixtureFunction teardown);
#define cmocka_run_group_tests(t, s, d) \
	mini_cmocka_run(#t, (t), sizeof(t) / sizeof((t)[0]), (s), (d))
#define cmocka_run_group_tests_name(name, t, s, d) \
	mini_cmocka_run((name), (t), sizeof(t) / sizeof((t)[0]), (s), (d))

void mini_cmocka_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
void mini_cmocka_skip(const char *file, int line) __attribute__((noreturn));
void print_message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void print_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define mc_fail(...) mini_cmocka_fail(__FILE__, __LINE__, __VA_ARGS__)
#define fail() mc_fail("fail()")
#define fail_msg(...) mc_fail(__VA_ARGS__)
#define skip() mini_cmocka_skip(__FILE__, __LINE__)

#define assert_true(c) do { if (!(c)) mc_fail("%s is not true", #c); } while (0)
#define assert_false(c) do { if (c) mc_fail("%s is not false", #c); } while (0)
#define assert_null(p) do { if ((p) != NULL) mc_fail("%s is not NULL", #p); } while (0)
#define assert_non_null(p) do { if ((p) == NULL) mc_fail("%s is NULL", #p); } while (0)
#define assert_ptr_equal(a, b) do { if ((const void *)(a) != (const void *)(b)) mc_fail("%s != %s", #a, #b); } while (0)
#define assert_ptr_not_equal(a, b) do { if ((const void *)(a) == (const void *)(b)) mc_fail("%s == %s", #a, #b); } while (0)
#define assert_int_equal(a, b) do { LargestIntegralType mc_a = (LargestIntegralType)(a), mc_b = (LargestIntegralType)(b); \
	if (mc_a != mc_b) mc_fail("%jd != %jd", (intmax_t)mc_a, (intmax_t)mc_b); } while (0)
#define assert_int_not_equal(a, b) do { LargestIntegralType mc_a = (LargestIntegralType)(a), mc_b = (LargestIntegralType)(b); \
	if (mc_a == mc_b) mc_fail("%jd == %jd", (intmax_t)mc_a, (intmax_t)mc_b); } while (0)
#define assert_uint_equal(a, b) assert_int_equal(a, b)
#define assert_in_range(v, lo, hi) do { LargestIntegralType mc_v = (LargestIntegralType)(v); \
	if (mc_v < (LargestIntegralType)(lo) || mc_v > (LargestIntegralType)(hi)) \
		mc_fail("%ju is not within %ju..%ju", mc_v, (LargestIntegralType)(lo), (LargestIntegralType)(hi)); } while (0)
#define assert_string_equal(a, b) do { if (mini_cmocka_strcmp((a), (b)) != 0) \
	mc_fail("\"%s\" != \"%s\"", (a), (b)); } while (0)
#define assert_string_not_equal(a, b) do { if (mini_cmocka_strcmp((a), (b)) == 0) \
	mc_fail("\"%s\" == \"%s\"", (a), (b)); } while (0)
#define assert_memory_equal(a, b, n) do { if (mini_cmocka_memcmp((a), (b), (n)) != 0) \
	mc_fail("%s and %s differ in their first %zu bytes", #a, #b, (size_t)(n)); } while (0)
#define assert_memory_not_equal(a, b, n) do { if (mini_cmocka_memcmp((a), (b), (n)) == 0) \
	mc_fail("%s and %s are equal", #a, #b); } while (0)
#define assert_return_code(rc, e) do { if ((rc) < 0) mc_fail("%s < 0 (errno %d)", #rc, (int)(e)); } while (0)

int mini_cmocka_strcmp(const char *a, const char *b);
int mini_cmocka_memcmp(const void *a, const void *b, size_t n);

#endif
