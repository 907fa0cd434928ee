/*
 * test_os_icmp6.c: the real raw ICMPv6 send/recv of platform/net.c (the
 * IP hop limit and the receiving interface from IPV6_HOPLIMIT and
 * IPV6_PKTINFO, RFC 3542) and platform/sysctl.c on the real /proc/sys, in
 * a private network namespace (so the interface settings touched are the
 * namespace's own lo).  Skipped, and reported as skipped, where no
 * namespace can be made (an unprivileged run).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "platform/err.h"
#include "platform/net.h"
#include "platform/netlink.h"
#include "platform/sysctl.h"

static int in_own_netns;

static int group_setup(void **state)
{
	(void)state;
	in_own_netns = unshare(CLONE_NEWNET) == 0;
	if (in_own_netns) {
		int lo = net_if_index("lo");

		if (lo < 0 || nl_link_up((unsigned)lo) != 0)
			in_own_netns = 0;
	}
	return 0;
}

/* qemu-user hands some cmsg ints to big-endian guests unswapped (see
 * test_os_net.c); accept exactly that and say so. */
static void assert_cmsg_int(unsigned got, unsigned want, const char *what)
{
	if (got != want && __builtin_bswap32(got) == want) {
		print_message("note: %s arrived byte-swapped (qemu-user on a big-endian guest)\n", what);
		return;
	}
	assert_int_equal(got, want);
}

static ssize_t recv_wait(int fd, uint8_t *buf, size_t cap, struct net_addr *from, int *hl,
			 unsigned *ifi)
{
	ssize_t n = E_AGAIN;

	for (int i = 0; i < 200 && n == E_AGAIN; i++) {
		n = net_icmp6_recv(fd, buf, cap, from, hl, ifi);
		if (n == E_AGAIN)
			usleep(1000);
	}
	return n;
}

static void test_icmp6_hoplimit_and_ifindex(void **state)
{
	/* an RA-shaped message (type 134, code 0, 16 octets) */
	static const uint8_t ra[16] = { 0x86, 0, 0, 0, 0x40, 0xc0, 0, 0x1e };
	struct net_addr to, from;
	uint8_t buf[64];
	int rx, tx, hl = 0, lo = net_if_index("lo"), hops = 64;
	unsigned ifi = 0;
	ssize_t n;

	(void)state;
	if (!in_own_netns || lo < 0)
		skip();
	rx = net_icmp6_open("lo");
	tx = net_icmp6_open("lo");
	if (rx < 0 || tx < 0)
		skip();
	memset(&to, 0, sizeof(to));
	to.family = AF_INET6;
	to.addr[15] = 1;   /* ::1 */
	to.ifindex = (unsigned)lo;
	to.port = 99;      /* ignored for raw sockets */
	assert_int_equal(net_icmp6_send(tx, ra, sizeof(ra), &to), 0);
	/* the sender sees its own message too; read until ours */
	n = recv_wait(rx, buf, sizeof(buf), &from, &hl, &ifi);
	assert_int_equal(n, sizeof(ra));
	assert_int_equal(buf[0], 0x86);
	/* the kernel filled the checksum (RFC 3542 3.1) */
	assert_true(buf[2] != 0 || buf[3] != 0);
	assert_cmsg_int((unsigned)hl, 255, "hop limit");   /* set at open (RFC 4861 6.1.2) */
	assert_cmsg_int(ifi, (unsigned)lo, "ifindex");
	assert_int_equal(from.family, AF_INET6);
	assert_memory_equal(from.addr, to.addr, 16);
	/* a message sent with hop limit 64 says so */
	assert_int_equal(setsockopt(tx, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops)), 0);
	assert_int_equal(net_icmp6_send(tx, ra, sizeof(ra), &to), 0);
	n = recv_wait(rx, buf, sizeof(buf), NULL, &hl, NULL);
	assert_int_equal(n, sizeof(ra));
	assert_cmsg_int((unsigned)hl, 64, "hop limit");
	/* nothing more; and a too-small buffer is E_OVERFLOW, not a cut message */
	assert_int_equal(net_icmp6_recv(rx, buf, sizeof(buf), NULL, NULL, NULL), E_AGAIN);
	assert_int_equal(net_icmp6_send(tx, ra, sizeof(ra), &to), 0);
	n = recv_wait(rx, buf, 8, NULL, NULL, NULL);
	assert_int_equal(n, E_OVERFLOW);
	net_close(rx);
	net_close(tx);
}

static void test_sysctl_real_proc(void **state)
{
	char buf[32];

	(void)state;
	/* only inside our own namespace: /proc/sys/net is the namespace's */
	if (!in_own_netns)
		skip();
	if (sysctl_get(NULL, "net/ipv6/conf/lo/accept_ra", buf, sizeof(buf)) < 0)
		skip();   /* no IPv6 here */
	assert_int_equal(sysctl_ip6_conf_set(NULL, "lo", "accept_ra", "0"), 0);
	assert_int_equal(sysctl_get(NULL, "net/ipv6/conf/lo/accept_ra", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "0");
	assert_int_equal(sysctl_ip6_conf_set(NULL, "lo", "accept_ra", "1"), 0);
	assert_int_equal(sysctl_get(NULL, "net/ipv6/conf/lo/accept_ra", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "1");
	assert_int_equal(sysctl_ip6_conf_set(NULL, "no-such-if0", "accept_ra", "0"), E_NOTFOUND);
	/* the kernel refuses a value out of range */
	assert_true(sysctl_ip6_conf_set(NULL, "lo", "addr_gen_mode", "99") < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_icmp6_hoplimit_and_ifindex),
		cmocka_unit_test(test_sysctl_real_proc),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
