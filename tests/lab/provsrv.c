/*
 * provsrv.c: the lab's reference provisioning server, the SNMP entity of the Basic/Hybrid flows
 * (reference/flows-prov15.md sections 2 and 3; PKT-SP-EUE-PROV-I05 Table 5 eUE-15 .. eUE-25).
 *
 *   eUE-15  pktcMtaDevProvisioningEnrollment INFORM received (SNMPv2c, open question A9 read as
 *           v2c for Basic/Hybrid), acknowledged (RFC 3416 4.2.7: a Response with the same
 *           request-id and variable bindings), its varbinds logged
 *   eUE-16/17  optional GET of sysDescr, pktcMtaDevSerialNumber, ifPhysAddress.1 (--get)
 *   eUE-18  the per-device file from a template (provsrv_cfg.c), into the TFTP and HTTP roots
 *   eUE-19  ONE SET PDU: pktcMtaDevConfigFile (URL) + pktcMtaDevProvConfigHash (20 bytes),
 *           asynchronous, retried by Net-SNMP (--retries, --timeout-ms), the answer logged
 *   eUE-25  pktcMtaDevProvisioningStatus INFORM: the pktcMtaDevProvisioningState value logged
 *
 * Single process, one pselect() loop around snmp_select_info()/snmp_read()/snmp_timeout(); SIGTERM
 * and SIGINT end it cleanly.  Anything a device sends is logged and survived, never fatal.
 *
 * Secure flow (kerberos/README-km.md): with --keytab, provsrv_km.c serves Kerberized key management
 * on UDP 1293 in the same loop; each AP Reply installs the device's USM user (ps_usm_install: the
 * derived keys as LOCALIZED keys, under the eUE's engine ID for the SET and under ours for its
 * INFORMs).  SNMPv3 INFORMs of such a user are then accepted (authPriv, or authNoPriv for a NULL
 * privacy suite) like the v2c ones, and the device's GET/SET go as SNMPv3 with that user to the
 * eUE's engine ID.  Our engine ID is fixed (--engine-id), so the AP Reply's ASD is stable.
 * Not built: encryption of the file (pktcMtaDevProvConfigKey).
 *
 * Log: one event per line, "<UTC ISO time> provsrv <event> k=v ...", flushed at once; events
 * start, engine, listen, inform, varbind, ack, drop, enroll, status, get, get-varbind, file,
 * set-sent, set, badpacket, usm, snmplib, error, stop, and provsrv_km.c's km, km-listen,
 * km ap-req, km ap-rep, km error, km drop (tests/lab/README.md lists their fields).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "tests/lab/provsrv.h"
#include "tlv/mibnames.h"

#define PS_MAX_LISTEN 8
#define PS_MAX_DEV 64
#define PS_URL_MAX 512

/* ---------------------------------------------------------------- OIDs (reference/mibs.md) */

struct ps_oid {
	const oid *o;
	size_t len;
};
#define PS_OID(a) { a, sizeof(a) / sizeof(a[0]) }

static const oid oid_trap[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };           /* snmpTrapOID.0 */
static const oid oid_sysdescr[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
static const oid oid_ifphys[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 6 };            /* ifPhysAddress */
static const oid oid_ifphys1[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 6, 1 };

/* The two MIB families (B2): RFC 4682 PKTC-IETF-MTA-MIB and CableLabs PKTC-MTA-MIB. */
enum { FAM_IETF = 0, FAM_CL = 1, FAM_N };
static const char *const fam_name[FAM_N] = { "ietf", "cablelabs" };

static const oid ietf_enroll[] = { 1, 3, 6, 1, 2, 1, 140, 0, 1 };
static const oid ietf_status[] = { 1, 3, 6, 1, 2, 1, 140, 0, 2 };
static const oid ietf_state[] = { 1, 3, 6, 1, 2, 1, 140, 1, 1, 8 };
static const oid ietf_serial[] = { 1, 3, 6, 1, 2, 1, 140, 1, 1, 2, 0 };
static const oid ietf_cfgfile[] = { 1, 3, 6, 1, 2, 1, 140, 1, 2, 9, 0 };
static const oid ietf_hash[] = { 1, 3, 6, 1, 2, 1, 140, 1, 2, 11, 0 };
static const oid cl_enroll[] = { 1, 3, 6, 1, 4, 1, 4491, 2, 2, 1, 2, 0, 1 };
static const oid cl_status[] = { 1, 3, 6, 1, 4, 1, 4491, 2, 2, 1, 2, 0, 2 };
static const oid cl_state[] = { 1, 3, 6, 1, 4, 1, 4491, 2, 2, 1, 1, 1, 9 };
static const oid cl_cfgfile[] = { 1, 3, 6, 1, 4, 1, 4491, 2, 2, 1, 1, 2, 5, 0 };
static const oid cl_hash[] = { 1, 3, 6, 1, 4, 1, 4491, 2, 2, 1, 1, 2, 7, 0 };

static const struct {
	struct ps_oid enroll, status, state, cfgfile, hash;
} fam_oids[FAM_N] = {
	[FAM_IETF] = { PS_OID(ietf_enroll), PS_OID(ietf_status), PS_OID(ietf_state),
		       PS_OID(ietf_cfgfile), PS_OID(ietf_hash) },
	[FAM_CL] = { PS_OID(cl_enroll), PS_OID(cl_status), PS_OID(cl_state),
		     PS_OID(cl_cfgfile), PS_OID(cl_hash) },
};

/* RFC 3416 section 3 error-status names */
static const char *const err_names[] = {
	"noError", "tooBig", "noSuchName", "badValue", "readOnly", "genErr", "noAccess",
	"wrongType", "wrongLength", "wrongEncoding", "wrongValue", "noCreation",
	"inconsistentValue", "resourceUnavailable", "commitFailed", "undoFailed",
	"authorizationError", "notWritable", "inconsistentName",
};

static const char *errstat_name(long e)
{
	if (e >= 0 && (size_t)e < sizeof(err_names) / sizeof(err_names[0]))
		return err_names[e];
	return "unknown";
}

/* ---------------------------------------------------------------- state */

struct opts {
	const char *listen[PS_MAX_LISTEN];
	size_t nlisten;
	const char *community, *rw_community;
	int http;                       /* URL scheme: 0 tftp, 1 http */
	int literal;                    /* URL host: 0 FQDN, 1 address literal of the device's family */
	const char *url_fqdn, *url_v4, *url_v6;
	int bad_hash, no_set, do_get;
	int mib;                        /* -1 auto (the enrollment's family), else FAM_* */
	int retries;
	long timeout_ms;
	unsigned dev_port;
	const char *log_path;
	struct ps_cfg_opts cfg;
	struct ps_km_opts km;
	uint8_t eid[KM_ENGINEID_MAX];   /* our snmpEngineID (--engine-id) */
	size_t eid_len;
	const char *usm_keys_file;      /* --usm-keys-file: the lab's oracle of the derived keys */
};

enum req_kind { REQ_NONE, REQ_GET, REQ_SET };

struct dev {
	int used;
	unsigned long seq;              /* last use, for reuse of the oldest slot */
	int v6;
	char addr[INET6_ADDRSTRLEN];
	char peer[INET6_ADDRSTRLEN + 16];       /* "[2001:db8::1]:161" / "203.0.113.5:161" */
	netsnmp_session *ss;
	int fam;
	uint8_t mac[6];
	int has_mac;
	enum req_kind kind;
	int reqid;
	char url[PS_URL_MAX];
	uint8_t hash[CFG_SHA1_LEN];
	int v3;                         /* the device spoke SNMPv3 (Secure): GET/SET as v3 */
	char user[KM_USER_MAX + 1];     /* its USM user (the key-management SA's) */
};

static struct opts g_opt;
static struct dev g_dev[PS_MAX_DEV];
static unsigned long g_seq;
static FILE *g_log;
static volatile sig_atomic_t g_stop;
static unsigned g_bad_seen;
/* sessions of reused slots, closed after snmp_read() returns (never inside its session walk) */
static netsnmp_session *g_close[PS_MAX_DEV];
static size_t g_nclose;

/* ---------------------------------------------------------------- log */

void ps_log(const char *fmt, ...)
{
	struct timespec ts;
	struct tm tm;
	char t[32];
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(g_log, "%s.%03ldZ provsrv ", t, ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	vfprintf(g_log, fmt, ap);
	va_end(ap);
	fputc('\n', g_log);
	fflush(g_log);
}

static void hexstr(const uint8_t *p, size_t n, char *out, size_t cap)
{
	static const char d[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n && 2 * i + 2 < cap; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * i] = '\0';
}

static void oid_str(const oid *o, size_t n, char *out, size_t cap)
{
	size_t i, used = 0;
	int k;

	out[0] = '\0';
	for (i = 0; i < n && used < cap; i++) {
		k = snprintf(out + used, cap - used, i ? ".%lu" : "%lu", (unsigned long)o[i]);
		if (k < 0 || (size_t)k >= cap - used)
			break;
		used += (size_t)k;
	}
}

/* One value as "type=T value=V": quoted when printable text, hex otherwise (one line always). */
static void value_str(const netsnmp_variable_list *v, char *out, size_t cap)
{
	char buf[1024];
	size_t i;
	int printable = 1;

	switch (v->type) {
	case ASN_OCTET_STR:
		for (i = 0; i < v->val_len; i++)
			if (v->val.string[i] < 0x20 || v->val.string[i] > 0x7e ||
			    v->val.string[i] == '"' || v->val.string[i] == '\\')
				printable = 0;
		if (printable)
			snprintf(out, cap, "type=octets value=\"%.*s\"", (int)v->val_len,
				 (const char *)v->val.string);
		else {
			hexstr(v->val.string, v->val_len, buf, sizeof(buf));
			snprintf(out, cap, "type=octets value=0x%s", buf);
		}
		break;
	case ASN_INTEGER:
		snprintf(out, cap, "type=integer value=%ld", *v->val.integer);
		break;
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
	case ASN_UINTEGER:
		snprintf(out, cap, "type=%s value=%lu", v->type == ASN_COUNTER ? "counter32" :
			 v->type == ASN_GAUGE ? "gauge32" : v->type == ASN_TIMETICKS ? "timeticks" :
			 "unsigned32", (unsigned long)*v->val.integer);
		break;
	case ASN_COUNTER64:
		snprintf(out, cap, "type=counter64 value=%llu",
			 ((unsigned long long)v->val.counter64->high << 32) | v->val.counter64->low);
		break;
	case ASN_IPADDRESS:
		if (v->val_len == 4)
			snprintf(out, cap, "type=ipaddress value=%u.%u.%u.%u", v->val.string[0],
				 v->val.string[1], v->val.string[2], v->val.string[3]);
		else
			snprintf(out, cap, "type=ipaddress value=bad-length-%zu", v->val_len);
		break;
	case ASN_OBJECT_ID:
		oid_str(v->val.objid, v->val_len / sizeof(oid), buf, sizeof(buf));
		snprintf(out, cap, "type=oid value=%s", buf);
		break;
	case ASN_NULL:
		snprintf(out, cap, "type=null value=-");
		break;
	case SNMP_NOSUCHOBJECT:
		snprintf(out, cap, "type=noSuchObject value=-");
		break;
	case SNMP_NOSUCHINSTANCE:
		snprintf(out, cap, "type=noSuchInstance value=-");
		break;
	case SNMP_ENDOFMIBVIEW:
		snprintf(out, cap, "type=endOfMibView value=-");
		break;
	default:
		snprintf(out, cap, "type=0x%02x value=-", v->type);
		break;
	}
}

static int oid_eq(const oid *a, size_t alen, const struct ps_oid *b)
{
	return snmp_oid_compare(a, alen, b->o, b->len) == 0;
}

static int oid_under(const oid *a, size_t alen, const oid *prefix, size_t plen)
{
	return alen > plen && snmp_oid_compare(a, plen, prefix, plen) == 0;
}

/* ---------------------------------------------------------------- addresses */

/*
 * The source of a received PDU.  Net-SNMP's UDP transports (IPv4 and IPv6, 5.9) hand
 * transport_data as a netsnmp_indexed_addr_pair, or a bare sockaddr in older IPv6 code: either
 * way the remote address comes first.  Copied, never cast in place (alignment).
 */
static int pdu_source(const netsnmp_pdu *pdu, char *addr, size_t cap, unsigned *port, int *v6)
{
	struct sockaddr_storage ss;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	size_t n;

	if (pdu->transport_data == NULL || pdu->transport_data_length <= 0)
		return -1;
	n = (size_t)pdu->transport_data_length;
	if (n < sizeof(struct sockaddr_in))
		return -1;
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, pdu->transport_data, n < sizeof(ss) ? n : sizeof(ss));
	if (ss.ss_family == AF_INET) {
		memcpy(&sin, &ss, sizeof(sin));
		inet_ntop(AF_INET, &sin.sin_addr, addr, (socklen_t)cap);
		*port = ntohs(sin.sin_port);
		*v6 = 0;
		return 0;
	}
	if (ss.ss_family == AF_INET6 && n >= sizeof(sin6)) {
		memcpy(&sin6, &ss, sizeof(sin6));
		if (IN6_IS_ADDR_V4MAPPED(&sin6.sin6_addr)) {
			inet_ntop(AF_INET, &sin6.sin6_addr.s6_addr[12], addr, (socklen_t)cap);
			*v6 = 0;
		} else {
			inet_ntop(AF_INET6, &sin6.sin6_addr, addr, (socklen_t)cap);
			*v6 = 1;
		}
		*port = ntohs(sin6.sin6_port);
		return 0;
	}
	return -1;
}

static void mac_strs(const struct dev *d, char colon[18], char plain[13])
{
	if (!d->has_mac) {
		strcpy(colon, "-");
		strcpy(plain, "-");
		return;
	}
	snprintf(colon, 18, "%02x:%02x:%02x:%02x:%02x:%02x", d->mac[0], d->mac[1], d->mac[2],
		 d->mac[3], d->mac[4], d->mac[5]);
	hexstr(d->mac, 6, plain, 13);
}

static struct dev *dev_get(const char *addr, int v6)
{
	struct dev *d, *free_slot = NULL, *oldest = &g_dev[0];
	size_t i;

	for (i = 0; i < PS_MAX_DEV; i++) {
		d = &g_dev[i];
		if (d->used && strcmp(d->addr, addr) == 0) {
			d->seq = ++g_seq;
			return d;
		}
		if (!d->used && free_slot == NULL)
			free_slot = d;
		if (d->seq < oldest->seq)
			oldest = d;
	}
	d = free_slot ? free_slot : oldest;
	if (d->ss != NULL && g_nclose < PS_MAX_DEV)
		g_close[g_nclose++] = d->ss;
	memset(d, 0, sizeof(*d));
	d->used = 1;
	d->seq = ++g_seq;
	d->v6 = v6;
	d->fam = FAM_IETF;
	snprintf(d->addr, sizeof(d->addr), "%s", addr);
	if (v6)
		snprintf(d->peer, sizeof(d->peer), "[%s]:%u", addr, g_opt.dev_port);
	else
		snprintf(d->peer, sizeof(d->peer), "%s:%u", addr, g_opt.dev_port);
	return d;
}

/* ---------------------------------------------------------------- GET / SET (client side) */

static int on_response(int op, netsnmp_session *sess, int reqid, netsnmp_pdu *pdu, void *magic);

/* ---------------------------------------------------------------- SNMPv3 USM (Secure) */

size_t ps_engine(uint8_t *eid, size_t cap, uint32_t *boots, uint32_t *time_s)
{
	size_t n = g_opt.eid_len < cap ? g_opt.eid_len : cap;

	memcpy(eid, g_opt.eid, n);
	*boots = (uint32_t)snmpv3_local_snmpEngineBoots();
	*time_s = (uint32_t)snmpv3_local_snmpEngineTime();
	return n;
}

static void usm_drop(const uint8_t *eid, size_t eid_len, const char *name)
{
	struct usmUser *u = usm_get_user((u_char *)(uintptr_t)eid, eid_len, (char *)(uintptr_t)name);

	if (u != NULL) {
		usm_remove_user(u);
		usm_free_user(u);       /* zeroes the keys */
	}
}

/* One USM entry (eid, name) with localized keys, READONLY (never persisted), replacing. */
static int usm_put(const uint8_t *eid, size_t eid_len, const struct ps_km_sa *sa)
{
	struct usmUser *u;
	const oid *ap, *pp;
	size_t apn, ppn;

	if (sa->cs.auth == KM_SNMP_AUTH_MD5) {
		ap = usmHMACMD5AuthProtocol;
		apn = OID_LENGTH(usmHMACMD5AuthProtocol);
	} else {
		ap = usmHMACSHA1AuthProtocol;
		apn = OID_LENGTH(usmHMACSHA1AuthProtocol);
	}
	if (sa->cs.priv == KM_SNMP_PRIV_DES) {
		pp = usmDESPrivProtocol;
		ppn = OID_LENGTH(usmDESPrivProtocol);
	} else if (sa->cs.priv == KM_SNMP_PRIV_AES) {
		pp = usmAESPrivProtocol;
		ppn = OID_LENGTH(usmAESPrivProtocol);
	} else {
		pp = usmNoPrivProtocol;
		ppn = OID_LENGTH(usmNoPrivProtocol);
	}
	usm_drop(eid, eid_len, sa->user);
	u = usm_create_user();
	if (u == NULL)
		return -1;
	SNMP_FREE(u->authProtocol);
	SNMP_FREE(u->privProtocol);
	u->engineID = netsnmp_memdup(eid, eid_len);
	u->engineIDLen = eid_len;
	u->name = strdup(sa->user);
	u->secName = strdup(sa->user);
	u->authProtocol = snmp_duplicate_objid(ap, apn);
	u->authProtocolLen = apn;
	u->privProtocol = snmp_duplicate_objid(pp, ppn);
	u->privProtocolLen = ppn;
	u->authKey = netsnmp_memdup(sa->keys.auth, sa->keys.auth_len);
	u->authKeyLen = sa->keys.auth_len;
	if (sa->keys.priv_len > 0) {
		u->privKey = netsnmp_memdup(sa->keys.priv, sa->keys.priv_len);
		u->privKeyLen = sa->keys.priv_len;
	}
	u->userStorageType = ST_READONLY;
	u->userStatus = RS_ACTIVE;
	if (u->engineID == NULL || u->name == NULL || u->secName == NULL || u->authProtocol == NULL ||
	    u->privProtocol == NULL || u->authKey == NULL ||
	    (sa->keys.priv_len > 0 && u->privKey == NULL)) {
		usm_free_user(u);
		return -1;
	}
	usm_add_user(u);
	return 0;
}

/*
 * README-km.md 4/6: the SA's keys are the LOCALIZED keys of its user under both engine IDs: the
 * eUE's (our GET/SET to its agent, which is authoritative there) and ours (its INFORMs to us).
 * The eUE's boots/time from the AP Request seed the LCD, so the first SET needs no
 * notInTimeWindow round; stale values are corrected by the agent's report.
 */
/* --usm-keys-file: one line per AP Reply, for Net-SNMP's own client to read the eUE's agent
 * with the keys of key management (snmpget -l authPriv -3k -3K -e): the independent check of
 * the derivation's use in the eUE.  Secrets in a file: a lab tool's oracle, never a product's. */
static void usm_keys_dump(const struct ps_km_sa *sa)
{
	FILE *f;
	int fd;
	size_t i;

	if (g_opt.usm_keys_file == NULL)
		return;
	fd = open(g_opt.usm_keys_file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	f = fd < 0 ? NULL : fdopen(fd, "a");
	if (f == NULL) {
		if (fd >= 0)
			close(fd);
		ps_log("error what=usm-keys-file errno=%d", errno);
		return;
	}
	fprintf(f, "addr=%s user=%s auth=%s priv=%s engine=0x", sa->addr, sa->user,
		sa->cs.auth == KM_SNMP_AUTH_MD5 ? "MD5" : "SHA",
		sa->cs.priv == KM_SNMP_PRIV_DES ? "DES" : sa->cs.priv == KM_SNMP_PRIV_AES ? "AES" : "none");
	for (i = 0; i < sa->eue_eid_len; i++)
		fprintf(f, "%02x", sa->eue_eid[i]);
	fprintf(f, " authkey=0x");
	for (i = 0; i < sa->keys.auth_len; i++)
		fprintf(f, "%02x", sa->keys.auth[i]);
	fprintf(f, " privkey=0x");
	for (i = 0; i < sa->keys.priv_len; i++)
		fprintf(f, "%02x", sa->keys.priv[i]);
	/* what they come from: the no-secrets scenario looks for these in the eUE's logs too */
	fprintf(f, " session=0x");
	for (i = 0; i < sa->session_len; i++)
		fprintf(f, "%02x", sa->session[i]);
	fprintf(f, " subkey=0x");
	for (i = 0; i < sa->subkey_len; i++)
		fprintf(f, "%02x", sa->subkey[i]);
	fprintf(f, "\n");
	fclose(f);
}

int ps_usm_install(const struct ps_km_sa *sa)
{
	struct dev *d;
	size_t i;

	if (usm_put(sa->eue_eid, sa->eue_eid_len, sa) != 0 ||
	    usm_put(g_opt.eid, g_opt.eid_len, sa) != 0) {
		usm_drop(sa->eue_eid, sa->eue_eid_len, sa->user);
		return -1;
	}
	set_enginetime((u_char *)(uintptr_t)sa->eue_eid, (u_int)sa->eue_eid_len, sa->eue_boots,
		       sa->eue_time, TRUE);
	usm_keys_dump(sa);
	/* a rekey: a device session opened with the old keys is opened again on next use */
	for (i = 0; i < PS_MAX_DEV; i++) {
		d = &g_dev[i];
		if (d->used && d->v3 && strcmp(d->user, sa->user) == 0 && d->ss != NULL &&
		    d->kind == REQ_NONE && g_nclose < PS_MAX_DEV) {
			g_close[g_nclose++] = d->ss;
			d->ss = NULL;
		}
	}
	return 0;
}

/* A v3 session to the device's agent with the SA's user, to the eUE's engine ID (no probe). */
static int session_v3(struct dev *d, netsnmp_session *s)
{
	const struct ps_km_sa *sa = ps_km_sa_by_user(d->user, strlen(d->user));
	struct usmUser *u;

	if (sa == NULL || (u = usm_get_user((u_char *)(uintptr_t)sa->eue_eid, sa->eue_eid_len,
					    d->user)) == NULL) {
		ps_log("error what=session to=%s reason=no-usm-user user=%s", d->peer, d->user);
		return -1;
	}
	s->version = SNMP_VERSION_3;
	s->securityModel = SNMP_SEC_MODEL_USM;
	s->securityName = d->user;
	s->securityNameLen = strlen(d->user);
	s->securityLevel = sa->cs.priv == KM_SNMP_PRIV_NULL ? SNMP_SEC_LEVEL_AUTHNOPRIV :
			   SNMP_SEC_LEVEL_AUTHPRIV;
	s->securityAuthProto = u->authProtocol;
	s->securityAuthProtoLen = u->authProtocolLen;
	s->securityPrivProto = u->privProtocol;
	s->securityPrivProtoLen = u->privProtocolLen;
	s->securityEngineID = (u_char *)(uintptr_t)sa->eue_eid;
	s->securityEngineIDLen = sa->eue_eid_len;
	s->contextEngineID = (u_char *)(uintptr_t)sa->eue_eid;
	s->contextEngineIDLen = sa->eue_eid_len;
	return 0;
}

static int dev_session(struct dev *d)
{
	netsnmp_session s;
	char peername[INET6_ADDRSTRLEN + 24];

	if (d->ss != NULL)
		return 0;
	snprintf(peername, sizeof(peername), "%s:%s", d->v6 ? "udp6" : "udp", d->peer);
	snmp_sess_init(&s);
	if (d->v3) {
		if (session_v3(d, &s) != 0)
			return -1;
	} else {
		s.version = SNMP_VERSION_2c;
		s.community = (u_char *)g_opt.rw_community;
		s.community_len = strlen(g_opt.rw_community);
	}
	s.peername = peername;
	s.retries = g_opt.retries;
	s.timeout = g_opt.timeout_ms * 1000L;
	d->ss = snmp_open(&s);
	if (d->ss == NULL) {
		int liberr = 0, syserr = 0;
		char *msg = NULL;

		snmp_error(&s, &liberr, &syserr, &msg);
		ps_log("error what=session to=%s reason=\"%s\"", d->peer, msg ? msg : "?");
		free(msg);
		return -1;
	}
	return 0;
}

static int dev_send(struct dev *d, netsnmp_pdu *pdu, enum req_kind kind)
{
	int id;

	if (dev_session(d) != 0) {
		snmp_free_pdu(pdu);
		return -1;
	}
	id = snmp_async_send(d->ss, pdu, on_response, d);
	if (id == 0) {
		ps_log("error what=send to=%s reason=\"%s\"", d->peer, snmp_api_errstring(snmp_errno));
		snmp_free_pdu(pdu);
		return -1;
	}
	d->kind = kind;
	d->reqid = id;
	return id;
}

static void url_make(const struct dev *d, const char *name, char *out, size_t cap)
{
	const char *scheme = g_opt.http ? "http" : "tftp";
	const char *host = g_opt.url_fqdn;

	if (g_opt.literal) {
		if (d->v6 && g_opt.url_v6 != NULL) {
			snprintf(out, cap, "%s://[%s]/%s", scheme, g_opt.url_v6, name);
			return;
		}
		host = !d->v6 && g_opt.url_v4 != NULL ? g_opt.url_v4 : NULL;
	}
	if (host == NULL) {
		out[0] = '\0';
		return;
	}
	snprintf(out, cap, "%s://%s/%s", scheme, host, name);
}

/* eUE-18 then eUE-19 for one device. */
static void provision(struct dev *d)
{
	struct ps_file f;
	char macc[18], mach[13], name[64], hx[2 * CFG_SHA1_LEN + 1];
	netsnmp_pdu *pdu;
	size_t i;

	mac_strs(d, macc, mach);
	if (d->has_mac)
		snprintf(name, sizeof(name), "%s", mach);
	else {
		/* no MAC known: the address names the file (':' and '.' kept out of file names) */
		snprintf(name, sizeof(name), "dev-%s", d->addr);
		for (i = 0; name[i] != '\0'; i++)
			if (name[i] == ':' || name[i] == '.')
				name[i] = '-';
	}
	if (ps_cfg_build(&g_opt.cfg, name, macc, mach, d->addr, &f) != 0) {
		ps_log("error what=provision to=%s mac=%s reason=file", d->peer, macc);
		return;
	}
	url_make(d, f.name, d->url, sizeof(d->url));
	if (d->url[0] == '\0') {
		ps_log("error what=url to=%s reason=no-server-for-family", d->peer);
		return;
	}
	memcpy(d->hash, f.sha1, CFG_SHA1_LEN);
	if (g_opt.bad_hash)
		d->hash[0] ^= 0xff;     /* --bad-hash: the device must fail eUE-23 */
	hexstr(d->hash, CFG_SHA1_LEN, hx, sizeof(hx));
	if (g_opt.no_set) {
		ps_log("set-skipped to=%s mac=%s url=%s hash=%s reason=no-set", d->peer, macc, d->url, hx);
		return;
	}
	/* eUE-19: both objects in ONE SET PDU */
	pdu = snmp_pdu_create(SNMP_MSG_SET);
	snmp_pdu_add_variable(pdu, fam_oids[d->fam].cfgfile.o, fam_oids[d->fam].cfgfile.len,
			      ASN_OCTET_STR, d->url, strlen(d->url));
	snmp_pdu_add_variable(pdu, fam_oids[d->fam].hash.o, fam_oids[d->fam].hash.len,
			      ASN_OCTET_STR, d->hash, CFG_SHA1_LEN);
	if (dev_send(d, pdu, REQ_SET) > 0)
		ps_log("set-sent to=%s mac=%s mib=%s url=%s hash=%s badhash=%d reqid=%d v3=%d%s%s",
		       d->peer, macc, fam_name[d->fam], d->url, hx, g_opt.bad_hash, d->reqid, d->v3,
		       d->v3 ? " user=" : "", d->v3 ? d->user : "");
}

static void get_info(struct dev *d)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET);

	snmp_add_null_var(pdu, oid_sysdescr, sizeof(oid_sysdescr) / sizeof(oid));
	snmp_add_null_var(pdu, ietf_serial, sizeof(ietf_serial) / sizeof(oid));
	snmp_add_null_var(pdu, oid_ifphys1, sizeof(oid_ifphys1) / sizeof(oid));
	if (dev_send(d, pdu, REQ_GET) > 0)
		ps_log("get-sent to=%s reqid=%d", d->peer, d->reqid);
	else
		provision(d);
}

static void mac_from(struct dev *d, const netsnmp_variable_list *v)
{
	if (v->type == ASN_OCTET_STR && v->val_len == 6 &&
	    oid_under(v->name, v->name_length, oid_ifphys, sizeof(oid_ifphys) / sizeof(oid))) {
		memcpy(d->mac, v->val.string, 6);
		d->has_mac = 1;
	}
}

static int on_response(int op, netsnmp_session *sess, int reqid, netsnmp_pdu *pdu, void *magic)
{
	struct dev *d = magic;
	enum req_kind kind = d->kind;
	const netsnmp_variable_list *v;
	char val[1200], o[256];
	const char *what = kind == REQ_GET ? "get" : "set";
	char hx[2 * CFG_SHA1_LEN + 1];

	(void)sess;
	if (!d->used || reqid != d->reqid || kind == REQ_NONE)
		return 1;       /* an answer for a slot that was reused: nothing waits for it */
	if (op == NETSNMP_CALLBACK_OP_RESEND) {
		ps_log("%s-resend to=%s reqid=%d", what, d->peer, reqid);
		return 1;       /* the library retransmits (session retries): still waiting */
	}
	d->kind = REQ_NONE;
	hexstr(d->hash, CFG_SHA1_LEN, hx, sizeof(hx));
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE) {
		const char *why = op == NETSNMP_CALLBACK_OP_TIMED_OUT ? "timeout" : "send-failed";

		if (kind == REQ_SET)
			ps_log("set to=%s url=%s hash=%s status=%s reqid=%d", d->peer, d->url, hx, why, reqid);
		else
			ps_log("get to=%s status=%s reqid=%d", d->peer, why, reqid);
	} else {
		if (kind == REQ_SET)
			ps_log("set to=%s url=%s hash=%s status=%s index=%ld reqid=%d%s", d->peer, d->url,
			       hx, errstat_name(pdu->errstat), pdu->errindex, reqid, d->v3 ? " v3=1" : "");
		else
			ps_log("get to=%s status=%s index=%ld reqid=%d", d->peer, errstat_name(pdu->errstat),
			       pdu->errindex, reqid);
		for (v = pdu->variables; v != NULL; v = v->next_variable) {
			oid_str(v->name, v->name_length, o, sizeof(o));
			value_str(v, val, sizeof(val));
			ps_log("%s-varbind to=%s oid=%s %s", what, d->peer, o, val);
			if (kind == REQ_GET && pdu->errstat == SNMP_ERR_NOERROR)
				mac_from(d, v);
		}
	}
	if (kind == REQ_GET)
		provision(d);   /* eUE-16/17 are informative: the file is built whatever they gave */
	return 1;
}

/* ---------------------------------------------------------------- notifications (server side) */

static void on_enroll(struct dev *d, const char *from, const netsnmp_pdu *pdu, int fam, unsigned nvb)
{
	const netsnmp_variable_list *v;
	char macc[18], mach[13];

	for (v = pdu->variables; v != NULL; v = v->next_variable)
		mac_from(d, v);
	d->fam = g_opt.mib >= 0 ? g_opt.mib : fam;
	mac_strs(d, macc, mach);
	ps_log("enroll from=%s mac=%s mib=%s varbinds=%u%s%s", from, macc, fam_name[fam], nvb,
	       d->v3 ? " v3=1 user=" : "", d->v3 ? d->user : "");
	if (d->kind != REQ_NONE) {
		ps_log("drop from=%s reason=busy outstanding=%s", from,
		       d->kind == REQ_GET ? "GET" : "SET");
		return;
	}
	if (g_opt.do_get)
		get_info(d);
	else
		provision(d);
}

static void on_status(struct dev *d, const char *from, const netsnmp_pdu *pdu, int fam, unsigned nvb)
{
	const netsnmp_variable_list *v;
	char macc[18], mach[13], state[32] = "-";

	for (v = pdu->variables; v != NULL; v = v->next_variable) {
		mac_from(d, v);
		if (oid_under(v->name, v->name_length, fam_oids[fam].state.o, fam_oids[fam].state.len) &&
		    v->type == ASN_INTEGER)
			snprintf(state, sizeof(state), "%ld", *v->val.integer);
	}
	mac_strs(d, macc, mach);
	ps_log("status from=%s mac=%s mib=%s state=%s varbinds=%u%s%s", from, macc, fam_name[fam],
	       state, nvb, d->v3 ? " v3=1 user=" : "", d->v3 ? d->user : "");
}

/*
 * The device speaks as its last notification did: SNMPv3 with the SA's user (sa) or v2c.  A
 * change of mode or user drops the old session (closed after snmp_read()).
 */
static void dev_mode(struct dev *d, const struct ps_km_sa *sa)
{
	int v3 = sa != NULL;

	if (d->v3 == v3 && (!v3 || strcmp(d->user, sa->user) == 0))
		return;
	if (d->ss != NULL && d->kind == REQ_NONE && g_nclose < PS_MAX_DEV) {
		g_close[g_nclose++] = d->ss;
		d->ss = NULL;
	}
	d->v3 = v3;
	snprintf(d->user, sizeof(d->user), "%s", v3 ? sa->user : "");
}

static int on_notify(int op, netsnmp_session *sess, int reqid, netsnmp_pdu *pdu, void *magic)
{
	char addr[INET6_ADDRSTRLEN], from[INET6_ADDRSTRLEN + 16], o[256], val[1200], trap[256] = "-";
	const netsnmp_variable_list *v;
	const netsnmp_variable_list *tv = NULL;
	unsigned port = 0, n = 0;
	int v6 = 0, fam;
	struct dev *d;
	netsnmp_pdu *reply;
	const struct ps_km_sa *sa = NULL;
	char v3note[64] = "";

	(void)reqid;
	(void)magic;
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE)
		return 1;
	if (pdu_source(pdu, addr, sizeof(addr), &port, &v6) != 0) {
		strcpy(addr, "?");
		v6 = 0;
	}
	snprintf(from, sizeof(from), v6 ? "[%s]:%u" : "%s:%u", addr, port);
	if (pdu->command != SNMP_MSG_INFORM && pdu->command != SNMP_MSG_TRAP2) {
		/* an SNMPv3 message USM refused reaches us with no PDU (the usm line counts why) */
		ps_log("drop from=%s reason=%s command=0x%02x", from,
		       pdu->version == SNMP_VERSION_3 && pdu->command == 0 ? "usm" : "pdu-type",
		       (unsigned)pdu->command);
		return 1;
	}
	if (pdu->version == SNMP_VERSION_3) {
		/*
		 * USM has authenticated (and decrypted) it with a user we know, under our engine
		 * ID; what is left: the user must be a key-management SA's, at its level.
		 */
		if (pdu->securityModel != SNMP_SEC_MODEL_USM || pdu->securityName == NULL ||
		    (sa = ps_km_sa_by_user(pdu->securityName, pdu->securityNameLen)) == NULL) {
			ps_log("drop from=%s reason=user version=3", from);
			return 1;
		}
		if (pdu->securityLevel < (sa->cs.priv == KM_SNMP_PRIV_NULL ? SNMP_SEC_LEVEL_AUTHNOPRIV :
					  SNMP_SEC_LEVEL_AUTHPRIV)) {
			ps_log("drop from=%s reason=level version=3 user=%s level=%d", from, sa->user,
			       pdu->securityLevel);
			return 1;
		}
		snprintf(v3note, sizeof(v3note), " v3=1 user=%s", sa->user);
	} else if (pdu->version != SNMP_VERSION_2c) {
		/* v1 has no INFORM */
		ps_log("drop from=%s reason=version version=%ld", from, pdu->version);
		return 1;
	} else if (pdu->community_len != strlen(g_opt.community) ||
		   memcmp(pdu->community, g_opt.community, pdu->community_len) != 0) {
		ps_log("drop from=%s reason=community", from);
		return 1;
	}
	for (v = pdu->variables; v != NULL; v = v->next_variable) {
		n++;
		if (tv == NULL && v->type == ASN_OBJECT_ID &&
		    snmp_oid_compare(v->name, v->name_length, oid_trap, sizeof(oid_trap) / sizeof(oid)) == 0) {
			tv = v;
			oid_str(v->val.objid, v->val_len / sizeof(oid), trap, sizeof(trap));
		}
	}
	ps_log("inform from=%s pdu=%s reqid=%ld trap=%s varbinds=%u%s", from,
	       pdu->command == SNMP_MSG_INFORM ? "inform" : "trap2", pdu->reqid, trap, n, v3note);
	n = 0;
	for (v = pdu->variables; v != NULL; v = v->next_variable) {
		oid_str(v->name, v->name_length, o, sizeof(o));
		value_str(v, val, sizeof(val));
		ps_log("varbind from=%s n=%u oid=%s %s", from, ++n, o, val);
	}
	if (pdu->command == SNMP_MSG_INFORM) {
		/* RFC 3416 4.2.7: Response, same request-id and varbinds, noError */
		reply = snmp_clone_pdu(pdu);
		if (reply == NULL) {
			ps_log("error what=ack from=%s reason=nomem", from);
		} else {
			reply->command = SNMP_MSG_RESPONSE;
			reply->errstat = SNMP_ERR_NOERROR;
			reply->errindex = 0;
			if (snmp_send(sess, reply) == 0) {
				ps_log("error what=ack from=%s reason=\"%s\"", from,
				       snmp_api_errstring(snmp_errno));
				snmp_free_pdu(reply);
			} else {
				ps_log("ack from=%s reqid=%ld%s", from, pdu->reqid, v3note);
			}
		}
	}
	if (tv == NULL || addr[0] == '?')
		return 1;
	for (fam = 0; fam < FAM_N; fam++) {
		if (oid_eq(tv->val.objid, tv->val_len / sizeof(oid), &fam_oids[fam].enroll)) {
			d = dev_get(addr, v6);
			dev_mode(d, sa);
			on_enroll(d, from, pdu, fam, n);
			return 1;
		}
		if (oid_eq(tv->val.objid, tv->val_len / sizeof(oid), &fam_oids[fam].status)) {
			d = dev_get(addr, v6);
			dev_mode(d, sa);
			on_status(d, from, pdu, fam, n);
			return 1;
		}
	}
	return 1;
}

/* ---------------------------------------------------------------- setup and loop */

static const char usage[] =
	"usage: provsrv --template FILE [--tftp-root DIR] [--www-root DIR] [options]\n"
	"  --listen SPEC        Net-SNMP transport to receive INFORMs on, repeatable\n"
	"                       (default udp:162 and udp6:162; e.g. udp:198.51.100.10:162)\n"
	"  --community S        community the INFORMs must carry (public)\n"
	"  --rw-community S     community of the GET/SET to the device (private)\n"
	"  --device-port N      the device agent's port (161)\n"
	"  --url-scheme tftp|http        (tftp)\n"
	"  --url-host fqdn|literal       URL host: --url-fqdn, or the literal of the device's family\n"
	"  --url-fqdn NAME --url-v4 ADDR --url-v6 ADDR\n"
	"  --mib auto|ietf|cablelabs     OIDs of the SET (auto: the family of the enrollment)\n"
	"  --names ietf|cablelabs        bare names in the template (cablelabs)\n"
	"  -D NAME=VALUE        a template placeholder @NAME@ (also @MAC@, @MACHEX@, @DEVADDR@)\n"
	"  --in-file-hash       add the in-file hash TLV too (Basic style; Hybrid: off)\n"
	"  --get                GET sysDescr, pktcMtaDevSerialNumber, ifPhysAddress.1 first (eUE-16/17)\n"
	"  --bad-hash           SET a wrong hash (the device must fail eUE-23)\n"
	"  --no-set             never SET (the device's provisioning timer must fire)\n"
	"  --retries N --timeout-ms MS   SET/GET retransmissions (3, 1000)\n"
	"  --log FILE           log here instead of stderr\n"
	"Secure flow (key management on UDP 1293 of every --listen address, SNMPv3 USM):\n"
	"  --keytab FILE        the service principal's keytab (mtaprovsrvr/<fqdn>); enables it\n"
	"  --krb5-conf FILE     KRB5_CONFIG for libkrb5\n"
	"  --km-port N          (1293)\n"
	"  --km-lifetime S --km-grace S  AP Reply lifetime and grace, seconds (604800, 3600)\n"
	"  --km-replay-ms MS[,MS...]  replay each AP Reply, unasked, MS ms after it (a fault)\n"
	"  --km-wakeup-ms MS    a Wake Up to each device MS ms after its first AP Reply\n"
	"  --km-no-aes          do not choose AES privacy (the next offered suite is taken)\n"
	"  --engine-id HEX      our snmpEngineID (80 00 11 8b 04 \"provsrv\": RFC 3411 text format)\n"
	"  --usm-keys-file F    append each device's derived USM keys to F (mode 0600): the lab's\n"
	"                       oracle for Net-SNMP's snmpget -3k/-3K; a lab tool only, never a device\n";

static int hex_parse(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = 0;
	unsigned v;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	while (*s != '\0') {
		if (n == cap || sscanf(s, "%2x", &v) != 1 || s[1] == '\0')
			return -1;
		out[n++] = (uint8_t)v;
		s += 2;
	}
	*len = n;
	return 0;
}

static void die_usage(const char *msg, const char *arg)
{
	fprintf(stderr, "provsrv: %s%s%s\n%s", msg, arg ? ": " : "", arg ? arg : "", usage);
	exit(1);
}

static void parse_opts(int argc, char **argv)
{
	enum { O_LISTEN = 256, O_COMM, O_RWCOMM, O_PORT, O_SCHEME, O_HOST, O_FQDN, O_V4, O_V6, O_MIB,
	       O_NAMES, O_INHASH, O_GET, O_BAD, O_NOSET, O_RETRIES, O_TIMEOUT, O_LOG, O_TPL, O_TFTP,
	       O_WWW, O_KEYTAB, O_KRB5CONF, O_KMPORT, O_KMLIFE, O_KMGRACE, O_KMNOAES, O_EID, O_KMREPLAY, O_KMWAKE,
	       O_KEYSFILE };
	static const struct option lo[] = {
		{ "listen", required_argument, NULL, O_LISTEN },
		{ "community", required_argument, NULL, O_COMM },
		{ "rw-community", required_argument, NULL, O_RWCOMM },
		{ "device-port", required_argument, NULL, O_PORT },
		{ "url-scheme", required_argument, NULL, O_SCHEME },
		{ "url-host", required_argument, NULL, O_HOST },
		{ "url-fqdn", required_argument, NULL, O_FQDN },
		{ "url-v4", required_argument, NULL, O_V4 },
		{ "url-v6", required_argument, NULL, O_V6 },
		{ "mib", required_argument, NULL, O_MIB },
		{ "names", required_argument, NULL, O_NAMES },
		{ "in-file-hash", no_argument, NULL, O_INHASH },
		{ "get", no_argument, NULL, O_GET },
		{ "bad-hash", no_argument, NULL, O_BAD },
		{ "no-set", no_argument, NULL, O_NOSET },
		{ "retries", required_argument, NULL, O_RETRIES },
		{ "timeout-ms", required_argument, NULL, O_TIMEOUT },
		{ "log", required_argument, NULL, O_LOG },
		{ "template", required_argument, NULL, O_TPL },
		{ "tftp-root", required_argument, NULL, O_TFTP },
		{ "www-root", required_argument, NULL, O_WWW },
		{ "keytab", required_argument, NULL, O_KEYTAB },
		{ "krb5-conf", required_argument, NULL, O_KRB5CONF },
		{ "km-port", required_argument, NULL, O_KMPORT },
		{ "km-lifetime", required_argument, NULL, O_KMLIFE },
		{ "km-grace", required_argument, NULL, O_KMGRACE },
		{ "km-no-aes", no_argument, NULL, O_KMNOAES },
		{ "km-replay-ms", required_argument, NULL, O_KMREPLAY },
		{ "km-wakeup-ms", required_argument, NULL, O_KMWAKE },
		{ "engine-id", required_argument, NULL, O_EID },
		{ "usm-keys-file", required_argument, NULL, O_KEYSFILE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts *o = &g_opt;
	char *eq, *end;
	int c;
	long n;

	o->community = "public";
	o->rw_community = "private";
	o->dev_port = 161;
	o->mib = -1;
	o->retries = 3;
	o->timeout_ms = 1000;
	o->cfg.prefer_module = mib_module_by_name("PKTC-MTA-MIB", 12);
	o->cfg.in_file_hash = -1;
	o->km.port = KM_PORT;
	o->km.lifetime = 604800;
	o->km.grace = 3600;
	memcpy(o->eid, "\x80\x00\x11\x8b\x04provsrv", 12);
	o->eid_len = 12;
	while ((c = getopt_long(argc, argv, "D:h", lo, NULL)) != -1) {
		switch (c) {
		case O_LISTEN:
			if (o->nlisten == PS_MAX_LISTEN)
				die_usage("too many --listen", NULL);
			o->listen[o->nlisten++] = optarg;
			break;
		case O_COMM: o->community = optarg; break;
		case O_RWCOMM: o->rw_community = optarg; break;
		case O_PORT:
			n = strtol(optarg, &end, 10);
			if (*end != '\0' || n < 1 || n > 65535)
				die_usage("bad --device-port", optarg);
			o->dev_port = (unsigned)n;
			break;
		case O_SCHEME:
			if (strcmp(optarg, "tftp") == 0) o->http = 0;
			else if (strcmp(optarg, "http") == 0) o->http = 1;
			else die_usage("bad --url-scheme", optarg);
			break;
		case O_HOST:
			if (strcmp(optarg, "fqdn") == 0) o->literal = 0;
			else if (strcmp(optarg, "literal") == 0) o->literal = 1;
			else die_usage("bad --url-host", optarg);
			break;
		case O_FQDN: o->url_fqdn = optarg; break;
		case O_V4: o->url_v4 = optarg; break;
		case O_V6: o->url_v6 = optarg; break;
		case O_MIB:
			if (strcmp(optarg, "auto") == 0) o->mib = -1;
			else if (strcmp(optarg, "ietf") == 0) o->mib = FAM_IETF;
			else if (strcmp(optarg, "cablelabs") == 0) o->mib = FAM_CL;
			else die_usage("bad --mib", optarg);
			break;
		case O_NAMES:
			if (strcmp(optarg, "ietf") == 0)
				o->cfg.prefer_module = mib_module_by_name("PKTC-IETF-MTA-MIB", 17);
			else if (strcmp(optarg, "cablelabs") == 0)
				o->cfg.prefer_module = mib_module_by_name("PKTC-MTA-MIB", 12);
			else
				die_usage("bad --names", optarg);
			break;
		case O_INHASH: o->cfg.in_file_hash = CFG_HASH_CL; break;
		case O_GET: o->do_get = 1; break;
		case O_BAD: o->bad_hash = 1; break;
		case O_NOSET: o->no_set = 1; break;
		case O_RETRIES:
			n = strtol(optarg, &end, 10);
			if (*end != '\0' || n < 0 || n > 20)
				die_usage("bad --retries", optarg);
			o->retries = (int)n;
			break;
		case O_TIMEOUT:
			n = strtol(optarg, &end, 10);
			if (*end != '\0' || n < 10 || n > 60000)
				die_usage("bad --timeout-ms", optarg);
			o->timeout_ms = n;
			break;
		case O_LOG: o->log_path = optarg; break;
		case O_TPL: o->cfg.template_path = optarg; break;
		case O_TFTP: o->cfg.tftp_root = optarg; break;
		case O_WWW: o->cfg.www_root = optarg; break;
		case O_KEYTAB: o->km.keytab = optarg; break;
		case O_KRB5CONF: o->km.krb5_conf = optarg; break;
		case O_KMPORT:
			n = strtol(optarg, &end, 10);
			if (*end != '\0' || n < 1 || n > 65535)
				die_usage("bad --km-port", optarg);
			o->km.port = (unsigned)n;
			break;
		case O_KMLIFE:
		case O_KMGRACE:
			n = strtol(optarg, &end, 10);
			if (*end != '\0' || n < 0 || n > 0x7fffffffL)
				die_usage("bad --km-lifetime/--km-grace", optarg);
			if (c == O_KMLIFE)
				o->km.lifetime = (uint32_t)n;
			else
				o->km.grace = (uint32_t)n;
			break;
		case O_KMNOAES: o->km.no_aes = 1; break;
		case O_KMREPLAY:   /* MS[,MS...]: each AP Reply replayed unasked after MS ms */
			for (end = optarg; *end != '\0'; end++) {
				if (o->km.nreplay == sizeof(o->km.replay_ms) / sizeof(o->km.replay_ms[0]))
					die_usage("bad --km-replay-ms (at most 4)", optarg);
				n = strtol(end, &end, 10);
				if (n <= 0 || n > 600000 || (*end != ',' && *end != '\0'))
					die_usage("bad --km-replay-ms", optarg);
				o->km.replay_ms[o->km.nreplay++] = (unsigned)n;
				if (*end == '\0')
					break;
			}
			break;
		case O_KEYSFILE:
			o->usm_keys_file = optarg;
			break;
		case O_KMWAKE:     /* MS: a Wake Up MS ms after a device's first AP Reply */
			n = strtol(optarg, &end, 10);
			if (n <= 0 || n > 600000 || *end != '\0')
				die_usage("bad --km-wakeup-ms", optarg);
			o->km.wakeup_ms = (unsigned)n;
			break;
		case O_EID:
			if (hex_parse(optarg, o->eid, sizeof(o->eid), &o->eid_len) != 0 ||
			    o->eid_len < KM_ENGINEID_MIN)
				die_usage("bad --engine-id (5..32 bytes of hex)", optarg);
			break;
		case 'D':
			eq = strchr(optarg, '=');
			if (eq == NULL || eq == optarg || o->cfg.ndefs == PS_MAX_DEFS)
				die_usage("bad -D (NAME=VALUE)", optarg);
			*eq = '\0';
			o->cfg.def_name[o->cfg.ndefs] = optarg;
			o->cfg.def_value[o->cfg.ndefs++] = eq + 1;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:
			die_usage("bad option", NULL);
		}
	}
	if (optind != argc)
		die_usage("unexpected argument", argv[optind]);
	if (o->cfg.template_path == NULL)
		die_usage("--template is required", NULL);
	if (o->cfg.tftp_root == NULL && o->cfg.www_root == NULL)
		die_usage("--tftp-root or --www-root is required", NULL);
	if (!o->literal && o->url_fqdn == NULL)
		die_usage("--url-host fqdn needs --url-fqdn", NULL);
	if (o->literal && o->url_v4 == NULL && o->url_v6 == NULL)
		die_usage("--url-host literal needs --url-v4 and/or --url-v6", NULL);
	if (o->cfg.prefer_module < 0)
		die_usage("MIB module table", NULL);
	if (o->nlisten == 0) {
		o->listen[o->nlisten++] = "udp:162";
		o->listen[o->nlisten++] = "udp6:162";
	}
}

/* Net-SNMP's own messages ("Authentication failed for ..."): one log line each, never stderr. */
static int on_snmplib_log(int major, int minor, void *server_arg, void *client_arg)
{
	const struct snmp_log_message *m = server_arg;
	char text[256];
	size_t i;

	(void)major;
	(void)minor;
	(void)client_arg;
	if (m == NULL || m->msg == NULL)
		return 0;
	snprintf(text, sizeof(text), "%s", m->msg);
	for (i = 0; text[i] != '\0'; i++)
		if (text[i] == '\n' || text[i] == '"')
			text[i] = text[i] == '\n' ? ' ' : '\'';
	while (i > 0 && text[i - 1] == ' ')
		text[--i] = '\0';
	ps_log("snmplib priority=%d msg=\"%s\"", m->priority, text);
	return 0;
}

static void on_signal(int sig)
{
	g_stop = sig;
}

static void listen_all(void)
{
	netsnmp_transport *t;
	netsnmp_session s, *ss;
	size_t i;

	for (i = 0; i < g_opt.nlisten; i++) {
		t = netsnmp_transport_open_server("provsrv", g_opt.listen[i]);
		if (t == NULL) {
			ps_log("error what=listen spec=%s", g_opt.listen[i]);
			exit(2);
		}
		snmp_sess_init(&s);
		s.peername = SNMP_DEFAULT_PEERNAME;
		s.version = SNMP_DEFAULT_VERSION;      /* any version reaches on_notify, which checks */
		s.community_len = SNMP_DEFAULT_COMMUNITY_LEN;
		s.retries = SNMP_DEFAULT_RETRIES;
		s.timeout = SNMP_DEFAULT_TIMEOUT;
		s.callback = on_notify;
		s.isAuthoritative = SNMP_SESS_UNKNOWNAUTH;
		ss = snmp_add(&s, t, NULL, NULL);
		if (ss == NULL) {
			ps_log("error what=listen spec=%s reason=snmp_add", g_opt.listen[i]);
			exit(2);
		}
		ps_log("listen spec=%s", g_opt.listen[i]);
	}
}

static unsigned bad_total(void)
{
	return snmp_get_statistic(STAT_SNMPINASNPARSEERRS) + snmp_get_statistic(STAT_SNMPINBADVERSIONS) +
	       snmp_get_statistic(STAT_SNMPINVALIDMSGS) +
	       snmp_get_statistic(STAT_SNMPUNKNOWNSECURITYMODELS);
}

/*
 * Packets Net-SNMP threw away before any callback (garbage on port 162; the library's own
 * counters): at most one line a second, so a flood cannot fill the disk; the stop line has the
 * final count.
 */
static void bad_packets(void)
{
	static struct timespec last;
	struct timespec now;
	unsigned n = bad_total();

	if (n == g_bad_seen)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (g_bad_seen != 0 && now.tv_sec - last.tv_sec < 1)
		return;
	ps_log("badpacket total=%u", n);
	g_bad_seen = n;
	last = now;
}

/*
 * SNMPv3 messages USM refused before any callback (RFC 3414 3.2: the report it sent back is
 * the device's answer): the usmStats counters, one line when they change, at most one a second.
 * Discovery and time synchronisation move unknown-engine / not-in-time in normal operation.
 */
static const int usm_stats[] = {
	STAT_USMSTATSUNKNOWNENGINEIDS, STAT_USMSTATSNOTINTIMEWINDOWS, STAT_USMSTATSUNKNOWNUSERNAMES,
	STAT_USMSTATSWRONGDIGESTS, STAT_USMSTATSDECRYPTIONERRORS, STAT_USMSTATSUNSUPPORTEDSECLEVELS,
};
#define N_USM_STATS (sizeof(usm_stats) / sizeof(usm_stats[0]))
static unsigned g_usm_seen[N_USM_STATS];

static void usm_refused(int force)
{
	static struct timespec last;
	struct timespec now;
	unsigned v[N_USM_STATS];
	size_t i;
	int changed = 0;

	for (i = 0; i < N_USM_STATS; i++) {
		v[i] = snmp_get_statistic(usm_stats[i]);
		changed |= v[i] != g_usm_seen[i];
	}
	if (!changed && !force)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!force && last.tv_sec != 0 && now.tv_sec - last.tv_sec < 1)
		return;
	ps_log("usm unknown-engine=%u not-in-time=%u unknown-user=%u wrong-digest=%u decrypt=%u "
	       "level=%u", v[0], v[1], v[2], v[3], v[4], v[5]);
	memcpy(g_usm_seen, v, sizeof(v));
	last = now;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t block, orig;
	fd_set fds;
	struct timeval tv;
	struct timespec ts;
	int nfds, block_flag, rc;
	size_t i;

	parse_opts(argc, argv);
	g_log = stderr;
	if (g_opt.log_path != NULL) {
		g_log = fopen(g_opt.log_path, "a");
		if (g_log == NULL) {
			fprintf(stderr, "provsrv: %s: %s\n", g_opt.log_path, strerror(errno));
			return 2;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* signals are only taken inside pselect(): no lost wake-up between the check and the wait */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &orig);

	/* no MIB files (numeric OIDs only), no snmp.conf, no persistent state on disk */
	setenv("MIBS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	snmp_disable_log();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, on_snmplib_log, NULL);
	snmp_enable_calllog();
	init_snmp("provsrv");
	/* a stable engine ID (the AP Reply's ASD; the eUE's INFORMs go to it), entered in USM's LCD */
	if (set_exact_engineID(g_opt.eid, g_opt.eid_len) != SNMPERR_SUCCESS ||
	    set_enginetime(g_opt.eid, (u_int)g_opt.eid_len, (u_int)snmpv3_local_snmpEngineBoots(),
			   (u_int)snmpv3_local_snmpEngineTime(), TRUE) != SNMPERR_SUCCESS) {
		ps_log("error what=engine-id");
		return 2;
	}
	ps_log("start pid=%ld community=%s url=%s/%s mib=%s get=%d bad-hash=%d no-set=%d template=%s "
	       "tftp=%s www=%s", (long)getpid(), g_opt.community, g_opt.http ? "http" : "tftp",
	       g_opt.literal ? "literal" : "fqdn", g_opt.mib < 0 ? "auto" : fam_name[g_opt.mib],
	       g_opt.do_get, g_opt.bad_hash, g_opt.no_set, g_opt.cfg.template_path,
	       g_opt.cfg.tftp_root ? g_opt.cfg.tftp_root : "-",
	       g_opt.cfg.www_root ? g_opt.cfg.www_root : "-");
	{
		char eh[2 * KM_ENGINEID_MAX + 1];

		hexstr(g_opt.eid, g_opt.eid_len, eh, sizeof(eh));
		ps_log("engine id=%s boots=%lu km=%s", eh, (unsigned long)snmpv3_local_snmpEngineBoots(),
		       g_opt.km.keytab ? "on" : "off");
	}
	listen_all();
	if (g_opt.km.keytab != NULL && ps_km_open(&g_opt.km, g_opt.listen, g_opt.nlisten) != 0)
		return 2;

	while (!g_stop) {
		nfds = 0;
		block_flag = 1;
		FD_ZERO(&fds);
		timerclear(&tv);
		snmp_select_info(&nfds, &fds, &tv, &block_flag);
		ps_km_fds(&fds, &nfds);
		ps_km_timeout(&tv, &block_flag);
		ts.tv_sec = tv.tv_sec;
		ts.tv_nsec = tv.tv_usec * 1000L;
		rc = pselect(nfds, &fds, NULL, NULL, block_flag ? NULL : &ts, &orig);
		if (rc > 0) {
			snmp_read(&fds);
			ps_km_read(&fds);
			bad_packets();
			usm_refused(0);
			while (g_nclose > 0)
				snmp_close(g_close[--g_nclose]);
		} else if (rc == 0) {
			snmp_timeout();
		} else if (errno != EINTR) {
			ps_log("error what=select reason=\"%s\"", strerror(errno));
			break;
		}
		ps_km_tick();
	}
	for (i = 0; i < PS_MAX_DEV; i++)
		if (g_dev[i].ss != NULL)
			snmp_close(g_dev[i].ss);
	ps_km_close();
	usm_refused(0);
	ps_log("stop signal=%d badpackets=%u", (int)g_stop, bad_total());
	snmp_shutdown("provsrv");
	if (g_log != stderr)
		fclose(g_log);
	return 0;
}
