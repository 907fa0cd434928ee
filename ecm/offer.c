/* offer.c: CM3 / CM3v6 precedence and retry decision (offer.h). */
#include "ecm/offer.h"

void offer_req_from_cap(enum board_ip cap, struct offer_req *r)
{
	/* Table 2 CM1 / Table 3 CM1v6: "if (and only if)" */
	r->ccc = cap == BOARD_IP_V4 || cap == BOARD_IP_DUAL;
	r->cccv6 = cap == BOARD_IP_V6 || cap == BOARD_IP_DUAL;
	r->pref = cap == BOARD_IP_DUAL;
}

static int offer_has_ccc(const struct cl_opts *o)
{
	return cl_has(o, CL_F_DHCP4_PRI) || cl_has(o, CL_F_DHCP4_SEC) || cl_has(o, CL_F_CCC);
}

static int offer_has_cccv6(const struct cl_opts *o)
{
	return cl_has(o, CL_F_CCCV6) || cl_has(o, CL_F_DSS_PRI);
}

unsigned offer_score(const struct offer_req *r, const struct cl_opts *o)
{
	unsigned s = 0;

	if (r->ccc && offer_has_ccc(o))
		s += 2;
	if (r->cccv6 && offer_has_cccv6(o))
		s += 2;
	/* IP_PREF only counts beside a requested option (CM2: sent "if both") */
	if (r->pref && s > 0 && cl_has(o, CL_F_IP_PREF))
		s += 1;
	return s;
}

unsigned offer_score_max(const struct offer_req *r)
{
	return (r->ccc ? 2u : 0u) + (r->cccv6 ? 2u : 0u) + (r->pref ? 1u : 0u);
}

enum offer_verdict offer_choose(const unsigned *scores, unsigned n, unsigned retries,
				unsigned *pick, uint32_t *delay_ms)
{
	unsigned best = 0;

	*pick = 0;
	*delay_ms = 0;
	if (n == 0)
		return OFFER_NONE;
	for (unsigned i = 1; i < n; i++)
		if (scores[i] > scores[best])
			best = i;
	if (scores[best] > 0) {
		*pick = best;
		return OFFER_TAKE;
	}
	if (retries < OFFER_RETRIES) {
		/* CM3: "exponential retry method (e.g., 2, 4, 8 second intervals)" */
		*delay_ms = 2000u << retries;
		return OFFER_RETRY;
	}
	*pick = 0;   /* CM3: after the retries, "select amidst one of the DHCP OFFERs" */
	return OFFER_TAKE;
}
