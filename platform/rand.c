/* rand.c: rand.h on Linux, from getrandom(2). */
#include "platform/rand.h"

#include <errno.h>
#include <sys/random.h>

#include "platform/log.h"

void rand_bytes(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fatal("getrandom");   /* no entropy source: cannot run safely */
		}
		p += n;
		len -= (size_t)n;
	}
}

uint32_t rand_u32(void)
{
	uint32_t v;

	rand_bytes(&v, sizeof(v));
	return v;
}

uint32_t rand_uniform(uint32_t n)
{
	uint32_t v, min;

	if (n < 2)
		return 0;
	min = -n % n;   /* 2^32 mod n: values below it would bias the result */
	do
		v = rand_u32();
	while (v < min);
	return v % n;
}
