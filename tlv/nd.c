/* nd.c: Router Solicitation / Router Advertisement codec (RFC 4861). */
#include "tlv/nd.h"

#include <string.h>

#include "platform/bytes.h"
#include "tlv/rd.h"

void nd_put_rs(struct wr *w, const uint8_t mac[6])
{
	/* RFC 4861 4.1: type, code 0, checksum, 4 reserved octets */
	wr_u8(w, ND_ROUTER_SOLICIT);
	wr_u8(w, 0);
	wr_u16(w, 0);
	wr_u32(w, 0);
	if (mac == NULL)
		return;
	/* 4.6.1: SLLA, length in units of 8 octets (1 for Ethernet) */
	wr_u8(w, ND_OPT_SLLA);
	wr_u8(w, 1);
	wr_bytes(w, mac, 6);
}

static int nd_fail(struct nd_ra *ra, int err, size_t off)
{
	ra->err_off = off;
	return err;
}

/* One option's body (after type and length); blen = 8 * len - 2. */
static int nd_opt(struct nd_ra *ra, uint8_t type, uint8_t olen, struct rd *b, size_t off)
{
	struct nd_prefix *p;
	uint8_t plen;

	switch (type) {
	case ND_OPT_SLLA:
		/* 4.6.1: the link-layer address; 6 octets on Ethernet (RFC 2464 8) */
		if (b->left < 6)
			return nd_fail(ra, ND_E_OPT_LEN, off);
		if (!ra->has_slla) {
			rd_copy(b, ra->slla, 6);
			ra->has_slla = 1;
		}
		return 0;
	case ND_OPT_PREFIX_INFO:
		/* 4.6.2: length 4 (32 octets) */
		if (olen != 4)
			return nd_fail(ra, ND_E_OPT_LEN, off);
		plen = rd_u8(b);
		if (plen > 128)
			return nd_fail(ra, ND_E_PREFIX_BITS, off + 2);
		ra->n_prefix_seen++;
		if (ra->n_prefix == ND_PREFIX_MAX)
			return 0;
		p = &ra->prefix[ra->n_prefix++];
		p->plen = plen;
		p->flags = rd_u8(b);
		p->valid_s = rd_u32(b);
		p->preferred_s = rd_u32(b);
		(void)rd_u32(b);                  /* Reserved2 */
		rd_copy(b, p->prefix, 16);
		return 0;
	case ND_OPT_MTU:
		/* 4.6.4: length 1: reserved u16, MTU u32 */
		if (olen != 1)
			return nd_fail(ra, ND_E_OPT_LEN, off);
		(void)rd_u16(b);
		if (!ra->has_mtu) {
			ra->mtu = rd_u32(b);
			ra->has_mtu = 1;
		}
		return 0;
	default:
		/* 4.2: "unrecognized options ... MUST be silently ignored" */
		ra->n_unknown++;
		return 0;
	}
}

int nd_ra_parse(struct nd_ra *ra, const uint8_t *buf, size_t len)
{
	struct rd r;

	if (ra == NULL)
		return ND_E_INVAL;
	memset(ra, 0, sizeof(*ra));
	if (buf == NULL)
		return nd_fail(ra, ND_E_INVAL, 0);
	/* 6.1.2: ICMP length (from the IP header) is 16 or more octets */
	if (len < ND_RA_HDR_LEN)
		return nd_fail(ra, ND_E_SHORT, len);
	rd_init(&r, buf, len);
	if (rd_u8(&r) != ND_ROUTER_ADVERT)
		return nd_fail(ra, ND_E_TYPE, 0);
	/* 6.1.2: ICMP Code is 0 */
	if (rd_u8(&r) != 0)
		return nd_fail(ra, ND_E_CODE, 1);
	(void)rd_u16(&r);                         /* checksum: the kernel's */
	ra->cur_hop_limit = rd_u8(&r);
	ra->flags = rd_u8(&r);
	ra->managed = (ra->flags & ND_RA_F_MANAGED) != 0;
	ra->other = (ra->flags & ND_RA_F_OTHER) != 0;
	ra->router_lifetime_s = rd_u16(&r);
	ra->reachable_ms = rd_u32(&r);
	ra->retrans_ms = rd_u32(&r);

	/* 4.6: type u8, length u8 in units of 8 octets including both */
	while (r.left > 0) {
		size_t off = rd_off(&r);
		uint8_t type, olen;
		struct rd body;
		int rc;

		if (r.left < 2)
			return nd_fail(ra, ND_E_OPT_CUT, off);
		type = rd_u8(&r);
		olen = rd_u8(&r);
		/* 6.1.2: all included options have a length greater than zero */
		if (olen == 0)
			return nd_fail(ra, ND_E_OPT_ZERO, off + 1);
		if (r.left < (size_t)olen * 8 - 2)
			return nd_fail(ra, ND_E_OPT_CUT, off);
		body = rd_sub(&r, (size_t)olen * 8 - 2);
		rc = nd_opt(ra, type, olen, &body, off);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int nd_ra_ip_check(int hoplimit, const uint8_t src[16])
{
	/* 6.1.2: "The IP Hop Limit field has a value of 255" */
	if (hoplimit != 255)
		return ND_E_HOPLIMIT;
	/* 6.1.2: "IP Source Address is a link-local address" (fe80::/10) */
	if (src == NULL)
		return ND_E_INVAL;
	if (src[0] != 0xfe || (src[1] & 0xc0) != 0x80)
		return ND_E_SRC;
	return 0;
}

const char *nd_err_str(int err)
{
	switch (err) {
	case 0: return "ok";
	case ND_E_SHORT: return "shorter than 16 octets";
	case ND_E_TYPE: return "not a router advertisement";
	case ND_E_CODE: return "ICMP code not 0";
	case ND_E_OPT_ZERO: return "option length 0";
	case ND_E_OPT_CUT: return "option cut short";
	case ND_E_OPT_LEN: return "option length wrong for its type";
	case ND_E_PREFIX_BITS: return "prefix length over 128";
	case ND_E_HOPLIMIT: return "hop limit not 255";
	case ND_E_SRC: return "source not link-local";
	case ND_E_INVAL: return "invalid argument";
	default: return "?";
	}
}
