/*
 * unhex.h: hex text -> bytes for the codec tests' vectors (spaces, colons and
 * line breaks between the digits are skipped).  Include after <cmocka.h>.
 */
#ifndef TESTS_UNIT_UNHEX_H
#define TESTS_UNIT_UNHEX_H

#include <stddef.h>
#include <stdint.h>

static size_t unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			assert_true(n < max);
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	assert_true(hi < 0);
	return n;
}

#endif
