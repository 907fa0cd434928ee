/*
 * fuzz_eue_dhcp6.c: the eUE's DHCPv6 client (eue/eue_dhcp6.c, Table 5
 * eUE-1..eUE-4, 6.3.5) driven by a hostile server.  The input is a sequence
 * of records  u8 kind | u16 len | bytes:  kind >> 1 is a clock jump in
 * seconds before the message, kind & 1 makes the next DAD report a
 * duplicate (after lwIP's fuzz input_pkts()).  The transaction id is patched
 * in so that messages reach the state machine; the client id (DUID-LL of
 * 02:00:00:00:e0:01) the fuzzer learns from the seeds.  The event callback
 * restarts eUE-1 after FAILED and LOST, as the flow engine does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eue/eue_dhcp6.h"
#include "platform/log.h"
#include "platform/loop.h"
#include "platform/netlink.h"
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

static void on_event(void *arg, struct ed6 *c, enum ed6_event ev, const char *detail)
{
	unsigned *restarts = arg;

	(void)detail;
	if ((ev == ED6_EV_FAILED || ev == ED6_EV_LOST) && *restarts < 4) {
		(*restarts)++;
		(void)ed6_start(c);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ed6 c;
	struct ed6_config cfg;
	struct loop *l;
	uint8_t msg[1500];
	unsigned restarts = 0;

	fake_net_reset();
	fake_nl_reset();
	fake_rand_seed(1);
	l = loop_new();
	if (l == NULL)
		return 0;
	memset(&cfg, 0, sizeof(cfg));
	cfg.ifname = "eue0";
	cfg.ifindex = 3;
	cfg.mac[0] = 0x02;
	cfg.mac[4] = 0xe0;
	cfg.mac[5] = 0x01;
	cfg.serial = "SN";
	cfg.dss[0].len = 4;
	memcpy(cfg.dss[0].id, "DSS1", 4);
	cfg.n_dss = 1;
	cfg.dss_any = size > 0 && (data[size - 1] & 0x80);   /* both modes */
	cfg.install_addr = 1;
	ed6_init(&c, l, &cfg, on_event, &restarts);
	ed6_start(&c);
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
		fake_nl_set_dad((kind & 1) ? NL_DAD_FAILED : 0);
		fake_clock_advance_ms((uint64_t)(kind >> 1) * 1000);
		loop_run_expired(l);
		if (len >= 4) {   /* DHCPv6 xid at 1..3 */
			msg[1] = (uint8_t)(c.xid >> 16);
			msg[2] = (uint8_t)(c.xid >> 8);
			msg[3] = (uint8_t)c.xid;
		}
		ed6_input(&c, msg, len);
	}
	ed6_stop(&c);
	loop_free(l);
	return 0;
}
