/*
 * fuzz_ipc_msg.c: libFuzzer target for the IPC record decoder.  Whatever
 * decodes must re-encode, and the re-encoding must decode to the same
 * message (unknown attributes dropped): the codec has one truth.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlv/ipc_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ipc_msg m, m2;
	static uint8_t buf[8192];
	int n;

	if (ipc_msg_decode(&m, data, size, NULL) != 0)
		return 0;
	n = ipc_msg_encode(&m, buf, sizeof(buf));
	if (n < 0)
		abort();
	if (ipc_msg_decode(&m2, buf, (size_t)n, NULL) != 0)
		abort();
	if (m.type != m2.type || m.have != m2.have || memcmp(&m.u, &m2.u, sizeof(m.u)) != 0)
		abort();
	return 0;
}
