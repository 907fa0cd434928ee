/* net.c (fake): sockets without a network; tests inject RX and read TX. */
#include "platform/net.h"

#include <string.h>
#include <sys/socket.h>

#include "platform/err.h"
#include "tests/fake/fake.h"

#define FAKE_FD_BASE 1000
#define FAKE_FDS 16
#define FAKE_RX_MAX 16
#define FAKE_TX_MAX 64

static struct {
	int open[FAKE_FDS];
	unsigned nopened;
	struct fake_pkt rx[FAKE_FDS][FAKE_RX_MAX];
	unsigned rx_head[FAKE_FDS], rx_count[FAKE_FDS];
	struct fake_pkt tx[FAKE_TX_MAX];
	unsigned ntx;
	int fail_send;
	struct net_addr peer[FAKE_FDS];   /* TCP: where the fd connects */
	int tcp_refused[FAKE_FDS];
} fk;

void fake_net_reset(void)
{
	memset(&fk, 0, sizeof(fk));
}

static int fake_fd_new(void)
{
	if (fk.nopened >= FAKE_FDS)
		return E_NOMEM;
	fk.open[fk.nopened] = 1;
	return FAKE_FD_BASE + (int)fk.nopened++;
}

static int fake_slot(int fd)
{
	int i = fd - FAKE_FD_BASE;

	return i >= 0 && i < FAKE_FDS && fk.open[i] ? i : -1;
}

int fake_net_fd(unsigned n)
{
	return n < fk.nopened ? FAKE_FD_BASE + (int)n : -1;
}

void fake_net_fail_next_send(void)
{
	fk.fail_send = 1;
}

int fake_net_inject(int fd, const struct net_addr *from, const struct net_addr *to,
		    const void *data, size_t len)
{
	int s = fake_slot(fd);
	struct fake_pkt *p;

	if (s < 0 || len > FAKE_NET_PKT_MAX || fk.rx_count[s] == FAKE_RX_MAX)
		return E_INVAL;
	p = &fk.rx[s][(fk.rx_head[s] + fk.rx_count[s]++) % FAKE_RX_MAX];
	memset(p, 0, sizeof(*p));
	p->fd = fd;
	if (from)
		p->peer = *from;
	if (to)
		p->local = *to;
	p->len = len;
	memcpy(p->data, data, len);
	return 0;
}

unsigned fake_net_tx_count(void)
{
	return fk.ntx;
}

const struct fake_pkt *fake_net_tx(unsigned i)
{
	return i < fk.ntx ? &fk.tx[i] : NULL;
}

static int fake_tx(int fd, const void *buf, size_t len, const struct net_addr *to)
{
	struct fake_pkt *p;

	if (fake_slot(fd) < 0)
		return E_INVAL;
	if (fk.fail_send) {
		fk.fail_send = 0;
		return E_IO;
	}
	if (fk.ntx == FAKE_TX_MAX || len > FAKE_NET_PKT_MAX)
		return E_NOMEM;
	p = &fk.tx[fk.ntx++];
	memset(p, 0, sizeof(*p));
	p->fd = fd;
	if (to)
		p->peer = *to;
	p->len = len;
	memcpy(p->data, buf, len);
	return 0;
}

static ssize_t fake_rx(int fd, void *buf, size_t cap, struct net_addr *from, struct net_addr *to)
{
	int s = fake_slot(fd);
	struct fake_pkt *p;

	if (s < 0)
		return E_INVAL;
	if (fk.rx_count[s] == 0)
		return E_AGAIN;
	p = &fk.rx[s][fk.rx_head[s]];
	fk.rx_head[s] = (fk.rx_head[s] + 1) % FAKE_RX_MAX;
	fk.rx_count[s]--;
	if (p->len > cap)
		return E_OVERFLOW;
	memcpy(buf, p->data, p->len);
	if (from)
		*from = p->peer;
	if (to)
		*to = p->local;
	return (ssize_t)p->len;
}

int net_if_index(const char *ifname)
{
	return strcmp(ifname, "eue-cm") == 0 ? 2 : strcmp(ifname, "eue-ue") == 0 ? 3 : E_NOTFOUND;
}

int net_if_hwaddr(const char *ifname, uint8_t mac[6])
{
	int idx = net_if_index(ifname);

	if (idx < 0)
		return idx;
	static const uint8_t base[6] = { 0x02, 0, 0, 0, 0, 0 };
	memcpy(mac, base, 6);
	mac[4] = idx == 2 ? 0x0c : 0x0e;
	mac[5] = 0x01;
	return 0;
}

int net_udp_open(const struct net_addr *b, const char *ifname, unsigned flags)
{
	(void)b;
	(void)ifname;
	(void)flags;
	return fake_fd_new();
}

int net_udp_send(int fd, const void *buf, size_t len, const struct net_addr *to)
{
	return fake_tx(fd, buf, len, to);
}

ssize_t net_udp_recv(int fd, void *buf, size_t cap, struct net_addr *from, struct net_addr *to)
{
	return fake_rx(fd, buf, cap, from, to);
}

int net_join6(int fd, const uint8_t group[16], unsigned ifindex)
{
	(void)group;
	(void)ifindex;
	return fake_slot(fd) < 0 ? E_INVAL : 0;
}

int net_packet_open(const char *ifname, uint16_t ethertype)
{
	(void)ethertype;
	return net_if_index(ifname) < 0 ? E_NOTFOUND : fake_fd_new();
}

int net_packet_send(int fd, unsigned ifindex, uint16_t ethertype, const uint8_t dst_mac[6],
		    const void *buf, size_t len)
{
	(void)ifindex;
	(void)ethertype;
	(void)dst_mac;
	return fake_tx(fd, buf, len, NULL);
}

ssize_t net_packet_recv(int fd, void *buf, size_t cap)
{
	return fake_rx(fd, buf, cap, NULL, NULL);
}

int net_tcp_connect(const struct net_addr *to, const char *ifname)
{
	int fd;

	(void)ifname;
	fd = fake_fd_new();
	if (fd >= 0 && to)
		fk.peer[fd - FAKE_FD_BASE] = *to;
	return fd;
}

int net_tcp_error(int fd)
{
	int s = fake_slot(fd);

	return s < 0 ? E_INVAL : fk.tcp_refused[s] ? E_IO : 0;
}

/* A TCP stream in the fake: injected records are read in order; an empty
 * injected record is the peer's close (recv returns 0). */
ssize_t net_tcp_recv(int fd, void *buf, size_t cap)
{
	return fake_rx(fd, buf, cap, NULL, NULL);
}

void fake_net_tcp_refuse(int fd)
{
	int s = fake_slot(fd);

	if (s >= 0)
		fk.tcp_refused[s] = 1;
}

/* Also after the code closed fd: tests look back at what happened. */
const struct net_addr *fake_net_peer(int fd)
{
	int s = fd - FAKE_FD_BASE;

	return s >= 0 && (unsigned)s < fk.nopened ? &fk.peer[s] : NULL;
}

int net_icmp6_open(const char *ifname)
{
	return net_if_index(ifname) < 0 ? E_NOTFOUND : fake_fd_new();
}

void net_close(int fd)
{
	int s = fake_slot(fd);

	if (s >= 0)
		fk.open[s] = 0;
}

int net_icmp6_send(int fd, const void *buf, size_t len, const struct net_addr *to)
{
	return fake_tx(fd, buf, len, to);
}

/*
 * ICMPv6 has no ports, so an injected packet carries the hop limit it
 * "arrived" with in the port of its `to` address: 0 means 255, the value
 * every valid ND message has (RFC 4861 6.1.2); a test sets e.g. 64 there to
 * see the check work.  The interface is the `to` address's ifindex.
 */
ssize_t net_icmp6_recv(int fd, void *buf, size_t cap, struct net_addr *from, int *hoplimit,
		       unsigned *ifindex)
{
	struct net_addr to;
	ssize_t n = fake_rx(fd, buf, cap, from, &to);

	if (n < 0)
		return n;
	if (hoplimit)
		*hoplimit = to.port ? (int)to.port : 255;
	if (ifindex)
		*ifindex = to.ifindex;
	return n;
}
