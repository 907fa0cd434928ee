/* fuzz_dns_additional.c: the SRV answer's additional-section walker
 * (eue/dns.c dns_parse_additional). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eue/dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dns_result res;
	unsigned i;

	memset(&res, 0, sizeof(res));
	res.n_srv = 2;
	strcpy(res.srv[0].target, "t.x");
	strcpy(res.srv[1].target, "kdc.example.net");
	(void)dns_parse_additional(data, size, &res);
	if (res.n_addr > DNS_ADDRS_MAX)
		abort();
	for (i = 0; i < res.n_addr; i++)
		if (strnlen(res.addr[i].name, sizeof(res.addr[i].name)) == sizeof(res.addr[i].name) ||
		    (res.addr[i].addr.family != 2 && res.addr[i].addr.family != 10))
			abort();
	return 0;
}
