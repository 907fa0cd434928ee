/*
 * events.h: the eUE's management events (spec 6.1.6, pkt-eue-6, PKT-MEM1.5):
 * a local event log (the rows of PKTC-IETF-EVENT-MIB pktcEventLogTable,
 * RFC 5428) and BSD syslog (RFC 3164, as the spec cites it) over UDP 514 to
 * the first server of DHCPv4 option 7 / CL option 34 (spec 6.1.6: "MUST use
 * the first Syslog Server address").
 *
 * The event identifiers and texts of PKT-MEM1.5 are not public (open
 * question A16): they live in one const catalogue in events.c, marked as
 * this product's numbering, so replacing them is a one-table change.
 * Library-free (platform/net only); one instance per device, no globals.
 */
#ifndef SNMP_MIBS_EVENTS_H
#define SNMP_MIBS_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "platform/net.h"
#include "platform/walltime.h"

/* The events the provisioning flows raise (catalogue in events.c). */
enum ev_kind {
	EV_PROV_PASS,           /* eUE-24: provisioning complete, pass / passWithWarnings */
	EV_PROV_FAIL,           /* eUE-24: provisioning complete, failed (state in the text) */
	EV_NO_TOD,              /* 6.3.2.3: the eCM registered without time of day */
	EV_TOD_CHANGED,         /* 6.3.2.3: the time changed; tickets invalidated */
	EV_CFG_DOWNLOAD_FAIL,   /* eUE-22/23: the file could not be fetched */
	EV_CFG_HASH_FAIL,       /* eUE-23: hash mismatch */
	EV_PROV_TIMER,          /* pktcMtaDevProvisioningTimer expired */
	EV_APP_ACTIVATED,       /* 6.3.6: an application activated by SNMP (incremental) */
	EV_APP_DEACTIVATED,     /* 6.3.6: an application deactivated by SNMP (incremental) */
	EV__COUNT
};

/* Syslog severities (RFC 3164 table 2). */
enum ev_sev {
	EV_SEV_EMERG, EV_SEV_ALERT, EV_SEV_CRIT, EV_SEV_ERR, EV_SEV_WARNING, EV_SEV_NOTICE,
	EV_SEV_INFO, EV_SEV_DEBUG
};

struct ev_def {
	uint32_t id;            /* pktcEventLogIdentifier */
	uint8_t severity;       /* enum ev_sev */
	const char *text;       /* pktcEventLogText (<= 127 bytes, RFC 5428) */
};
const struct ev_def *ev_def_of(enum ev_kind k);

#define EV_ORG_CABLELABS 4491u  /* pktcEventLogOrganization of PacketCable events (RFC 5428) */
#define EV_FACILITY_LOCAL0 16u  /* PacketCable events use local0 (RFC 5428 pktcEventFacility) */
#define EV_LOG_MAX 64           /* local log rows kept (the oldest is dropped) */
#define EV_TEXT_MAX 128
#define EV_SYSLOG_MAX 1024      /* RFC 3164 4.1: a packet is at most 1024 bytes */

struct ev_log_entry {
	uint32_t index;         /* pktcEventLogIndex, from 1, never reused */
	int time_known;
	int64_t unix_ms;        /* UTC, when time_known */
	uint32_t org, id;
	uint8_t severity;
	char text[EV_TEXT_MAX];
};

struct events {
	const struct walltime *wt;      /* may be NULL: no time of day */
	char vendor[32];                /* the TAG's [vendor] part, alphanumerics only */
	char mac[18];                   /* "00:11:22:33:44:55" for the message */
	char host[64];                  /* RFC 3164 HOSTNAME: the eUE's name, else its IPv4 address */
	int named;                      /* host came from ev_set_hostname */
	char ip_host[64];               /* the IPv4 literal of ev_set_syslog's src ("" for IPv6) */
	int fd;                         /* the syslog socket, -1 until a server is set */
	char ifname[32];
	struct net_addr server;         /* port 514 unless set otherwise */
	int have_server;
	struct ev_log_entry log[EV_LOG_MAX];
	unsigned n_log;                 /* total rows ever logged (ring holds the last EV_LOG_MAX) */
	unsigned sent, send_errors;
};

void ev_init(struct events *e, const struct walltime *wt, const char *vendor, const uint8_t mac[6]);
/*
 * The syslog server (first address of option 7 / CL 34; port 0 = 514), sent
 * from the eUE's interface; src is the eUE's address (the HOSTNAME).  A NULL
 * server turns syslog off.  New DHCP values apply without re-initialising
 * (6.3.5).  0 or E_*.
 */
int ev_set_syslog(struct events *e, const struct net_addr *server, const char *ifname,
		  const struct net_addr *src);
/*
 * The eUE's FQDN (option 12/15, option 39): its first label becomes the
 * HOSTNAME (RFC 3164 4.1.2: "without the domain name").  NULL or "" goes back
 * to the IPv4 address, or to no HEADER in IPv6 mode: an IPv6 literal is a
 * valid HOSTNAME but common collectors (rsyslog's RFC 3164 parser, found in
 * the lab) read its first colon as the end of the TAG.
 */
void ev_set_hostname(struct events *e, const char *fqdn);
/* Log the event locally and send it to syslog when a server is set.
 * detail (may be NULL) is appended to the catalogue text.  0, or the E_* of
 * the send (the local row exists either way). */
int ev_raise(struct events *e, enum ev_kind k, const char *detail);
void ev_close(struct events *e);

/* The newest row (NULL when none). */
const struct ev_log_entry *ev_last(const struct events *e);

/*
 * One RFC 3164 message: "<PRI>Mmm dd hh:mm:ss HOST MTA[vendor]: <id> <text>
 * MAC=<mac>".  Without a time of day, or without a HOSTNAME, the HEADER
 * (timestamp and host) is left out, as RFC 3164 4.3.3 allows (the collector
 * adds both), rather than sending a false time or an unparsable host.
 * Returns the length (truncated at cap - 1, always NUL-terminated).
 */
size_t ev_syslog_format(char *buf, size_t cap, const struct events *e,
			const struct ev_log_entry *row, int32_t offset_s);

#endif
