/*
 * fuzz_cfgapply.c: the apply step (eue/cfgapply.c) on arbitrary bytes, on
 * top of a MIB that already runs a good file.  Oracles beyond "no crash":
 * the state is one cfg_apply may produce (never inProgress); committed iff
 * 0 is returned iff the state is a pass; a rejected file leaves the running
 * configuration byte for byte as it was; no transaction stays open; the
 * error table holds at most 1024 rows, the 1024th naming
 * pktcMtaDevErrorsTooManyErrors; committed realm rows are complete; and a
 * getnext walk over a small MIB is strictly increasing and ends.
 * The flow and the addressing mode come from the input's length, so the
 * seeds (tests/vectors/cfg files) need no prefix.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eue/cfgapply.h"
#include "tlv/cfgtext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct mib M;
static struct mib_cfg before;

static const char good_text[] =
	"Main {\nMtaConfigDelimiter 1;\n"
	"SnmpMibObject PKTC-IETF-MTA-MIB::pktcMtaDevEnabled.0 Integer 2;\n"
	"SnmpMibObject PKTC-IETF-MTA-MIB::pktcMtaDevRealmName.1 String \"REALM.COM\";\n"
	"SnmpMibObject PKTC-IETF-MTA-MIB::pktcMtaDevRealmOrgName.1 String \"CableLabs\";\n"
	"SnmpMibObject PKTC-IETF-MTA-MIB::pktcMtaDevRealmStatus.1 Integer 4;\n"
	"SnmpV3TrapReceiver { SnmpV3TrapReceiverIp 192.0.2.9; SnmpV3TrapReceiverIPv6Addr 2001:db8::9; }\n"
	"MtaConfigDelimiter 255;\n}\n";

static int cmp(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t i;

	for (i = 0; i < na && i < nb; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return na < nb ? -1 : na > nb ? 1 : 0;
}

static void walk(void)
{
	static uint32_t cur[MIB_OID_MAX], next[MIB_OID_MAX];
	static struct mib_out out;
	size_t n = 0, nn, count = 0;

	while (mib_getnext(&M, cur, n, next, &nn, &out) == MIB_GET_OK) {
		if ((count && cmp(cur, n, next, nn) >= 0) || ++count > 4096)
			abort();
		memcpy(cur, next, nn * sizeof(cur[0]));
		n = nn;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wr good;
	static int have_good;
	struct cfg_apply_opts o;
	struct cfg_apply_result r;
	struct mib_identity id;
	struct cfgtext_err e;
	size_t i;
	int rc, pass;

	if (!have_good) {
		wr_init_dyn(&good, 4096);
		if (cfgtext_compile(good_text, sizeof(good_text) - 1, NULL, &good, &e) != 0)
			abort();
		have_good = 1;
	}
	memset(&id, 0, sizeof(id));
	mib_init(&M, &id);
	strcpy(M.kerb_realm, "REALM.COM");
	memset(&o, 0, sizeof(o));
	o.ipv6 = 1;
	o.vendor_oui[2] = 1;
	M.flow = MIB_FLOW_SECURE;
	if (cfg_apply(&M, good.buf, good.len, &o, &r) != 0 || r.state != MIB_PROV_PASS)
		abort();
	before = M.run;

	M.flow = (enum mib_flow)(size % 3);
	o.ipv6 = (int)((size / 3) & 1);
	rc = cfg_apply(&M, data, size, &o, &r);
	pass = r.state == MIB_PROV_PASS || r.state == MIB_PROV_PASS_WARN ||
	       r.state == MIB_PROV_PASS_INCOMPLETE;
	if (r.state < MIB_PROV_PASS || r.state > MIB_PROV_FAIL_OTHER ||
	    r.state == MIB_PROV_IN_PROGRESS || M.prov_state != r.state)
		abort();
	if (pass != (rc == 0) || pass != r.committed || M.tx_open)
		abort();
	if (!pass && memcmp(&M.run, &before, sizeof(before)) != 0)
		abort();
	if (M.n_errs > MIB_ERRS_MAX || (r.warnings + r.errors > 0) != (M.n_errs > 0))
		abort();
	if (M.n_errs == MIB_ERRS_MAX && strcmp(M.errs[MIB_ERRS_MAX - 1].oid, "1.3.6.1.2.1.140.1.4.1"))
		abort();
	if (M.run.n_realms > MIB_REALMS_MAX || M.run.n_targets > MIB_TARGETS_MAX)
		abort();
	for (i = 0; i < M.run.n_realms; i++)
		if (M.run.realms[i].status != 1 || !M.run.realms[i].name[0] || !M.run.realms[i].org[0] ||
		    (i && M.run.realms[i].index <= M.run.realms[i - 1].index))
			abort();
	if (M.n_errs <= 16)
		walk();
	return 0;
}
