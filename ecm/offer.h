/*
 * offer.h: CM3 / CM3v6 offer precedence (spec Tables 2 and 3), pure.
 *
 * What CM1 requested follows from the eUE's IP capability.  Each OFFER (or
 * ADVERTISE) gets a score from the requested CableLabs options it carries:
 * two points per requested option present, one more for IP_PREF when both
 * were requested, so "both + IP_PREF" ranks first as CM3 demands and an
 * OFFER with none of them scores 0.  Unrequested options never count.
 * offer_choose() then says: take offer i, or DISCOVER again (three times,
 * 2/4/8 s apart), or, after the third retry, take any offer.
 */
#ifndef ECM_OFFER_H
#define ECM_OFFER_H

#include <stdint.h>

#include "platform/board.h"
#include "tlv/cablelabs.h"

struct offer_req {
	uint8_t ccc;     /* 122 (DHCPv4) / CL_OPTION_CCC 2170 (DHCPv6): eUE does IPv4 */
	uint8_t cccv6;   /* 125/4491.123 / CL_OPTION_CCCV6 2171: eUE does IPv6 */
	uint8_t pref;    /* 125/4491.124 / CL_OPTION_IP_PREF 39: eUE is dual-stack */
};

#define OFFER_RETRIES 3            /* CM3: "retry ... three times" */
#define OFFER_SCORE_MAX 5

void offer_req_from_cap(enum board_ip cap, struct offer_req *r);
/* 0 .. OFFER_SCORE_MAX; 0 = carries none of the requested options. */
unsigned offer_score(const struct offer_req *r, const struct cl_opts *o);
/* The best score a request can reach (picking early when it arrives). */
unsigned offer_score_max(const struct offer_req *r);

enum offer_verdict {
	OFFER_TAKE,     /* *pick is the index to REQUEST */
	OFFER_RETRY,    /* no offer satisfies: DISCOVER again after *delay_ms */
	OFFER_NONE,     /* no offers at all: keep retransmitting (RFC 2131) */
};

/*
 * scores[0..n): the offers of this round, in arrival order.  retries: how
 * many CM3 re-DISCOVERs were already made.  The highest score wins, the
 * earliest among equals.
 */
enum offer_verdict offer_choose(const unsigned *scores, unsigned n, unsigned retries,
				unsigned *pick, uint32_t *delay_ms);

#endif
