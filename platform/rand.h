/*
 * rand.h: the only source of randomness (transaction ids, jitter, nonces).
 *
 * Linux: getrandom(2).  Unit tests link tests/fake/rand.c, a seeded
 * generator, so retransmission schedules and xids are reproducible.
 */
#ifndef PLATFORM_RAND_H
#define PLATFORM_RAND_H

#include <stddef.h>
#include <stdint.h>

void rand_bytes(void *buf, size_t len);
uint32_t rand_u32(void);
/* Uniform in [0, n), without modulo bias; 0 when n == 0. */
uint32_t rand_uniform(uint32_t n);

#endif
