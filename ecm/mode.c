/* mode.c: Table 4 as a pure function (see mode.h). */
#include "ecm/mode.h"

#include <string.h>

static const char *const mode_reason_names[MR__COUNT] = {
	[MR_V4_ONLY_VALID] = "v4 requested, valid server",
	[MR_V4_ONLY_NONE] = "v4 requested, no valid server",
	[MR_V6_ONLY_VALID] = "v6 requested, valid DSS_ID",
	[MR_V6_ONLY_NONE] = "v6 requested, no valid DSS_ID",
	[MR_PREF_V4] = "preference IPv4",
	[MR_PREF_V6] = "preference IPv6",
	[MR_PREF_FALLBACK_V4] = "preferred family invalid, IPv4 valid",
	[MR_PREF_FALLBACK_V6] = "preferred family invalid, IPv6 valid",
	[MR_NOPREF_V4] = "no preference, only IPv4 valid",
	[MR_NOPREF_V6] = "no preference, only IPv6 valid",
	[MR_NOPREF_BOTH] = "no preference, both valid",
	[MR_NEITHER] = "neither family valid",
	[MR_SHUTDOWN] = "explicit shutdown",
};

static const char *const mode_result_names[] = {
	[MODE_DORMANT] = "dormant", [MODE_IPV4] = "ipv4", [MODE_IPV6] = "ipv6",
};

const char *mode_reason_str(enum mode_reason r)
{
	return r < MR__COUNT ? mode_reason_names[r] : "?";
}

const char *mode_result_str(enum mode_result m)
{
	return m <= MODE_IPV6 ? mode_result_names[m] : "?";
}

/* Collect the eUE's DHCPv4 servers (122.1/.2 or 2170.1/.2); 1 if any is usable. */
static int mode_v4(const struct cl_opts *o, struct mode_decision *d, int *shutdown)
{
	static const enum cl_field f[2] = { CL_F_DHCP4_PRI, CL_F_DHCP4_SEC };
	uint32_t a[2] = { o->dhcp4_pri, o->dhcp4_sec };

	for (int i = 0; i < 2; i++) {
		if (!cl_has(o, f[i]))
			continue;   /* absent, or a wrong length: not valid (dhcpcd's rule) */
		switch (cl_addr4_kind(a[i])) {
		case CL_DISABLE:
			/* 6.3.2.2: 0.0.0.0 means the eUE must not provision */
			*shutdown = 1;
			break;
		case CL_ANY:
			d->any_server = 1;
			d->servers[d->n_servers++] = a[i];
			break;
		case CL_NORMAL:
			d->servers[d->n_servers++] = a[i];
			break;
		}
	}
	return d->n_servers > 0;
}

/* Collect the eUE's DSS_IDs (CCCv6 .1/.2); 1 if any is usable. */
static int mode_v6(const struct cl_opts *o, struct mode_decision *d, int *shutdown)
{
	static const enum cl_field f[2] = { CL_F_DSS_PRI, CL_F_DSS_SEC };
	const struct cl_dss *s[2] = { &o->dss_pri, &o->dss_sec };

	for (int i = 0; i < 2; i++) {
		if (!cl_has(o, f[i]) || s[i]->len == 0)
			continue;
		/* 6.4.1.2: only the first 32 octets count; the codec clamps */
		switch (cl_dss_kind(s[i])) {
		case CL_DISABLE:
			*shutdown = 1;   /* four 0x00 octets: do not provision */
			break;
		case CL_ANY:
			d->any_dss = 1;
			d->dss[d->n_dss++] = *s[i];
			break;
		case CL_NORMAL:
			d->dss[d->n_dss++] = *s[i];
			break;
		}
	}
	return d->n_dss > 0;
}

static void mode_set(struct mode_decision *d, enum mode_result m, enum mode_reason r)
{
	d->mode = (uint8_t)m;
	d->reason = (uint8_t)r;
}

void mode_decide(enum board_ip cap, const struct cl_opts *o, struct mode_decision *d)
{
	int want4 = cap == BOARD_IP_V4 || cap == BOARD_IP_DUAL;
	int want6 = cap == BOARD_IP_V6 || cap == BOARD_IP_DUAL;
	int shutdown = 0, v4 = 0, v6 = 0, pref = 0;

	memset(d, 0, sizeof(*d));
	/* 6.3.2: only the requested options count; the rest is ignored */
	if (want4)
		v4 = mode_v4(o, d, &shutdown);
	if (want6)
		v6 = mode_v6(o, d, &shutdown);
	if (want4 && want6 && cl_has(o, CL_F_IP_PREF))
		pref = o->ip_pref;   /* 1 IPv4, 2 IPv6; other values: no preference (OQ A.13) */

	/* "unless explicit indicator to shutdown the eUE": any one wins (Interpretations) */
	if (shutdown) {
		memset(d, 0, sizeof(*d));
		mode_set(d, MODE_DORMANT, MR_SHUTDOWN);
		return;
	}
	if (want4 && !want6) {
		mode_set(d, v4 ? MODE_IPV4 : MODE_DORMANT, v4 ? MR_V4_ONLY_VALID : MR_V4_ONLY_NONE);
	} else if (want6 && !want4) {
		mode_set(d, v6 ? MODE_IPV6 : MODE_DORMANT, v6 ? MR_V6_ONLY_VALID : MR_V6_ONLY_NONE);
	} else if (pref == CL_IP_PREF_V4 && v4) {
		mode_set(d, MODE_IPV4, MR_PREF_V4);
	} else if (pref == CL_IP_PREF_V6 && v6) {
		mode_set(d, MODE_IPV6, MR_PREF_V6);
	} else if (pref == CL_IP_PREF_V4 || pref == CL_IP_PREF_V6) {
		/* Table 4 has no row for a preference whose family is invalid: take
		 * the valid one rather than leave a usable eUE dormant. */
		if (v6)
			mode_set(d, MODE_IPV6, MR_PREF_FALLBACK_V6);
		else if (v4)
			mode_set(d, MODE_IPV4, MR_PREF_FALLBACK_V4);
		else
			mode_set(d, MODE_DORMANT, MR_NEITHER);
	} else if (v4 && v6) {
		mode_set(d, MODE_IPV6, MR_NOPREF_BOTH);   /* Table 4: both, no preference -> IPv6 */
	} else if (v4) {
		mode_set(d, MODE_IPV4, MR_NOPREF_V4);
	} else if (v6) {
		mode_set(d, MODE_IPV6, MR_NOPREF_V6);
	} else {
		mode_set(d, MODE_DORMANT, MR_NEITHER);
	}
	/* The eUE gets only the chosen family's servers. */
	if (d->mode != MODE_IPV4) {
		d->n_servers = 0;
		d->any_server = 0;
	}
	if (d->mode != MODE_IPV6) {
		d->n_dss = 0;
		d->any_dss = 0;
	}
}
