/* flows.h: the provisioning flows as step tables (flows.c). */
#ifndef EUE_FLOWS_H
#define EUE_FLOWS_H

#include "eue/flow.h"

extern const struct flow flow_secure, flow_hybrid1, flow_hybrid2, flow_basic1, flow_basic2;

#define FLOWS_COUNT 5
extern const struct flow *const flows_all[FLOWS_COUNT];

/* Step names: "eUE-" + n in IPv6 mode (Table 5), "MTA" + n in IPv4 mode. */
const char *flows_prefix(int ipv6);

#endif
