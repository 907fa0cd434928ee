/* cmcfg.c: the CM configuration file structure check (cmcfg.h). */
#include "ecm/cmcfg.h"

#include "platform/err.h"
#include "tlv/tlv.h"

int cmcfg_check(const uint8_t *buf, size_t len, size_t *off, unsigned *ntlv)
{
	struct tlv_it it;
	struct tlv_item item;
	size_t i;
	int rc;

	*off = 0;
	*ntlv = 0;
	tlv_it_init(&it, TLV_8_8, buf, len);
	for (;;) {
		/* the end marker has no length byte */
		if (it.r.left >= 1 && it.r.p[0] == 255) {
			i = tlv_it_off(&it) + 1;
			for (; i < len; i++) {
				if (buf[i] != 0) {
					*off = i;
					return E_PROTO;   /* only pad after the end marker */
				}
			}
			return 0;
		}
		rc = tlv_next(&it, &item);
		if (rc == 0) {
			*off = len;
			return E_PROTO;   /* no end marker */
		}
		if (rc < 0) {
			*off = tlv_it_off(&it);
			return rc;
		}
		(*ntlv)++;
	}
}
