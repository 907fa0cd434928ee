/* netlink.c (fake): records the interface changes a test's code asks for. */
#include "platform/netlink.h"

#include <string.h>
#include <sys/socket.h>

#include "tests/fake/fake.h"

static struct fake_nl_log fk_nl;

const struct fake_nl_log *fake_nl(void)
{
	return &fk_nl;
}

void fake_nl_reset(void)
{
	memset(&fk_nl, 0, sizeof(fk_nl));
}

void fake_nl_set_dad(int state)
{
	fk_nl.dad_state = state;
	fk_nl.dad_set = 1;
}

int nl_link_up(unsigned ifindex)
{
	(void)ifindex;
	return 0;
}

int nl_link_down(unsigned ifindex)
{
	(void)ifindex;
	return 0;
}

int nl_link_running(unsigned ifindex)
{
	(void)ifindex;
	return 1;
}

int nl_addr_add(unsigned ifindex, int family, const uint8_t *addr, unsigned plen,
		uint32_t valid_s, uint32_t pref_s, int nodad)
{
	(void)pref_s;
	(void)nodad;
	fk_nl.adds++;
	fk_nl.ifindex = ifindex;
	fk_nl.family = family;
	fk_nl.plen = plen;
	fk_nl.valid = valid_s;
	memcpy(fk_nl.addr, addr, family == AF_INET ? 4 : 16);
	return 0;
}

int nl_addr_del(unsigned ifindex, int family, const uint8_t *addr, unsigned plen)
{
	(void)ifindex;
	(void)family;
	(void)addr;
	(void)plen;
	fk_nl.dels++;
	return 0;
}

int nl_addr_dad(unsigned ifindex, int family, const uint8_t *addr, enum nl_dad *state)
{
	(void)ifindex;
	(void)family;
	(void)addr;
	/* default NL_DAD_OK; after fake_nl_set_dad() exactly what was set,
	 * NL_DAD_NONE included (the kernel deleted the address) */
	*state = fk_nl.dad_set ? (enum nl_dad)fk_nl.dad_state : NL_DAD_OK;
	return 0;
}

int nl_route_default(unsigned ifindex, int family, const uint8_t *gw)
{
	(void)ifindex;
	(void)family;
	(void)gw;
	fk_nl.routes++;
	return 0;
}
