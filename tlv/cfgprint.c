/*
 * cfgprint.c: config-file binary -> text in the rlaager/docsis syntax (see
 * cfgtext.h).  An item is printed in its readable form only when compiling
 * that form gives back the same bytes; otherwise it is printed as GenericTLV.
 */
#include "tlv/cfgtext.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tlv/mibnames.h"
#include "tlv/tlv.h"

static void pr(struct wr *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void pr(struct wr *w, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	int n;
	uint8_t *p;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		wr_fail(w, E_INVAL);
		return;
	}
	if ((size_t)n < sizeof(small)) {
		wr_bytes(w, small, (size_t)n);
		return;
	}
	p = wr_reserve(w, (size_t)n + 1);
	if (p == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf((char *)p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	w->len--;       /* drop the NUL */
}

static void pr_hex(struct wr *w, const uint8_t *p, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	uint8_t *d;
	size_t i;

	if (n == 0) {
		wr_bytes(w, "\"\"", 2);
		return;
	}
	d = wr_reserve(w, 2 + 2 * n);
	if (d == NULL)
		return;
	d[0] = '0';
	d[1] = 'x';
	for (i = 0; i < n; i++) {
		d[2 + 2 * i] = (uint8_t)hx[p[i] >> 4];
		d[3 + 2 * i] = (uint8_t)hx[p[i] & 15];
	}
}

static int printable(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return 0;
	return 1;
}

static void pr_str(struct wr *w, const uint8_t *p, size_t n)
{
	size_t i;

	wr_u8(w, '"');
	for (i = 0; i < n; i++) {
		if (p[i] == '"' || p[i] == '\\')
			wr_u8(w, '\\');
		wr_u8(w, p[i]);
	}
	wr_u8(w, '"');
}

/*
 * An index suffix of two or more printable characters as Net-SNMP writes it:
 * ."str" when the first arc is the length of the rest, else .'str' (IMPLIED).
 * Compiling it gives the same sub-identifiers back.  0 when not text.
 */
static int pr_text_index(struct wr *w, const uint8_t *p, size_t n)
{
	size_t i, first = 0;

	if (n < 2 || n > 0x80)
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e || p[i] == '"' || p[i] == '\'' || p[i] == ';' ||
		    p[i] == '{' || p[i] == '}' || p[i] == ' ')
			if (!(i == 0 && p[0] == n - 1))
				return 0;
	if (p[0] == n - 1)
		first = 1;
	wr_bytes(w, first ? ".\"" : ".'", 2);
	wr_bytes(w, p + first, n - first);
	wr_u8(w, first ? '"' : '\'');
	return 1;
}

/* An OID as name.suffix (when known) or dotted numbers. */
static void pr_oid(struct wr *w, const uint8_t *oid, size_t len, const struct cfgtext_opts *o)
{
	const struct mib_name *m = mib_by_oid(oid, len);
	char buf[BER_OID_MAX * 11 + 1];
	size_t i;
	uint32_t v = 0;

	if (m == NULL || m->len == 0) {
		ber_oid_fmt(oid, len, buf, sizeof(buf));
		wr_bytes(w, buf, strlen(buf));
		return;
	}
	/* Qualify the name when a bare one would resolve elsewhere, under these
	 * options or under the default ones (so the text compiles to the same
	 * OID whatever --mib the reader later uses). */
	if (mib_by_name(m->name, strlen(m->name), cfgtext_prefer(o)) != m ||
	    mib_by_name(m->name, strlen(m->name), cfgtext_prefer(NULL)) != m)
		pr(w, "%s::", mib_modules[m->module]);
	wr_bytes(w, m->name, strlen(m->name));
	if (pr_text_index(w, oid + m->len, len - m->len))
		return;
	for (i = m->len; i < len; i++) {
		v = v << 7 | (oid[i] & 0x7fu);
		if (!(oid[i] & 0x80)) {
			pr(w, ".%" PRIu32, v);
			v = 0;
		}
	}
}

static uint8_t len_width(size_t len)
{
	uint8_t n = 0;

	if (len < 0x80)
		return 0;
	for (; len; len >>= 8)
		n++;
	return n;
}

static void pr_generic(struct wr *w, const char *indent, const uint8_t *val, unsigned type,
		       size_t len)
{
	pr(w, "%sGenericTLV TlvCode %u TlvLength %zu TlvValue ", indent, type, len);
	pr_hex(w, val, len);
	wr_bytes(w, ";\n", 2);
}

static void pr_varbind(struct wr *w, const struct cfg_item *it, const struct cfgtext_opts *o)
{
	const struct ber_vb *vb = &it->vb;
	size_t size = ber_vb_size(vb);
	int auto64 = size > 0xff;
	char ip[INET_ADDRSTRLEN];

	if (vb->seq_lenw != len_width(size - 2 - (vb->seq_lenw ? vb->seq_lenw : 0)) ||
	    vb->oid_lenw != len_width(vb->oid_len) || vb->val_lenw != len_width(vb->val_len)) {
		/* non-minimal BER lengths: only GenericTLV reproduces them */
		pr_generic(w, "\t", it->val, it->type, it->len);
		return;
	}
	pr(w, "\t%s ", it->type == CFG_T_VARBIND64 && !auto64 ? "SnmpMibObjectLong" : "SnmpMibObject");
	pr_oid(w, vb->oid, vb->oid_len, o);
	switch (vb->type) {
	case BER_INTEGER:
		pr(w, " Integer %" PRId64, vb->num);
		break;
	case BER_GAUGE32:
		pr(w, " Gauge32 %" PRIu64, vb->u64);
		break;
	case BER_COUNTER32:
		pr(w, " Counter32 %" PRIu64, vb->u64);
		break;
	case BER_TIMETICKS:
		pr(w, " TimeTicks %" PRIu64, vb->u64);
		break;
	case BER_COUNTER64:
		pr(w, " Counter64 %" PRIu64, vb->u64);
		break;
	case BER_IPADDR:
		inet_ntop(AF_INET, vb->val, ip, sizeof(ip));
		pr(w, " IPAddress %s", ip);
		break;
	case BER_OID:
		wr_bytes(w, " ObjectID ", 10);
		pr_oid(w, vb->val, vb->val_len, o);
		break;
	case BER_NULL:
		wr_bytes(w, " Null", 5);
		break;
	case BER_OPAQUE:
		wr_bytes(w, " Opaque ", 8);
		pr_hex(w, vb->val, vb->val_len);
		break;
	default:        /* OCTET STRING (and BITS) */
		if (printable(vb->val, vb->val_len)) {
			wr_bytes(w, " String ", 8);
			pr_str(w, vb->val, vb->val_len);
		} else {
			wr_bytes(w, " HexString ", 11);
			pr_hex(w, vb->val, vb->val_len);
		}
		break;
	}
	wr_bytes(w, ";\n", 2);
}

static void pr_block(struct wr *w, const struct rd *outer, const struct cfg_item *it,
		     const struct cfgtext_opts *o)
{
	struct tlv_item ti = { .type = it->type, .len = it->len, .val = it->val, .off = it->off };
	struct tlv_it sub;
	struct tlv_item s;
	char a[INET6_ADDRSTRLEN];

	pr(w, "\t%s\n\t{\n", it->type == CFG_T_NOTIFY ? "SnmpV3TrapReceiver" : "VendorSpecific");
	tlv_it_sub(&sub, TLV_8_8, outer, &ti);
	while (tlv_next(&sub, &s) == 1) {
		if (it->type == CFG_T_VENDOR) {
			if (s.type == CFG_VENDOR_ID && s.len > 0) {
				wr_bytes(w, "\t\tVendorIdentifier ", 19);
				pr_hex(w, s.val, s.len);
				wr_bytes(w, ";\n", 2);
			} else {
				pr_generic(w, "\t\t", s.val, s.type, s.len);
			}
			continue;
		}
		switch (s.type) {
		case CFG_N_IPV4:
			inet_ntop(AF_INET, s.val, a, sizeof(a));
			pr(w, "\t\tSnmpV3TrapReceiverIp %s;\n", a);
			break;
		case CFG_N_IPV6:
			inet_ntop(AF_INET6, s.val, a, sizeof(a));
			pr(w, "\t\tSnmpV3TrapReceiverIPv6Addr %s;\n", a);
			break;
		case CFG_N_PORT:
		case CFG_N_TYPE:
		case CFG_N_TIMEOUT:
		case CFG_N_RETRIES: {
			static const char *const kw[] = {
				[CFG_N_PORT] = "Port", [CFG_N_TYPE] = "Type",
				[CFG_N_TIMEOUT] = "Timeout", [CFG_N_RETRIES] = "Retries",
			};
			pr(w, "\t\tSnmpV3TrapReceiver%s %u;\n", kw[s.type], load_be16(s.val));
			break;
		}
		case CFG_N_FILTER:
			if (s.len >= 3 && s.val[0] == BER_OID && s.val[1] == s.len - 2) {
				wr_bytes(w, "\t\tSnmpV3TrapReceiverFilterOID ", 30);
				pr_oid(w, s.val + 2, s.len - 2, o);
				wr_bytes(w, ";\n", 2);
			} else {
				pr_generic(w, "\t\t", s.val, s.type, s.len);
			}
			break;
		case CFG_N_SECNAME:
			if (printable(s.val, s.len)) {
				wr_bytes(w, "\t\tSnmpV3TrapReceiverSecurityName ", 33);
				pr_str(w, s.val, s.len);
				wr_bytes(w, ";\n", 2);
			} else {
				pr_generic(w, "\t\t", s.val, s.type, s.len);
			}
			break;
		default:
			pr_generic(w, "\t\t", s.val, s.type, s.len);
		}
	}
	wr_bytes(w, "\t}\n", 3);
}

int cfgtext_print(const void *bin, size_t len, const struct cfgtext_opts *o, struct wr *out,
		  struct cfg_diag *d)
{
	struct cfg_it it;
	struct cfg_item item;
	int rc;

	if ((rc = cfg_check(bin, len, d)) < 0)
		return rc;
	cfg_it_init(&it, bin, len);
	wr_bytes(out, "Main\n{\n", 7);
	while ((rc = cfg_next(&it, &item, d)) == 1) {
		switch (item.type) {
		case CFG_T_DELIM:
			pr(out, "\tMtaConfigDelimiter %u;\n", item.val[0]);
			break;
		case CFG_T_VARBIND:
		case CFG_T_VARBIND64:
			pr_varbind(out, &item, o);
			break;
		default:
			pr_block(out, &it.r, &item, o);
			break;
		}
	}
	if (rc < 0)
		return rc;
	wr_bytes(out, "}\n", 2);
	return out->err;
}
