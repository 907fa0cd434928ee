/* retx.c: the retransmission schedule of retx.h (pure). */
#include "platform/retx.h"

#include "platform/err.h"

/* A value uniform in [-range, +range] (or (0, range] if positive) from rnd. */
static int64_t retx_rand(uint32_t range, uint32_t rnd, int positive)
{
	if (range == 0)
		return 0;
	if (positive)
		return 1 + (int64_t)(rnd % range);
	return (int64_t)(rnd % (2u * range + 1u)) - range;
}

static uint32_t retx_jitter_range(const struct retx_param *p, uint32_t base)
{
	return (uint32_t)((uint64_t)base * p->jitter_permille / 1000u);
}

static uint32_t retx_clamp(int64_t v)
{
	if (v < 0)
		return 0;
	if (v > UINT32_MAX)
		return UINT32_MAX;
	return (uint32_t)v;
}

void retx_start(struct retx *r, const struct retx_param *p, uint64_t now_ms)
{
	r->p = p;
	r->count = 0;
	r->rt_ms = 0;
	r->base_ms = 0;
	r->start_ms = now_ms;
}

int retx_next(struct retx *r, uint64_t now_ms, uint32_t rnd, uint32_t *wait_ms)
{
	const struct retx_param *p = r->p;
	uint64_t elapsed = now_ms - r->start_ms;
	int64_t rt;

	r->count++;
	if (p->mrd_ms && elapsed >= p->mrd_ms)
		return E_TIMEOUT;
	if (p->jitter_abs_ms) {
		/* RFC 2131 4.1: 4 s, 8 s, ... up to 64 s, each randomized by +-1 s */
		uint64_t base = r->count == 1 ? p->irt_ms : 2 * (uint64_t)r->base_ms;

		if (p->mrt_ms && base > p->mrt_ms)
			base = p->mrt_ms;
		r->base_ms = retx_clamp((int64_t)base);
		rt = (int64_t)base + retx_rand(p->jitter_abs_ms, rnd, p->first_positive);
	} else if (r->count == 1) {
		/* RFC 3315 14: RT = IRT + RAND*IRT */
		rt = (int64_t)p->irt_ms +
		     retx_rand(retx_jitter_range(p, p->irt_ms), rnd, p->first_positive);
	} else {
		/* RFC 3315 14: RT = 2*RTprev + RAND*RTprev */
		rt = 2 * (int64_t)r->rt_ms + retx_rand(retx_jitter_range(p, r->rt_ms), rnd, 0);
	}
	/* RFC 3315 14: if RT > MRT, RT = MRT + RAND*MRT */
	if (!p->jitter_abs_ms && p->mrt_ms && rt > (int64_t)p->mrt_ms)
		rt = (int64_t)p->mrt_ms + retx_rand(retx_jitter_range(p, p->mrt_ms), rnd, 0);
	r->rt_ms = retx_clamp(rt);
	*wait_ms = r->rt_ms;
	if (p->mrd_ms && elapsed + *wait_ms > p->mrd_ms)
		*wait_ms = (uint32_t)(p->mrd_ms - elapsed);
	return 0;
}

int retx_expired(const struct retx *r, uint64_t now_ms)
{
	const struct retx_param *p = r->p;

	return (p->mrc && r->count >= p->mrc) || (p->mrd_ms && now_ms - r->start_ms >= p->mrd_ms);
}
