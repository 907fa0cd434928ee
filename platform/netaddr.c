/* netaddr.c: text forms of struct net_addr (pure; shared by the real and fake net). */
#include "platform/net.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "platform/err.h"

const char *net_ip_str(const struct net_addr *a, char *buf, size_t cap)
{
	if ((a->family != AF_INET && a->family != AF_INET6) ||
	    inet_ntop(a->family, a->addr, buf, (socklen_t)cap) == NULL)
		snprintf(buf, cap, "(none)");
	return buf;
}

const char *net_addr_str(const struct net_addr *a, char *buf, size_t cap)
{
	char ip[INET6_ADDRSTRLEN];

	if (a->family == AF_INET) {
		inet_ntop(AF_INET, a->addr, ip, sizeof(ip));
		snprintf(buf, cap, "%s:%u", ip, a->port);
	} else if (a->family == AF_INET6) {
		inet_ntop(AF_INET6, a->addr, ip, sizeof(ip));
		snprintf(buf, cap, "[%s]:%u", ip, a->port);
	} else {
		snprintf(buf, cap, "(none)");
	}
	return buf;
}

int net_addr_parse(const char *text, struct net_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, text, a->addr) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, text, a->addr) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	return E_INVAL;
}
