/* ipudp.c: the IPv4/UDP header codec of ipudp.h. */
#include "tlv/ipudp.h"

#include "platform/bytes.h"
#include "platform/err.h"
#include "tlv/rd.h"

uint32_t ipudp_sum(uint32_t sum, const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += load_be16(buf + i);
	if (len & 1)
		sum += (uint32_t)buf[len - 1] << 8;
	return sum;
}

uint16_t ipudp_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t ipudp_pseudo(uint32_t src, uint32_t dst, size_t udp_len)
{
	return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 17u + (uint32_t)udp_len;
}

void ipudp_encode(struct wr *w, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
		  uint16_t ip_id, const void *payload, size_t len)
{
	size_t start = w->len;
	uint8_t *ip, *udp;
	uint16_t csum;

	if (len > 0xffff - IPUDP_HDR_LEN) {
		wr_fail(w, E_OVERFLOW);
		return;
	}
	ip = wr_reserve(w, 20);
	udp = wr_reserve(w, 8);
	wr_bytes(w, payload, len);
	if (w->err)
		return;
	ip = w->buf + start;   /* a growable writer may have moved */
	udp = ip + 20;
	ip[0] = 0x45;          /* version 4, IHL 5 */
	ip[1] = 0x10;          /* DSCP/ECN: the low-delay TOS dhclient and DOCSIS CMs use */
	store_be16(ip + 2, (uint16_t)(IPUDP_HDR_LEN + len));
	store_be16(ip + 4, ip_id);
	store_be16(ip + 6, 0); /* no fragments */
	ip[8] = 64;
	ip[9] = 17;            /* UDP */
	store_be16(ip + 10, 0);
	store_be32(ip + 12, src);
	store_be32(ip + 16, dst);
	store_be16(ip + 10, ipudp_fold(ipudp_sum(0, ip, 20)));
	store_be16(udp, sport);
	store_be16(udp + 2, dport);
	store_be16(udp + 4, (uint16_t)(8 + len));
	store_be16(udp + 6, 0);
	csum = ipudp_fold(ipudp_sum(ipudp_pseudo(src, dst, 8 + len), udp, 8 + len));
	store_be16(udp + 6, csum ? csum : 0xffff);   /* RFC 768: 0 means "none" */
}

int ipudp_decode(struct ipudp *u, const uint8_t *pkt, size_t len)
{
	struct rd r;
	const uint8_t *ip, *udp;
	size_t ihl, total, ulen;

	rd_init(&r, pkt, len);
	ip = rd_bytes(&r, 20);
	if (ip == NULL)
		return E_SHORT;
	if ((ip[0] >> 4) != 4)
		return E_PROTO;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	total = load_be16(ip + 2);
	if (ihl < 20 || total < ihl + 8 || total > len)
		return total > len ? E_SHORT : E_PROTO;
	if (ipudp_fold(ipudp_sum(0, ip, ihl)) != 0)
		return E_PROTO;               /* header checksum */
	if ((load_be16(ip + 6) & 0x3fff) != 0)
		return E_PROTO;               /* a fragment (MF or offset): not for us */
	if (ip[9] != 17)
		return E_PROTO;
	udp = pkt + ihl;
	ulen = load_be16(udp + 4);
	if (ulen < 8 || ulen > total - ihl)
		return E_PROTO;
	u->src = load_be32(ip + 12);
	u->dst = load_be32(ip + 16);
	if (load_be16(udp + 6) != 0 &&
	    ipudp_fold(ipudp_sum(ipudp_pseudo(u->src, u->dst, ulen), udp, ulen)) != 0)
		return E_PROTO;               /* UDP checksum */
	u->sport = load_be16(udp);
	u->dport = load_be16(udp + 2);
	u->payload = udp + 8;
	u->len = ulen - 8;
	return 0;
}
