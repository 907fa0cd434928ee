/*
 * fuzz_eue_ipv6.c: the eUE's link-local / DAD / router-discovery machine
 * (eue/eue_ipv6.c) driven by a hostile link.  The input is a sequence of
 * records  u8 kind | u8 arg | u16 len | bytes  (after lwIP's fuzz
 * input_pkts()): kind & 3 picks what happens after a clock jump of
 * (kind >> 2) * 100 ms:
 *   0: a message on the ICMPv6 socket, arg = its hop limit (0: 255), from
 *      fe80::1 (or, arg odd, a global source);
 *   1: the DAD state netlink reports from now on (arg % 4);
 *   2: ip6_input() directly with hop limit 255 from the router;
 *   3: ip6_stop() + ip6_start() (the caller re-initialising).
 * Invariants checked: the state stays in range; READY only with M = 1 and a
 * link-local router; never more than 3 RS per start; a FAILED or READY
 * event at most once per start, each with a reason iff FAILED.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "eue/eue_ipv6.h"
#include "platform/log.h"
#include "platform/loop.h"
#include "tests/fake/fake.h"
#include "tlv/nd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_init("fuzz", LOG_LVL_ERR);
	return 0;
}

struct fz {
	unsigned ends;       /* READY/FAILED events since the last start */
	unsigned starts;
};

static void on_event(void *arg, struct ip6 *c, enum ip6_event ev, const struct ip6_result *r)
{
	struct fz *f = arg;

	(void)c;
	if (ev == IP6_EV_LL_READY)
		return;
	if (++f->ends > 1)
		abort();
	if ((ev == IP6_EV_FAILED) != (r->reason != NULL))
		abort();
	if (ev == IP6_EV_READY && (!r->managed || r->router[0] != 0xfe || (r->router[1] & 0xc0) != 0x80))
		abort();
}

static void run_to(struct loop *l, uint64_t ms)
{
	/* step in 50 ms so every re-armed timer gets its turn */
	for (uint64_t t = 0; t < ms; t += 50) {
		fake_clock_advance_ms(50);
		while (loop_run_expired(l) > 0)
			;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ip6 c;
	struct ip6_config cfg = {
		.ifname = "eue-ue", .ifindex = 3, .mac = { 2, 0, 0, 0, 0x0e, 1 },
		.sysctl_root = "/nonexistent-fuzz-sysctl",   /* never the real /proc */
	};
	struct fz f = { 0, 1 };
	struct net_addr from = { .family = AF_INET6 }, to = { .family = AF_INET6 };
	unsigned rs_base = 0;
	struct loop *l;

	fake_net_reset();
	fake_nl_reset();
	fake_rand_seed(1);
	l = loop_new();
	if (l == NULL)
		return 0;
	ip6_init(&c, l, &cfg, on_event, &f);
	ip6_start(&c);
	while (size >= 4) {
		uint8_t kind = data[0], arg = data[1];
		size_t len = (size_t)data[2] << 8 | data[3];

		data += 4;
		size -= 4;
		if (len > size)
			len = size;
		run_to(l, (uint64_t)(kind >> 2) * 100);
		memset(from.addr, 0, 16);
		from.addr[0] = (arg & 1) ? 0x20 : 0xfe;
		from.addr[1] = (arg & 1) ? 0x01 : 0x80;
		from.addr[15] = 1;
		switch (kind & 3) {
		case 0:
			to.port = arg;
			if (c.fd >= 0 && fake_net_inject(c.fd, &from, &to, data, len) == 0)
				loop_fd_dispatch(l, c.fd, LOOP_IN);
			break;
		case 1:
			fake_nl_set_dad(arg % 4);
			break;
		case 2:
			from.addr[0] = 0xfe;
			from.addr[1] = 0x80;
			(void)ip6_input(&c, data, len, &from, 255);
			break;
		case 3:
			ip6_stop(&c);
			f.ends = 0;
			f.starts++;
			rs_base = fake_net_tx_count();
			ip6_start(&c);
			break;
		}
		data += len;
		size -= len;
		if ((unsigned)c.st >= IP6_ST__COUNT)
			abort();
		if (fake_net_tx_count() - rs_base > IP6_MAX_RTR_SOLICITATIONS)
			abort();
	}
	/* let it run out: every start ends in READY, FAILED or (DAD) waits */
	run_to(l, 20000);
	if (fake_net_tx_count() - rs_base > IP6_MAX_RTR_SOLICITATIONS)
		abort();
	if (c.st != IP6_ST_READY && c.st != IP6_ST_FAILED)
		abort();
	ip6_stop(&c);
	loop_free(l);
	return 0;
}
