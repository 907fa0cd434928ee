/*
 * esafe.c: the eCM's ESAFE-MIB rows of the eUE (see esafe.h; spec 6.6.3).
 * Pure: the caller owns the clock, the IPC and the SNMP agent.
 */
#include "ecm/esafe.h"

#include <string.h>

#include "platform/err.h"

/* ESAFE-MIB esafeBase: 1.3.6.1.4.1.4491.2.1.14.1.1 */
#define BASE_LEN 12
static const uint32_t esafe_base[BASE_LEN] = { 1, 3, 6, 1, 4, 1, 4491, 2, 1, 14, 1, 1 };

/* Every column of the two tables in OID order (table, column); one row
 * each, so this order is also GETNEXT's order. */
enum col_id {
	C_PROGRESS, C_FAIL_FOUND, C_FAIL_FLOW, C_FAIL_EVENT, C_FAIL_TEXT, C_LAST_UPDATE,
	C_IMPACT, C_IMPACT_INFO, C__COUNT
};
static const struct { uint8_t table, column; } cols[C__COUNT] = {
	[C_PROGRESS] = { 1, 1 },     [C_FAIL_FOUND] = { 1, 2 }, [C_FAIL_FLOW] = { 1, 3 },
	[C_FAIL_EVENT] = { 1, 4 },   [C_FAIL_TEXT] = { 1, 5 },  [C_LAST_UPDATE] = { 1, 6 },
	[C_IMPACT] = { 2, 1 },       [C_IMPACT_INFO] = { 2, 2 },
};

static const char *const progress_names[] = {
	[ESAFE_NOT_INITIATED] = "notInitiated", [ESAFE_IN_PROGRESS] = "inProgress",
	[ESAFE_FINISHED] = "finished",
};
static const char *const impact_names[] = {
	[ESAFE_IMPACT_SIGNIFICANT] = "significant", [ESAFE_IMPACT_NONE] = "none",
	[ESAFE_IMPACT_UNSUPPORTED] = "unsupported",
};

const char *esafe_progress_str(unsigned p)
{
	return p >= 1 && p <= ESAFE_FINISHED ? progress_names[p] : "?";
}

const char *esafe_impact_str(unsigned i)
{
	return i >= 1 && i <= ESAFE_IMPACT_UNSUPPORTED ? impact_names[i] : "?";
}

void esafe_init(struct esafe *s)
{
	memset(s, 0, sizeof(*s));
	s->eue.ifindex = ESAFE_IFINDEX_EUE;
	s->eue.r.progress = ESAFE_NOT_INITIATED;
	s->eue.r.failure = ESAFE_FALSE;
	s->eue.r.impact = ESAFE_IMPACT_NONE;
	s->eue.date_len = esafe_date(0, 0, 0, s->eue.date);
}

/* Days since 1970-01-01 -> civil date (proleptic Gregorian; H. Hinnant's
 * era-based algorithm), in 32-bit arithmetic: the caller keeps to
 * 1970..2105, and the cross boards' 64-bit division is a library call. */
static void civil_from_days(uint32_t z, uint32_t *y, unsigned *m, unsigned *d)
{
	uint32_t era, doe, yoe, doy, mp;

	z += 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

size_t esafe_date(int time_known, int64_t unix_ms, int32_t offset_s, uint8_t out[ESAFE_DATE_MAX])
{
	int64_t local_ms;
	uint32_t secs, sod, aoff, y;
	unsigned m, d;

	memset(out, 0, ESAFE_DATE_MAX);
	/* RFC 2579: the offset is at most 13 h (east) / 12 h (west); the
	 * local time is kept to 1970..2105 (32-bit seconds), which a
	 * modem's clock, set by RFC 868, never leaves */
	if (!time_known || offset_s > 13 * 3600 || offset_s < -12 * 3600)
		return 8;
	local_ms = unix_ms + (int64_t)offset_s * 1000;
	if (local_ms < 0 || local_ms / 1000 > (int64_t)UINT32_MAX)
		return 8;
	secs = (uint32_t)(local_ms / 1000);
	sod = secs % 86400u;
	civil_from_days(secs / 86400u, &y, &m, &d);
	out[0] = (uint8_t)(y >> 8);
	out[1] = (uint8_t)y;
	out[2] = (uint8_t)m;
	out[3] = (uint8_t)d;
	out[4] = (uint8_t)(sod / 3600);
	out[5] = (uint8_t)(sod / 60 % 60);
	out[6] = (uint8_t)(sod % 60);
	out[7] = (uint8_t)((uint32_t)(local_ms - (int64_t)secs * 1000) / 100);
	aoff = offset_s < 0 ? (uint32_t)-offset_s : (uint32_t)offset_s;
	out[8] = offset_s < 0 ? '-' : '+';
	out[9] = (uint8_t)(aoff / 3600);
	out[10] = (uint8_t)(aoff / 60 % 60);
	return ESAFE_DATE_MAX;
}

int esafe_update(struct esafe *s, const struct ipc_esafe *r, int time_known, int64_t unix_ms,
		 int32_t offset_s)
{
	struct esafe_row *w = &s->eue;

	if (r->progress < ESAFE_NOT_INITIATED || r->progress > ESAFE_FINISHED ||
	    (r->failure != ESAFE_TRUE && r->failure != ESAFE_FALSE) ||
	    r->impact < ESAFE_IMPACT_SIGNIFICANT || r->impact > ESAFE_IMPACT_UNSUPPORTED)
		return E_RANGE;
	w->r = *r;
	/* The decoder NUL-terminates; a caller's own struct may not have. */
	w->r.flow[sizeof(w->r.flow) - 1] = '\0';
	w->r.text[sizeof(w->r.text) - 1] = '\0';
	w->r.impact_info[sizeof(w->r.impact_info) - 1] = '\0';
	if (r->failure == ESAFE_FALSE) {
		w->r.flow[0] = '\0';
		w->r.text[0] = '\0';
		w->r.event_id = 0;
	}
	w->date_len = esafe_date(time_known, unix_ms, offset_s, w->date);
	w->updates++;
	return 0;
}

static void esafe_fill(const struct esafe_row *w, enum col_id c, struct esafe_val *v)
{
	memcpy(v->oid, esafe_base, sizeof(esafe_base));
	v->oid[BASE_LEN] = cols[c].table;
	v->oid[BASE_LEN + 1] = 1;   /* the Entry */
	v->oid[BASE_LEN + 2] = cols[c].column;
	v->oid[BASE_LEN + 3] = w->ifindex;
	v->oid_len = BASE_LEN + 4;
	v->type = ESAFE_T_INT;
	v->num = 0;
	v->bytes = NULL;
	v->len = 0;
	switch (c) {
	case C_PROGRESS: v->num = w->r.progress; break;
	case C_FAIL_FOUND: v->num = w->r.failure; break;
	case C_FAIL_EVENT: v->type = ESAFE_T_UNSIGNED; v->num = w->r.event_id; break;
	case C_IMPACT: v->num = w->r.impact; break;
	case C_FAIL_FLOW:
		v->type = ESAFE_T_OCTETS;
		v->bytes = (const uint8_t *)w->r.flow;
		v->len = strlen(w->r.flow);
		break;
	case C_FAIL_TEXT:
		v->type = ESAFE_T_OCTETS;
		v->bytes = (const uint8_t *)w->r.text;
		v->len = strlen(w->r.text);
		break;
	case C_IMPACT_INFO:
		v->type = ESAFE_T_OCTETS;
		v->bytes = (const uint8_t *)w->r.impact_info;
		v->len = strlen(w->r.impact_info);
		break;
	case C_LAST_UPDATE:
		v->type = ESAFE_T_OCTETS;
		v->bytes = w->date;
		v->len = w->date_len;
		break;
	case C__COUNT:
		break;
	}
}

/* Lexicographic OID order (RFC 3416 GETNEXT): <0, 0, >0. */
static int oid_cmp(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t n = na < nb ? na : nb;

	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return na < nb ? -1 : na > nb ? 1 : 0;
}

int esafe_get(const struct esafe *s, const uint32_t *oid, size_t n, struct esafe_val *v)
{
	struct esafe_val cand;

	for (unsigned c = 0; c < C__COUNT; c++) {
		esafe_fill(&s->eue, (enum col_id)c, &cand);
		if (oid_cmp(oid, n, cand.oid, cand.oid_len) == 0) {
			*v = cand;
			return 0;
		}
	}
	return E_NOTFOUND;
}

int esafe_getnext(const struct esafe *s, const uint32_t *oid, size_t n, struct esafe_val *v)
{
	struct esafe_val cand;

	for (unsigned c = 0; c < C__COUNT; c++) {
		esafe_fill(&s->eue, (enum col_id)c, &cand);
		if (oid_cmp(oid, n, cand.oid, cand.oid_len) < 0) {
			*v = cand;
			return 0;
		}
	}
	return E_NOTFOUND;
}
