/*
 * retx.h: the one retransmission schedule (RFC 3315 section 14 / RFC 8415
 * section 15, RFC 2131 section 4.1), driven by const per-protocol tables.
 *
 *   first:  RT = IRT + RAND*IRT
 *   next:   RT = 2*RTprev + RAND*RTprev
 *   capped: if MRT and RT > MRT: RT = MRT + RAND*MRT
 *   stop:   when the wait after the MRC-th transmission has run out, or
 *           when MRD has elapsed (the last wait is cut to end exactly at MRD)
 *
 * RAND is uniform in [-jitter, +jitter], the jitter given either in per mille
 * of RT (RFC 3315: 100, i.e. +-0.1) or as absolute ms.  With an absolute
 * jitter the schedule is RFC 2131's instead: the base doubles (4, 8, 16, 32,
 * 64 s, capped at MRT) and each wait is base +- jitter, so the randomness of
 * one wait does not carry into the next.
 * With first_positive, the first RAND is drawn from (0, +jitter] (RFC 3315
 * 17.1.2, SOLICIT).  The caller passes the random value, so the schedule is a
 * pure function and tests check it exactly.  Knows no protocol.
 */
#ifndef PLATFORM_RETX_H
#define PLATFORM_RETX_H

#include <stdint.h>

struct retx_param {
	uint32_t irt_ms;          /* initial retransmission time */
	uint32_t mrt_ms;          /* maximum retransmission time; 0 = none */
	uint32_t mrc;             /* maximum transmissions; 0 = unlimited */
	uint32_t mrd_ms;          /* maximum duration; 0 = unlimited */
	uint16_t jitter_permille; /* RAND range as a fraction of RT (100 = 0.1) */
	uint16_t jitter_abs_ms;   /* or as absolute ms (used when non-zero) */
	uint8_t first_positive;   /* first RAND > 0 (RFC 3315 17.1.2) */
};

struct retx {
	const struct retx_param *p;
	uint32_t count;     /* transmissions so far */
	uint32_t rt_ms;     /* the last RT (before MRD cut) */
	uint32_t base_ms;   /* RFC 2131 mode: the unrandomized doubling base */
	uint64_t start_ms;  /* when the first transmission went out */
};

/* Begin an exchange whose first transmission happens at now_ms. */
void retx_start(struct retx *r, const struct retx_param *p, uint64_t now_ms);
/*
 * Call right after each transmission: the time to wait for a reply before
 * transmitting again (or giving up).  Returns 0, or E_TIMEOUT when MRD has
 * already elapsed.  rnd is a uniform 32-bit random value (rand_u32()).
 */
int retx_next(struct retx *r, uint64_t now_ms, uint32_t rnd, uint32_t *wait_ms);
/* When a wait runs out: 1 if the exchange has failed (MRC transmissions
 * made, or MRD elapsed), 0 if another transmission is due. */
int retx_expired(const struct retx *r, uint64_t now_ms);

#endif
