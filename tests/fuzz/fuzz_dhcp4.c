/*
 * fuzz_dhcp4.c: libFuzzer target for the DHCPv4 message codec
 * (tlv/dhcp4.c) with overload and RFC 3396 concatenation, and the CableLabs
 * options it carries.  Invariant: a message that decodes re-encodes (header,
 * then every option code but 52 joined, in order of first appearance, all
 * in the options field) to a message whose every option has the same joined
 * value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlv/cablelabs.h"
#include "tlv/capab.h"
#include "tlv/dhcp4.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[140000], v1[70000], v2[70000];
	static struct cl_opts o;
	static struct capab cap;
	struct dhcp4_msg m, m2;
	struct dhcp4_opt_it it;
	struct dhcp4_hdr h;
	struct wr w;
	uint8_t seen[256], order[256], code, u8;
	const uint8_t *v, *a, *b;
	uint32_t u32, addrs[4];
	uint16_t u16;
	int32_t s32;
	char s[256];
	size_t l, n = 0, i;
	int x, y;

	if (dhcp4_decode(&m, data, size) != 0)
		return 0;
	memset(seen, 0, sizeof(seen));
	dhcp4_opt_it_init(&it, &m);
	while (dhcp4_opt_next(&it, &code, &v, &l) == 1) {
		/* 52 is framing, not content: the copy keeps all in 'options' */
		if (code != DHCP4_O_OVERLOAD && !seen[code]) {
			seen[code] = 1;
			order[n++] = code;
		}
	}
	memset(&h, 0, sizeof(h));
	h.op = m.op, h.htype = m.htype, h.hlen = m.hlen, h.hops = m.hops;
	h.xid = m.xid, h.secs = m.secs, h.flags = m.flags;
	h.ciaddr = m.ciaddr, h.yiaddr = m.yiaddr, h.siaddr = m.siaddr, h.giaddr = m.giaddr;
	memcpy(h.chaddr, m.chaddr, sizeof(h.chaddr));
	wr_init(&w, out, sizeof(out));
	dhcp4_put_hdr(&w, &h);
	for (i = 0; i < n; i++) {
		x = dhcp4_opt(&m, order[i], v1, sizeof(v1), &a);
		if (x < 0)
			abort();
		dhcp4_put_opt(&w, order[i], a, (size_t)x);
		(void)dhcp4_opt_u8(&m, order[i], &u8);
		(void)dhcp4_opt_u16(&m, order[i], &u16);
		(void)dhcp4_opt_u32(&m, order[i], &u32);
		(void)dhcp4_opt_s32(&m, order[i], &s32);
		(void)dhcp4_opt_addrs(&m, order[i], addrs, 4);
		(void)dhcp4_opt_str(&m, order[i], s, sizeof(s));
	}
	dhcp4_put_end(&w);
	if (w.err)
		abort();
	if (dhcp4_decode(&m2, out, w.len) != 0 || m2.xid != m.xid || m2.msg_type != m.msg_type)
		abort();
	for (i = 0; i < n; i++) {
		x = dhcp4_opt(&m, order[i], v1, sizeof(v1), &a);
		y = dhcp4_opt(&m2, order[i], v2, sizeof(v2), &b);
		if (x != y || (x > 0 && memcmp(a, b, (size_t)x) != 0))
			abort();
	}
	(void)dhcp4_file(&m, s, sizeof(s));
	(void)dhcp4_sname(&m, s, sizeof(s));
	x = dhcp4_opt(&m, DHCP4_O_VENDOR_CLASS, v1, sizeof(v1), &a);
	if (x >= 0)
		(void)capab_opt60_parse(a, (size_t)x, &cap);
	cl_init(&o);
	(void)cl_from_dhcp4(&o, &m);
	return 0;
}
