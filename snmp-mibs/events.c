/* events.c: the eUE's management events: local log and RFC 3164 syslog (events.h). */
#include "snmp-mibs/events.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "platform/clock.h"
#include "platform/err.h"
#include "platform/log.h"

#define SYSLOG_PORT 514

/*
 * The catalogue.  PKT-MEM1.5's identifiers are not public (open question
 * A16); these numbers are this product's, in CableLabs' 4000950900 block as
 * recalled, and replacing them is a change to this table only.  Severities
 * follow RFC 5428's reporting defaults: an error reaches syslog (and, once
 * event INFORMs exist, SNMP), a notice reaches syslog.
 */
static const struct ev_def ev_catalogue[EV__COUNT] = {
	[EV_PROV_PASS] = { 4000950901u, EV_SEV_NOTICE, "Provisioning complete: pass" },
	[EV_PROV_FAIL] = { 4000950902u, EV_SEV_ERR, "Provisioning complete: fail" },
	[EV_NO_TOD] = { 4000950903u, EV_SEV_ERR, "No time of day from the eCM" },
	[EV_TOD_CHANGED] = { 4000950904u, EV_SEV_NOTICE,
			     "Time of day changed: Kerberos tickets invalidated" },
	[EV_CFG_DOWNLOAD_FAIL] = { 4000950905u, EV_SEV_ERR, "Configuration file download failed" },
	[EV_CFG_HASH_FAIL] = { 4000950906u, EV_SEV_ERR, "Configuration file hash mismatch" },
	[EV_PROV_TIMER] = { 4000950907u, EV_SEV_ERR, "Provisioning timer expired" },
	/* 6.3.6 incremental provisioning (this product's numbers, as above) */
	[EV_APP_ACTIVATED] = { 4000950908u, EV_SEV_NOTICE, "Application activated" },
	[EV_APP_DEACTIVATED] = { 4000950909u, EV_SEV_NOTICE, "Application deactivated" },
};

const struct ev_def *ev_def_of(enum ev_kind k)
{
	return (unsigned)k < EV__COUNT ? &ev_catalogue[k] : NULL;
}

/* RFC 3164 4.1.3: the TAG is alphanumeric; keep the vendor name to that. */
static void copy_alnum(char *dst, size_t cap, const char *src)
{
	size_t n = 0;

	for (; src && *src && n + 1 < cap; src++)
		if ((*src >= 'a' && *src <= 'z') || (*src >= 'A' && *src <= 'Z') ||
		    (*src >= '0' && *src <= '9'))
			dst[n++] = *src;
	dst[n] = '\0';
}

void ev_init(struct events *e, const struct walltime *wt, const char *vendor, const uint8_t mac[6])
{
	memset(e, 0, sizeof(*e));
	e->wt = wt;
	e->fd = -1;
	copy_alnum(e->vendor, sizeof(e->vendor), vendor);
	snprintf(e->mac, sizeof(e->mac), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
		 mac[3], mac[4], mac[5]);
}

int ev_set_syslog(struct events *e, const struct net_addr *server, const char *ifname,
		  const struct net_addr *src)
{
	struct net_addr bind;
	int fd;

	if (e->fd >= 0) {
		net_close(e->fd);
		e->fd = -1;
	}
	e->have_server = 0;
	if (!server)
		return 0;
	e->server = *server;
	if (e->server.port == 0)
		e->server.port = SYSLOG_PORT;
	snprintf(e->ifname, sizeof(e->ifname), "%s", ifname ? ifname : "");
	e->ip_host[0] = '\0';
	if (src->family == AF_INET)
		net_ip_str(src, e->ip_host, sizeof(e->ip_host));
	if (!e->named)
		snprintf(e->host, sizeof(e->host), "%s", e->ip_host);
	/* Send from the eUE's own address: the server files the line under it. */
	bind = *src;
	bind.port = 0;
	fd = net_udp_open(&bind, e->ifname[0] ? e->ifname : NULL, 0);
	if (fd < 0)
		return fd;
	e->fd = fd;
	e->have_server = 1;
	return 0;
}

void ev_set_hostname(struct events *e, const char *fqdn)
{
	size_t n = 0;

	while (fqdn && fqdn[n] && fqdn[n] != '.' && n + 1 < sizeof(e->host)) {
		e->host[n] = fqdn[n];
		n++;
	}
	e->host[n] = '\0';
	e->named = n > 0;
	if (!e->named)
		snprintf(e->host, sizeof(e->host), "%s", e->ip_host);
}

const struct ev_log_entry *ev_last(const struct events *e)
{
	return e->n_log ? &e->log[(e->n_log - 1) % EV_LOG_MAX] : NULL;
}

size_t ev_syslog_format(char *buf, size_t cap, const struct events *e,
			const struct ev_log_entry *row, int32_t offset_s)
{
	static const char *const mon[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	/* RFC 3164 4.1.1: PRI = facility * 8 + severity */
	unsigned pri = EV_FACILITY_LOCAL0 * 8u + row->severity;
	int n;

	if (cap == 0)
		return 0;
	if (row->time_known && e->host[0]) {
		/* RFC 3164 4.1.2: local time "Mmm dd hh:mm:ss", day space-padded;
		 * local = UTC + the DHCP time offset (option 2 / CL 38). */
		time_t t = (time_t)(row->unix_ms / 1000 + offset_s);
		struct tm tm;

		gmtime_r(&t, &tm);
		n = snprintf(buf, cap, "<%u>%s %2d %02d:%02d:%02d %s MTA[%s]: <%lu> %s MAC=%s", pri,
			     mon[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
			     e->host, e->vendor, (unsigned long)row->id, row->text,
			     e->mac);
	} else {
		/* RFC 3164 4.3.3: no HEADER rather than a false time; a relay adds it */
		n = snprintf(buf, cap, "<%u>MTA[%s]: <%lu> %s MAC=%s", pri, e->vendor,
			     (unsigned long)row->id, row->text, e->mac);
	}
	if (n < 0) {
		buf[0] = '\0';
		return 0;
	}
	return (size_t)n < cap ? (size_t)n : cap - 1;
}

int ev_raise(struct events *e, enum ev_kind k, const char *detail)
{
	const struct ev_def *d = ev_def_of(k);
	struct ev_log_entry *row;
	char line[EV_SYSLOG_MAX];
	size_t len;
	int rc;

	if (!d)
		return E_INVAL;
	row = &e->log[e->n_log % EV_LOG_MAX];
	memset(row, 0, sizeof(*row));
	row->index = ++e->n_log;
	row->org = EV_ORG_CABLELABS;
	row->id = d->id;
	row->severity = d->severity;
	row->time_known = e->wt && walltime_now(e->wt, clock_mono_ms(), &row->unix_ms) == 0;
	if (detail && *detail)
		snprintf(row->text, sizeof(row->text), "%s (%s)", d->text, detail);
	else
		snprintf(row->text, sizeof(row->text), "%s", d->text);
	log_kv("event", "id=%lu sev=%u text=\"%s\"", (unsigned long)row->id, row->severity,
	       row->text);
	if (!e->have_server)
		return 0;
	len = ev_syslog_format(line, sizeof(line), e, row, e->wt ? e->wt->offset_s : 0);
	rc = net_udp_send(e->fd, line, len, &e->server);
	if (rc < 0) {
		e->send_errors++;
		return rc;
	}
	e->sent++;
	return 0;
}

void ev_close(struct events *e)
{
	if (e->fd >= 0)
		net_close(e->fd);
	e->fd = -1;
	e->have_server = 0;
}
