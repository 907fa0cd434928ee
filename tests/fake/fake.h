/*
 * fake.h: the controls of the fake platform that unit tests link instead of
 * platform/{clock,rand,net}.c (after lwIP's test/unit/arch: the test owns
 * the clock, the randomness and the wire).
 */
#ifndef TESTS_FAKE_H
#define TESTS_FAKE_H

#include <stddef.h>
#include <stdint.h>

#include "platform/net.h"

/* clock */
void fake_clock_set_ms(uint64_t mono_ms);
void fake_clock_advance_ms(uint64_t ms);

/* rand: deterministic (xorshift64*), reseeded per test */
void fake_rand_seed(uint64_t seed);

/* net: sockets are numbers >= 1000 with RX queues; TX is captured */
#define FAKE_NET_PKT_MAX 2048
struct fake_pkt {
	int fd;
	struct net_addr peer;   /* TX: destination; RX: source */
	struct net_addr local;  /* RX: destination address and interface */
	size_t len;
	uint8_t data[FAKE_NET_PKT_MAX];
};
void fake_net_reset(void);
int fake_net_inject(int fd, const struct net_addr *from, const struct net_addr *to,
		    const void *data, size_t len);
unsigned fake_net_tx_count(void);
const struct fake_pkt *fake_net_tx(unsigned i);
/* The socket opened n-th since the reset (0-based), or -1. */
int fake_net_fd(unsigned n);
/* TCP: where fd was connected to; make its connection fail (net_tcp_error). */
const struct net_addr *fake_net_peer(int fd);
void fake_net_tcp_refuse(int fd);
/* Make the next net_*_send fail with E_IO. */
void fake_net_fail_next_send(void);


/* netlink: what the code asked the kernel to do */
struct fake_nl_log {
	unsigned adds, dels, routes;
	unsigned ifindex, plen;
	int family;
	uint32_t valid;
	uint8_t addr[16];
	int dad_state;    /* what nl_addr_dad() reports once dad_set */
	int dad_set;
};
const struct fake_nl_log *fake_nl(void);
void fake_nl_reset(void);
/* What nl_addr_dad() reports from now on (an enum nl_dad); until it is
 * called, NL_DAD_OK. */
void fake_nl_set_dad(int state);

#endif
