/*
 * fuzz_ecm_dhcp.c: the eCM's DHCPv4 and DHCPv6 clients driven by hostile
 * servers.  The input is a sequence of records  u8 kind | u16 len | bytes:
 * kind & 1 picks the client (0: DHCPv6, 1: DHCPv4), kind >> 1 is a clock
 * jump in seconds before the message (after lwIP's fuzz input_pkts()).  The
 * fake platform gives each client its transaction id, so "xid" bytes are
 * patched in to let messages reach the state machines.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecm/cm_dhcp4.h"
#include "ecm/cm_dhcp6.h"
#include "platform/log.h"
#include "platform/loop.h"
#include "tests/fake/fake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_init("fuzz", LOG_LVL_ERR);   /* the state machines' step logs would drown the fuzzer */
	return 0;
}

static const uint8_t mac[6] = { 2, 0, 0, 0, 0x0c, 1 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cm4 c4;
	static struct cm6 c6;
	struct loop *l;
	uint8_t msg[1500];

	fake_net_reset();
	fake_nl_reset();
	fake_rand_seed(1);
	l = loop_new();
	if (l == NULL)
		return 0;
	cm4_init(&c4, l, "eue-cm", 2, mac, BOARD_IP_DUAL, NULL, NULL);
	cm6_init(&c6, l, "eue-cm", 2, mac, BOARD_IP_DUAL, NULL, NULL);
	c4.install_addr = c6.install_addr = 1;
	cm4_start(&c4);
	cm6_start(&c6);
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
		if (kind & 1) {
			if (len >= 8) {   /* BOOTP xid at 4..7 */
				msg[4] = (uint8_t)(c4.xid >> 24);
				msg[5] = (uint8_t)(c4.xid >> 16);
				msg[6] = (uint8_t)(c4.xid >> 8);
				msg[7] = (uint8_t)c4.xid;
			}
			cm4_input(&c4, msg, len);
		} else {
			if (len >= 4) {   /* DHCPv6 xid at 1..3 */
				msg[1] = (uint8_t)(c6.xid >> 16);
				msg[2] = (uint8_t)(c6.xid >> 8);
				msg[3] = (uint8_t)c6.xid;
			}
			cm6_input(&c6, msg, len);
		}
	}
	cm4_stop(&c4);
	cm6_stop(&c6);
	loop_free(l);
	return 0;
}
