/*
 * cfgapply.c: the configuration file's apply step (see cfgapply.h).  Policy
 * only: decoding is tlv/cfgfile.c's, the 6.4.2 row rules tlv/cfgrules.c's,
 * the objects, types, ranges and transaction snmp-mibs/mib.c's.  No I/O.
 */
#include "eue/cfgapply.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "platform/bytes.h"
#include "platform/err.h"
#include "tlv/tlv.h"

/* What the apply found, worst first decides the outcome (cfgapply.h). */
struct apply {
	struct mib *m;
	const uint8_t *file;
	size_t len;
	struct cfg_apply_result *r;
	int fail, warn, incomplete, internal, other;
	size_t found[64];       /* offsets of TLVs the row rules failed (listed once) */
	size_t n_found;
};

static const char *const state_names[] = {
	[MIB_PROV_PASS] = "pass",
	[MIB_PROV_IN_PROGRESS] = "inProgress",
	[MIB_PROV_FAIL_CONFIG] = "failConfigFileError",
	[MIB_PROV_PASS_WARN] = "passWithWarnings",
	[MIB_PROV_PASS_INCOMPLETE] = "passWithIncompleteParsing",
	[MIB_PROV_FAIL_INTERNAL] = "failureInternalError",
	[MIB_PROV_FAIL_OTHER] = "failureOtherReason",
};

const char *cfg_apply_state_name(int state)
{
	if (state < MIB_PROV_PASS || state > MIB_PROV_FAIL_OTHER)
		return "?";
	return state_names[state];
}

/* The value of a VarBind as text, for the error table's pktcMtaDevErrorValue. */
static void val_text(const struct ber_vb *vb, char *buf, size_t cap)
{
	size_t i, n;
	int printable = 1;

	switch (vb->type) {
	case BER_INTEGER:
		snprintf(buf, cap, "%" PRId64, vb->num);
		return;
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
	case BER_COUNTER64:
		snprintf(buf, cap, "%" PRIu64, vb->u64);
		return;
	case BER_NULL:
		snprintf(buf, cap, "NULL");
		return;
	case BER_IPADDR:
		if (vb->val_len == 4) {
			snprintf(buf, cap, "%u.%u.%u.%u", vb->val[0], vb->val[1], vb->val[2],
				 vb->val[3]);
			return;
		}
		break;
	case BER_OID:
		(void)ber_oid_fmt(vb->val, vb->val_len, buf, cap);
		return;
	}
	for (i = 0; i < vb->val_len; i++)
		if (vb->val[i] < 0x20 || vb->val[i] > 0x7e)
			printable = 0;
	if (printable) {
		n = vb->val_len < cap ? vb->val_len : cap - 1;
		memcpy(buf, vb->val, n);
		buf[n] = '\0';
		return;
	}
	n = snprintf(buf, cap, "0x");
	for (i = 0; i < vb->val_len && n + 3 <= cap; i++)
		n += (size_t)snprintf(buf + n, cap - n, "%02x", vb->val[i]);
}

/* One problem: a row in the error table, counted as a warning or an error. */
static void problem(struct apply *a, int *flag, const char *oid, const char *value,
		    const char *reason)
{
	*flag = 1;
	if (flag == &a->warn || flag == &a->incomplete)
		a->r->warnings++;       /* the file still applies */
	else
		a->r->errors++;
	(void)mib_err_add(a->m, oid, value, reason);
}

/* A VarBind's problem, with its OID and value as text. */
static void vb_problem(struct apply *a, int *flag, const struct ber_vb *vb, int known,
		       const char *reason)
{
	char oid[MIB_ERR_OID_MAX], val[MIB_ERR_VAL_MAX];

	(void)ber_oid_fmt(vb->oid, vb->oid_len, oid, sizeof(oid));
	if (known) {
		val_text(vb, val, sizeof(val));
		problem(a, flag, oid, val, reason);
	} else {
		/* RFC 4682: an unrecognised OID leaves the OID column empty and
		 * puts the OID itself in the value column */
		problem(a, flag, "", oid, reason);
	}
}

/* A finding of the row rules: its TLV's OID and value, the rule as reason. */
static void on_finding(void *arg, const struct cfg_finding *f)
{
	struct apply *a = arg;
	int *flag = f->level == CFG_FAIL ? &a->fail : &a->warn;
	struct cfg_it it;
	struct cfg_item item;
	struct cfg_diag d;

	if (f->level == CFG_FAIL && a->n_found < sizeof(a->found) / sizeof(a->found[0]))
		a->found[a->n_found++] = f->off;
	cfg_it_init(&it, a->file, a->len);
	while (cfg_next(&it, &item, &d) == 1)
		if (item.off == f->off &&
		    (item.type == CFG_T_VARBIND || item.type == CFG_T_VARBIND64)) {
			vb_problem(a, flag, &item.vb, 1, f->msg);
			return;
		}
	problem(a, flag, "", "", f->msg);
}

/* The policy of cfgapply.h: which objects fail the file when wrong. */
static int mandatory(int id)
{
	return id == MIB_O_ENABLED || (id >= MIB_O_REALM_NAME && id <= MIB_O_REALM_STATUS);
}

static void apply_varbind(struct apply *a, const struct cfg_item *item, int *seen_enabled)
{
	const struct ber_vb *vb = &item->vb;
	uint32_t arcs[MIB_OID_MAX];
	struct mib_val v;
	const char *why = NULL;
	int n, id, rc;
	size_t i;

	if (cfg_hash_family_of(vb) >= 0)
		return;         /* the in-file hash: checked at eUE-23, not a write */
	n = ber_oid_arcs(vb->oid, vb->oid_len, arcs, MIB_OID_MAX);
	id = n < 0 ? MIB_O_NONE : mib_lookup(arcs, (size_t)n, MIB_BY_FILE);
	if (id == MIB_O_NONE) {
		vb_problem(a, &a->warn, vb, 0, "UNKNOWN OBJECT");
		return;
	}
	if (id == MIB_O_ENABLED)
		*seen_enabled = 1;
	memset(&v, 0, sizeof(v));
	v.type = vb->type;
	v.num = vb->num;
	v.u64 = vb->u64;
	v.bytes = vb->val;
	v.len = vb->val_len;
	rc = mib_set_test(a->m, arcs, (size_t)n, &v, &why);
	if (why == NULL)
		why = "UNSUPPORTED VALUE";
	if (rc == MIB_E_OK) {
		a->r->applied++;
		return;
	}
	for (i = 0; i < a->n_found; i++)
		if (a->found[i] == item->off) {
			/* the row rules listed this TLV already (the file fails anyway) */
			a->fail = 1;
			return;
		}
	switch (rc) {
	case MIB_E_RESOURCE:
		vb_problem(a, &a->incomplete, vb, 1, why);
		return;
	case MIB_E_GEN:
		vb_problem(a, &a->internal, vb, 1, why);
		return;
	case MIB_E_NOT_WRITABLE:
	case MIB_E_NO_ACCESS:
		/* read-only objects are the device's: skipped, listed */
		vb_problem(a, &a->warn, vb, 1, why);
		return;
	default:
		vb_problem(a, mandatory(id) ? &a->fail : &a->warn, vb, 1, why);
		return;
	}
}

/* TLV 38 -> a notification target (6.5: 38.8 in IPv6 mode, 38.1 in IPv4). */
static void apply_notify(struct apply *a, const struct cfg_item *item, int ipv6,
			 struct mib_target *t, size_t *nt)
{
	struct mib_target x;
	struct tlv_it it;
	struct tlv_item s;
	char where[48];
	int have_addr = 0, rc;

	memset(&x, 0, sizeof(x));
	x.family = ipv6 ? 6 : 4;
	x.port = 162;           /* RFC 3417 snmptrap, when 38.2 is absent */
	x.type = 2;             /* SNMPv2c trap when 38.3 is absent (A15 reading) */
	x.retries = 3;          /* RFC 3413 snmpTargetAddrRetryCount DEFVAL, when 38.5 is absent */
	snprintf(where, sizeof(where), "TLV 38 at offset %zu", item->off);
	tlv_it_init(&it, TLV_8_8, item->val, item->len);
	while ((rc = tlv_next(&it, &s)) == 1) {
		switch (s.type) {
		case CFG_N_IPV4:
			if (!ipv6 && s.len == 4) {
				memcpy(x.addr, s.val, 4);
				have_addr = 1;
			}
			break;
		case CFG_N_IPV6:
			if (ipv6 && s.len == 16) {
				memcpy(x.addr, s.val, 16);
				have_addr = 1;
			}
			break;
		case CFG_N_PORT:
			if (s.len == 2)
				x.port = load_be16(s.val);
			break;
		case CFG_N_TYPE:
			if (s.len == 2)
				x.type = (uint8_t)load_be16(s.val);     /* 1..5, checked by the decoder */
			break;
		case CFG_N_TIMEOUT:
			if (s.len == 2)
				x.timeout_ms = load_be16(s.val);
			break;
		case CFG_N_RETRIES:
			if (s.len == 2)
				x.retries = load_be16(s.val) > 255 ? 255 : (uint8_t)load_be16(s.val);
			break;
		case CFG_N_FILTER: {
			const uint8_t *p = s.val;
			size_t n = s.len;

			/* whole BER OID (06 len ...) or bare contents, as the decoder allows */
			if (n >= 2 && p[0] == BER_OID && p[1] == n - 2) {
				p += 2;
				n -= 2;
			}
			if (n <= sizeof(x.filter)) {
				memcpy(x.filter, p, n);
				x.filter_len = n;
			}
			break;
		}
		case CFG_N_SECNAME:
			if (s.len < sizeof(x.secname)) {
				memcpy(x.secname, s.val, s.len);
				x.secname[s.len] = '\0';
			}
			break;
		}
	}
	if (rc < 0) {           /* cannot happen after cfg_check; kept as a guard */
		problem(a, &a->fail, "", where, "MALFORMED TLV 38");
		return;
	}
	if (!have_addr) {
		problem(a, &a->warn, "", where,
			ipv6 ? "NO 38.8 RECEIVER IN IPV6 MODE" : "NO 38.1 RECEIVER IN IPV4 MODE");
		return;
	}
	if (*nt >= MIB_TARGETS_MAX) {
		problem(a, &a->incomplete, "", where, "OUT OF MEMORY - CANNOT STORE");
		return;
	}
	t[(*nt)++] = x;
	a->r->targets++;
}

static void apply_vendor(struct apply *a, const struct cfg_item *item, const uint8_t oui[3])
{
	static const uint8_t none[3];
	struct tlv_it it;
	struct tlv_item s;
	char where[64];

	/* the decoder guarantees 43.8 (3 bytes) first */
	if (item->len < 5 || memcmp(item->val + 2, oui, 3) != 0 || memcmp(oui, none, 3) == 0)
		return;
	tlv_it_init(&it, TLV_8_8, item->val + 5, item->len - 5);
	while (tlv_next(&it, &s) == 1) {
		snprintf(where, sizeof(where), "TLV 43.%u at offset %zu", s.type,
			 item->off + 2 + 5 + s.off);
		problem(a, &a->warn, "", where, "UNSUPPORTED VENDOR SUB-TLV");
	}
}

/* Secure flow: the realm row must be the DHCP realm's (spec 6.4.2.1). */
static void check_secure_realm(struct apply *a)
{
	struct mib *m = a->m;
	size_t i;

	if (m->kerb_realm[0] == '\0') {
		problem(a, &a->other, "", "", "NO DHCP REALM TO CHECK THE REALM ROW AGAINST");
		return;
	}
	for (i = 0; i < m->stage.n_realms; i++) {
		const struct mib_realm *rr = &m->stage.realms[i];

		if (strcmp(rr->name, m->kerb_realm) != 0)
			continue;
		if (m->kerb_org[0] && strcmp(rr->org, m->kerb_org) != 0)
			problem(a, &a->fail, "1.3.6.1.2.1.140.1.3.6.1.5", rr->org,
				"REALM ORGANIZATION NAME DOES NOT MATCH");
		return;
	}
	problem(a, &a->fail, "1.3.6.1.2.1.140.1.3.6.1.2", m->kerb_realm,
		"NO REALM ROW FOR THE DHCP REALM");
}

static enum mib_prov outcome(const struct apply *a)
{
	if (a->internal)
		return MIB_PROV_FAIL_INTERNAL;
	if (a->fail)
		return MIB_PROV_FAIL_CONFIG;
	if (a->other)
		return MIB_PROV_FAIL_OTHER;
	if (a->incomplete)
		return MIB_PROV_PASS_INCOMPLETE;
	if (a->warn)
		return MIB_PROV_PASS_WARN;
	return MIB_PROV_PASS;
}

int cfg_apply(struct mib *m, const uint8_t *file, size_t len, const struct cfg_apply_opts *o,
	      struct cfg_apply_result *r)
{
	static const struct cfg_apply_opts defaults = { .ipv6 = 1 };
	struct mib_target targets[MIB_TARGETS_MAX];
	struct apply a;
	struct cfg_it it;
	struct cfg_item item;
	struct cfg_diag d;
	cfg_rules_fn *rules;
	size_t nt = 0;
	int rc, seen_enabled = 0;
	const char *why = NULL;
	char where[48];

	if (o == NULL)
		o = &defaults;
	rules = o->rules ? o->rules : cfg_rules_check;
	memset(r, 0, sizeof(*r));
	memset(&a, 0, sizeof(a));
	memset(&d, 0, sizeof(d));
	a.m = m;
	a.file = file;
	a.len = len;
	a.r = r;
	mib_err_clear(m);

	rc = rules(file, len, on_finding, &a, &d);
	if (rc < 0) {
		if (rc == E_NOMEM) {
			problem(&a, &a.internal, "", "", "OUT OF MEMORY - CANNOT CHECK ROWS");
		} else {
			/* does not decode: the whole file is rejected (6.4.2) */
			snprintf(where, sizeof(where), "offset %zu", d.off);
			problem(&a, &a.fail, "", where, cfg_why_name(d.why));
		}
		goto done;
	}

	mib_set_begin(m, MIB_BY_FILE);
	cfg_it_init(&it, file, len);
	while ((rc = cfg_next(&it, &item, &d)) == 1) {
		switch (item.type) {
		case CFG_T_VARBIND:
		case CFG_T_VARBIND64:
			apply_varbind(&a, &item, &seen_enabled);
			break;
		case CFG_T_NOTIFY:
			apply_notify(&a, &item, o->ipv6, targets, &nt);
			break;
		case CFG_T_VENDOR:
			apply_vendor(&a, &item, o->vendor_oui);
			break;
		}
	}
	if (rc < 0) {           /* the checker accepted it, so this is our bug */
		problem(&a, &a.internal, "", "", "DECODER DISAGREES WITH CHECKER");
	}
	if (mib_set_targets(m, targets, nt) != MIB_E_OK)
		problem(&a, &a.internal, "", "", "TARGETS NOT STAGED");
	if (!seen_enabled)
		problem(&a, &a.fail, "1.3.6.1.2.1.140.1.1.6.0", "",
			"MANDATORY PARAMETER MISSING");
	/* rows the rules already rejected would be listed twice */
	if (!a.fail) {
		uint32_t oid[MIB_OID_MAX];
		size_t n = 0;
		char dotted[MIB_ERR_OID_MAX];
		size_t i, k = 0;

		if (mib_set_check(m, oid, &n, &why) != MIB_E_OK) {
			for (i = 0; i < n && k + 12 < sizeof(dotted); i++)
				k += (size_t)snprintf(dotted + k, sizeof(dotted) - k, i ? ".%u" : "%u",
						      oid[i]);
			problem(&a, &a.fail, dotted, "", why ? why : "INCONSISTENT ROW");
		}
	}
	if (m->flow == MIB_FLOW_SECURE)
		check_secure_realm(&a);

done:
	r->state = outcome(&a);
	m->prov_state = r->state;
	if (m->tx_open && (r->state == MIB_PROV_PASS || r->state == MIB_PROV_PASS_WARN ||
			   r->state == MIB_PROV_PASS_INCOMPLETE)) {
		mib_set_commit(m);
		r->committed = 1;
	} else if (m->tx_open) {
		mib_set_abort(m);
	}
	snprintf(r->text, sizeof(r->text), "%s: %u applied, %u targets, %u warnings, %u errors%s%s",
		 cfg_apply_state_name(r->state), r->applied, r->targets, r->warnings, r->errors,
		 m->n_errs ? "; first: " : "", m->n_errs ? m->errs[0].reason : "");
	if (r->committed)
		return 0;
	return r->state == MIB_PROV_FAIL_INTERNAL ? E_NOMEM : E_PROTO;
}
