/*
 * fuzz_dhcp6.c: libFuzzer target for the DHCPv6 message codec
 * (tlv/dhcp6.c) and the CableLabs vendor options it carries.  Invariant: a
 * message that decodes re-encodes, option by option, to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlv/cablelabs.h"
#include "tlv/dhcp6.h"
#include "tlv/dnsname.h"
#include "tlv/tlv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[70000];
	static struct cl_opts o;
	struct dhcp6_msg m;
	struct tlv_it it;
	struct tlv_item item;
	struct wr w;
	const uint8_t *v;
	uint16_t code, codes[16];
	uint8_t addrs[4][16];

	if (dhcp6_decode(&m, data, size) != 0)
		return 0;
	wr_init(&w, out, sizeof(out));
	dhcp6_put_hdr(&w, (enum dhcp6_type)m.type, m.xid);
	tlv_it_init(&it, TLV_16_16, m.opts, m.opts_len);
	while (tlv_next(&it, &item) == 1) {
		switch (item.type) {
		case DHCP6_O_CLIENTID:
		case DHCP6_O_SERVERID: {
			struct dhcp6_duid d;
			(void)dhcp6_duid_decode(item.val, item.len, &d);
			break;
		}
		case DHCP6_O_IA_NA: {
			struct dhcp6_ia_na ia;
			(void)dhcp6_ia_na_decode(item.val, item.len, &ia);
			break;
		}
		case DHCP6_O_STATUS: {
			const uint8_t *msg;
			size_t ml;
			(void)dhcp6_status_decode(item.val, item.len, &code, &msg, &ml);
			break;
		}
		case DHCP6_O_ORO:
			(void)dhcp6_oro_decode(item.val, item.len, codes, 16);
			break;
		case DHCP6_O_DNS:
			(void)dhcp6_addrs(item.val, item.len, addrs, 4);
			break;
		case DHCP6_O_FQDN:
			if (item.len > 1) {
				char name[DNSNAME_TEXT_MAX];
				(void)dnsname_decode(item.val + 1, item.len - 1, name, sizeof(name), NULL);
			}
			break;
		default:
			break;
		}
		dhcp6_put_opt(&w, (uint16_t)item.type, item.val, item.len);
	}
	if (w.err || w.len != size || memcmp(out, data, size) != 0)
		abort();
	(void)dhcp6_msg_status(&m, &code);
	(void)dhcp6_vendor_class_has(&m, DHCP6_ENTERPRISE_CL, "pktc2.0");
	(void)dhcp6_vendor_opts(&m, DHCP6_ENTERPRISE_CL, &v);
	cl_init(&o);
	(void)cl_from_dhcp6(&o, &m);
	return 0;
}
