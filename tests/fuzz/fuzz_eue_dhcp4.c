/*
 * fuzz_eue_dhcp4.c: the eUE's DHCPv4 client (eue/eue_dhcp4.c: MTA1..MTA4,
 * 6.3.2.2 server filter, eUE-3 ranking, 6.3.5 renewals) driven by a hostile
 * server.  The input is a sequence of records  u8 kind | u16 len | bytes:
 * kind >> 1 is a clock jump in seconds before the message (after lwIP's
 * fuzz input_pkts()); with kind & 1 the client's xid and chaddr are patched
 * in so the message reaches the state machine, without it the bytes go in
 * as they are.  While the MTA4 ARP check runs (1 s), a 28-byte record goes
 * to the ARP socket instead.  The allowed servers are 198.51.100.1 and .2
 * (the seeds use them); the address is "installed" through the fake
 * netlink.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eue/eue_dhcp4.h"
#include "platform/log.h"
#include "platform/loop.h"
#include "tests/fake/fake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_init("fuzz", LOG_LVL_ERR);   /* the step logs would drown the fuzzer */
	return 0;
}

static const uint8_t mac[6] = { 2, 0, 0, 0, 0x0e, 1 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ed4 c;
	struct ed4_config cfg;
	struct loop *l;
	uint8_t msg[1500];

	fake_net_reset();
	fake_nl_reset();
	fake_rand_seed(1);
	l = loop_new();
	if (l == NULL)
		return 0;
	memset(&cfg, 0, sizeof(cfg));
	cfg.ifname = "eue-ue";
	cfg.ifindex = 3;
	memcpy(cfg.mac, mac, 6);
	cfg.serial = "SN1";
	cfg.model = "M";
	cfg.vendor = "V";
	cfg.servers[0] = 0xc6336401u;
	cfg.servers[1] = 0xc6336402u;
	cfg.n_servers = 2;
	cfg.install_addr = 1;
	cfg.arp_check_ms = 1000;
	ed4_init(&c, l, &cfg, NULL, NULL);
	(void)ed4_start(&c);
	while (size >= 3) {
		uint8_t kind = data[0];
		size_t len = (size_t)data[1] << 8 | data[2];

		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		if (len > sizeof(msg))
			len = sizeof(msg);
		memcpy(msg, data, len);
		data += len;
		size -= len;
		fake_clock_advance_ms((uint64_t)(kind >> 1) * 1000);
		loop_run_expired(l);
		if (c.state == ED4_IDLE || c.state == ED4_DISABLED)
			(void)ed4_start(&c);   /* what the flow engine does: restart at MTA1 */
		if (len == 28 && c.afd >= 0) {
			fake_net_inject(c.afd, NULL, NULL, msg, len);
			loop_fd_dispatch(l, c.afd, LOOP_IN);
			continue;
		}
		if ((kind & 1) && len >= 34) {   /* BOOTP xid at 4..7, chaddr at 28 */
			msg[4] = (uint8_t)(c.xid >> 24);
			msg[5] = (uint8_t)(c.xid >> 16);
			msg[6] = (uint8_t)(c.xid >> 8);
			msg[7] = (uint8_t)c.xid;
			memcpy(msg + 28, mac, 6);
		}
		ed4_input(&c, msg, len);
	}
	ed4_stop(&c);
	loop_free(l);
	return 0;
}
