/*
 * kmclient.c: a stand-in Secure eUE for the reference provisioning server's key management,
 * until eued speaks it: eUE-9/10 (PKINIT through kerberos/pkinit, as kprobe), eUE-13/14 (the AP
 * Request of kerberos/README-km.md with kerberos/pktc_km.h + km_keys.h + krb5_mk_req_extended,
 * the AP Reply checked: krb5_rd_rep, HMAC with its subkey), the USM keys derived (A1), and
 * then proof that both sides hold the same keys: the SNMPv3 authPriv enrollment INFORM to
 * provsrv's engine ID (eUE-15), the SET provsrv sends to OUR engine ID answered by a tiny agent
 * (eUE-19, with --agent), and the status INFORM (eUE-25).
 *
 *   kmclient --kdc ADDR --client P --service S --cert F --key F --anchor F [--chain F]...
 *            [--kdc-hostname H] [--state-dir D] --prov ADDR [--mac MAC] [--cs LIST]
 *            [--agent SPEC] [--bad-hmac] [--bad-keys] [--resend] [--no-snmp] [--wait MS]
 *
 * Prints names, lengths, algorithms and engine IDs; never a key, a ticket or an HMAC.
 * Exit 0 ok, 1 failed, 2 usage, 3 the server answered an Error Reply.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <krb5/krb5.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "kerberos/km_keys.h"
#include "kerberos/pkinit.h"
#include "kerberos/pktc_km.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/loop.h"
#include "platform/net.h"
#include "tlv/wr.h"

#define KC_BUF 8192

static const oid oid_uptime[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };
static const oid oid_trap[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
static const oid oid_enroll[] = { 1, 3, 6, 1, 2, 1, 140, 0, 1 };
static const oid oid_status[] = { 1, 3, 6, 1, 2, 1, 140, 0, 2 };
static const oid oid_ifphys1[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 6, 1 };
static const oid oid_state[] = { 1, 3, 6, 1, 2, 1, 140, 1, 1, 8, 0 };
static const oid oid_cfgfile[] = { 1, 3, 6, 1, 2, 1, 140, 1, 2, 9, 0 };
static const oid oid_hash[] = { 1, 3, 6, 1, 2, 1, 140, 1, 2, 11, 0 };

struct kc {
	struct loop *l;
	const struct pkinit_ticket *t;
	int rc;
	/* SNMP */
	char user[KM_USER_MAX + 1];
	uint8_t eid[KM_ENGINEID_MAX], prov_eid[KM_ENGINEID_MAX];
	size_t eid_len, prov_eid_len;
	struct km_cs cs;
	int acked;              /* last INFORM: 0 waiting, 1 acked, -1 failed */
	int set_seen;
};

static struct kc K = { .rc = 1 };

static void hex(const uint8_t *p, size_t n, char *out, size_t cap)
{
	static const char d[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n && 2 * i + 2 < cap; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * i] = '\0';
}

static void kc_done(struct pkinit *p, const struct pkinit_result *r, void *arg)
{
	(void)p;
	(void)arg;
	if (r->reason == PKINIT_R_OK) {
		K.t = r->ticket;
		printf("kmclient: ticket step=%s client=%s server=%s enctype=%d as_sent=%u\n", r->step,
		       pkinit_ticket_client(r->ticket), pkinit_ticket_server(r->ticket),
		       (int)pkinit_ticket_enctype(r->ticket), r->as_sent);
	} else {
		printf("kmclient: pkinit failed step=%s reason=%s text=\"%s\"\n", r->step,
		       pkinit_reason_str(r->reason), r->text);
	}
	fflush(stdout);
	loop_stop(K.l);
}

/* ---------------------------------------------------------------- key management (UDP 1293) */

/* One exchange: send req, wait for a datagram (3 tries, 2 s apart).  Returns its length or -1. */
static ssize_t exchange(const char *prov, unsigned port, const uint8_t *req, size_t reqlen,
			uint8_t *rep, size_t cap)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	struct pollfd pfd;
	socklen_t sl;
	ssize_t n = -1;
	int fd, tries;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, prov, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		sl = sizeof(*sin);
	} else if (inet_pton(AF_INET6, prov, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		sl = sizeof(*sin6);
	} else {
		fprintf(stderr, "kmclient: bad --prov %s\n", prov);
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sl) != 0) {
		fprintf(stderr, "kmclient: socket: %s\n", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	for (tries = 0; tries < 3 && n < 0; tries++) {
		if (send(fd, req, reqlen, 0) < 0) {
			fprintf(stderr, "kmclient: send: %s\n", strerror(errno));
			break;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 2000) == 1)
			n = recv(fd, rep, cap, 0);
	}
	close(fd);
	return n;
}

static int cs_parse(const char *s, struct km_msg *m)
{
	unsigned a, p;
	int k;

	m->n_cs = 0;
	while (*s != '\0') {
		if (m->n_cs == KM_CS_MAX || sscanf(s, "%2x/%2x%n", &a, &p, &k) != 2)
			return -1;
		m->cs[m->n_cs].auth = (uint8_t)a;
		m->cs[m->n_cs].priv = (uint8_t)p;
		m->n_cs++;
		s += k;
		if (*s == ',')
			s++;
	}
	return m->n_cs > 0 ? 0 : -1;
}

/*
 * eUE-13/14.  On success the keys are in *keys and K.cs / K.prov_eid are set; returns 0,
 * 3 (an Error Reply) or 1.
 */
static int key_management(const char *prov, unsigned port, const char *cs_text, int bad_hmac,
			  int resend, struct km_usm_keys *keys)
{
	krb5_context ctx = pkinit_ticket_context(K.t);
	krb5_creds *creds = (krb5_creds *)(uintptr_t)pkinit_ticket_creds(K.t);
	krb5_auth_context ac = NULL;
	krb5_ap_rep_enc_part *repl = NULL;
	krb5_keyblock *subkey = NULL;
	krb5_error *kerr = NULL;
	krb5_data apreq = { 0 }, in;
	krb5_error_code ret;
	struct km_msg m, r;
	struct km_diag d;
	struct wr w;
	uint8_t req[KC_BUF], rep[KC_BUF], rep2[KC_BUF];
	const uint8_t *skey;
	size_t sklen;
	ssize_t n, n2;
	char eh[2 * KM_ENGINEID_MAX + 1];
	int rc = 1;

	ret = krb5_auth_con_init(ctx, &ac);
	if (ret == 0)
		ret = krb5_mk_req_extended(ctx, &ac, AP_OPTS_MUTUAL_REQUIRED, NULL, creds, &apreq);
	if (ret != 0) {
		printf("kmclient: mk_req failed: %s\n", krb5_get_error_message(ctx, ret));
		goto out;
	}
	km_msg_init(&m, KM_AP_REQ);
	m.krb.p = (const uint8_t *)apreq.data;
	m.krb.len = apreq.length;
	m.nonce = 0;                    /* client-initiated (no Wake Up) */
	memcpy(m.asd.engine_id, K.eid, K.eid_len);
	m.asd.engine_id_len = (uint8_t)K.eid_len;
	m.asd.boots = (uint32_t)snmpv3_local_snmpEngineBoots();
	m.asd.time = (uint32_t)snmpv3_local_snmpEngineTime();
	snprintf(m.asd.user, sizeof(m.asd.user), "%s", K.user);
	if (cs_parse(cs_text, &m) != 0) {
		fprintf(stderr, "kmclient: bad --cs %s\n", cs_text);
		goto out;
	}
	m.reestablish = 0;
	wr_init(&w, req, sizeof(req));
	skey = pkinit_ticket_key(K.t, &sklen);
	if (km_encode(&m, &w) != 0 || km_mac_seal(req, w.len, m.hmac_off, skey, sklen) != 0) {
		printf("kmclient: AP Request could not be encoded\n");
		goto out;
	}
	if (bad_hmac)
		req[m.hmac_off] ^= 0x01;        /* --bad-hmac: the server must refuse it */
	printf("kmclient: ap-req to=%s port=%u bytes=%zu user=%s cs=%s hmac=%s\n", prov, port, w.len,
	       K.user, cs_text, bad_hmac ? "bad" : "ok");
	fflush(stdout);
	n = exchange(prov, port, req, w.len, rep, sizeof(rep));
	if (n < 0) {
		printf("kmclient: no answer from %s port %u\n", prov, port);
		goto out;
	}
	if (resend) {
		/* the device's retransmission after a lost AP Reply: the server must answer the same */
		n2 = exchange(prov, port, req, w.len, rep2, sizeof(rep2));
		printf("kmclient: resent ap-req answered=%d identical=%d\n", n2 >= 0,
		       n2 == n && memcmp(rep, rep2, (size_t)n) == 0);
	}
	if (km_decode(&r, rep, (size_t)n, &d) != 0) {
		printf("kmclient: answer does not decode: %s at %zu\n", km_reason_str(d.reason), d.off);
		goto out;
	}
	in.magic = KV5M_DATA;
	in.data = (char *)(uintptr_t)r.krb.p;
	in.length = (unsigned)r.krb.len;
	if (r.kmmid == KM_ERROR_REPLY) {
		if (krb5_rd_error(ctx, &in, &kerr) == 0) {
			printf("kmclient: error-reply code=%d text=\"%.*s\"\n", (int)kerr->error,
			       (int)kerr->text.length, kerr->text.data ? kerr->text.data : "");
			krb5_free_error(ctx, kerr);
		} else {
			printf("kmclient: error-reply (KRB_ERROR does not decode)\n");
		}
		rc = 3;
		goto out;
	}
	if (r.kmmid != KM_AP_REP) {
		printf("kmclient: unexpected kmmid %u\n", r.kmmid);
		goto out;
	}
	ret = krb5_rd_rep(ctx, ac, &in, &repl);
	if (ret == 0)
		ret = krb5_auth_con_getrecvsubkey(ctx, ac, &subkey);
	if (ret != 0 || subkey == NULL) {
		printf("kmclient: AP Reply refused: %s\n",
		       ret ? krb5_get_error_message(ctx, ret) : "no subkey in EncAPRepPart");
		goto out;
	}
	if (km_mac_verify(rep, (size_t)n, r.hmac_off, subkey->contents, subkey->length) != 0) {
		printf("kmclient: AP Reply HMAC does not verify\n");
		goto out;
	}
	if (strcmp(r.asd.user, K.user) != 0) {
		printf("kmclient: AP Reply names another user: %s\n", r.asd.user);
		goto out;
	}
	K.cs = r.cs[0];
	memcpy(K.prov_eid, r.asd.engine_id, r.asd.engine_id_len);
	K.prov_eid_len = r.asd.engine_id_len;
	hex(K.prov_eid, K.prov_eid_len, eh, sizeof(eh));
	printf("kmclient: ap-rep cs=%02x/%02x engine=%s boots=%u time=%u user=%s lifetime=%u grace=%u "
	       "ack=%u subkey-enctype=%d subkey-differs=%d hmac=ok\n", K.cs.auth, K.cs.priv, eh,
	       r.asd.boots, r.asd.time, r.asd.user, r.lifetime, r.grace, r.ack_required,
	       (int)subkey->enctype,
	       subkey->length != sklen || memcmp(subkey->contents, skey, sklen) != 0);
	if (km_usm_derive(subkey->contents, subkey->length, K.cs.auth, K.cs.priv, keys) != 0) {
		printf("kmclient: key derivation failed\n");
		goto out;
	}
	printf("kmclient: keys auth=%zu priv=%zu bytes\n", keys->auth_len, keys->priv_len);
	set_enginetime(K.prov_eid, (u_int)K.prov_eid_len, r.asd.boots, r.asd.time, TRUE);
	rc = 0;
out:
	fflush(stdout);
	if (subkey != NULL)
		krb5_free_keyblock(ctx, subkey);
	if (repl != NULL)
		krb5_free_ap_rep_enc_part(ctx, repl);
	if (apreq.data != NULL)
		krb5_free_data_contents(ctx, &apreq);
	if (ac != NULL)
		krb5_auth_con_free(ctx, ac);
	return rc;
}

/* ---------------------------------------------------------------- SNMPv3 with the keys */

static int usm_put(const uint8_t *eid, size_t eid_len, const struct km_usm_keys *k)
{
	struct usmUser *u = usm_create_user();
	const oid *ap = K.cs.auth == KM_SNMP_AUTH_MD5 ? usmHMACMD5AuthProtocol : usmHMACSHA1AuthProtocol;
	const oid *pp = K.cs.priv == KM_SNMP_PRIV_DES ? usmDESPrivProtocol :
			K.cs.priv == KM_SNMP_PRIV_AES ? usmAESPrivProtocol : usmNoPrivProtocol;

	if (u == NULL)
		return -1;
	/* the MD5/SHA-1 and DES/AES/none protocol OIDs are all 10 sub-identifiers long */
	SNMP_FREE(u->authProtocol);
	SNMP_FREE(u->privProtocol);
	u->engineID = netsnmp_memdup(eid, eid_len);
	u->engineIDLen = eid_len;
	u->name = strdup(K.user);
	u->secName = strdup(K.user);
	u->authProtocol = snmp_duplicate_objid(ap, USM_AUTH_PROTO_SHA_LEN);
	u->authProtocolLen = USM_AUTH_PROTO_SHA_LEN;
	u->privProtocol = snmp_duplicate_objid(pp, USM_PRIV_PROTO_DES_LEN);
	u->privProtocolLen = USM_PRIV_PROTO_DES_LEN;
	u->authKey = netsnmp_memdup(k->auth, k->auth_len);
	u->authKeyLen = k->auth_len;
	if (k->priv_len > 0) {
		u->privKey = netsnmp_memdup(k->priv, k->priv_len);
		u->privKeyLen = k->priv_len;
	}
	u->userStorageType = ST_READONLY;
	u->userStatus = RS_ACTIVE;
	usm_add_user(u);
	return 0;
}

static int on_ack(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic)
{
	(void)s;
	(void)reqid;
	(void)magic;
	if (op == NETSNMP_CALLBACK_OP_RESEND)
		return 1;
	K.acked = op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu->command == SNMP_MSG_RESPONSE &&
		  pdu->errstat == SNMP_ERR_NOERROR ? 1 : -1;
	return 1;
}

/* The agent's side: a SET (eUE-19) from provsrv with our user, answered noError. */
static int on_agent(int op, netsnmp_session *sess, int reqid, netsnmp_pdu *pdu, void *magic)
{
	const netsnmp_variable_list *v;
	netsnmp_variable_list *rv;
	netsnmp_pdu *reply;
	char url[512] = "-", hh[41] = "-";

	(void)reqid;
	(void)magic;
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE)
		return 1;
	if (pdu->version != SNMP_VERSION_3 || pdu->securityName == NULL ||
	    strlen(K.user) != pdu->securityNameLen ||
	    memcmp(pdu->securityName, K.user, pdu->securityNameLen) != 0) {
		printf("kmclient: agent dropped a request (version %ld)\n", pdu->version);
		return 1;
	}
	reply = snmp_clone_pdu(pdu);
	if (reply == NULL)
		return 1;
	reply->command = SNMP_MSG_RESPONSE;
	reply->errstat = SNMP_ERR_NOERROR;
	reply->errindex = 0;
	if (pdu->command == SNMP_MSG_SET) {
		for (v = pdu->variables; v != NULL; v = v->next_variable) {
			if (snmp_oid_compare(v->name, v->name_length, oid_cfgfile, OID_LENGTH(oid_cfgfile)) == 0 &&
			    v->type == ASN_OCTET_STR && v->val_len < sizeof(url))
				snprintf(url, sizeof(url), "%.*s", (int)v->val_len, (const char *)v->val.string);
			if (snmp_oid_compare(v->name, v->name_length, oid_hash, OID_LENGTH(oid_hash)) == 0 &&
			    v->type == ASN_OCTET_STR && v->val_len == 20)
				hex(v->val.string, 20, hh, sizeof(hh));
		}
		K.set_seen = 1;
		printf("kmclient: set v3=1 level=%d url=%s hash=%s\n", pdu->securityLevel, url, hh);
	} else {
		for (rv = reply->variables; rv != NULL; rv = rv->next_variable)
			snmp_set_var_typed_value(rv, SNMP_NOSUCHINSTANCE, NULL, 0);
		printf("kmclient: agent answered command 0x%02x with noSuchInstance\n",
		       (unsigned)pdu->command);
	}
	fflush(stdout);
	if (snmp_send(sess, reply) == 0)
		snmp_free_pdu(reply);
	return 1;
}

static void run_until(int *flag, int want_set, long ms)
{
	struct timespec t0, now;
	fd_set fds;
	struct timeval tv;
	int nfds, block;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 > ms)
			return;
		if (*flag != 0 && (!want_set || K.set_seen))
			return;
		nfds = 0;
		block = 0;
		FD_ZERO(&fds);
		tv.tv_sec = 0;
		tv.tv_usec = 100000;
		snmp_select_info(&nfds, &fds, &tv, &block);
		if (tv.tv_sec > 0 || tv.tv_usec > 100000) {
			tv.tv_sec = 0;
			tv.tv_usec = 100000;
		}
		if (select(nfds, &fds, NULL, NULL, &tv) > 0)
			snmp_read(&fds);
		else
			snmp_timeout();
	}
}

static int inform(netsnmp_session *ss, const oid *trap, size_t trap_len, const uint8_t mac[6],
		  int status, const char *what, int want_set, long wait_ms)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_INFORM);
	u_long up = 100;
	long state = 1;

	snmp_pdu_add_variable(pdu, oid_uptime, OID_LENGTH(oid_uptime), ASN_TIMETICKS, &up, sizeof(up));
	snmp_pdu_add_variable(pdu, oid_trap, OID_LENGTH(oid_trap), ASN_OBJECT_ID, trap,
			      trap_len * sizeof(oid));
	snmp_pdu_add_variable(pdu, oid_ifphys1, OID_LENGTH(oid_ifphys1), ASN_OCTET_STR, mac, 6);
	if (status)
		snmp_pdu_add_variable(pdu, oid_state, OID_LENGTH(oid_state), ASN_INTEGER, &state,
				      sizeof(state));
	K.acked = 0;
	if (snmp_async_send(ss, pdu, on_ack, NULL) == 0) {
		printf("kmclient: inform %s could not be sent: %s\n", what, snmp_api_errstring(snmp_errno));
		snmp_free_pdu(pdu);
		return -1;
	}
	run_until(&K.acked, want_set, wait_ms);
	printf("kmclient: inform %s %s\n", what, K.acked > 0 ? "acked" : K.acked < 0 ? "refused" : "timeout");
	if (want_set)
		printf("kmclient: set %s\n", K.set_seen ? "received" : "not-received");
	fflush(stdout);
	return K.acked > 0 && (!want_set || K.set_seen) ? 0 : -1;
}

static int snmp_proof(const char *prov, const char *agent_spec, const uint8_t mac[6],
		      const struct km_usm_keys *keys, long wait_ms)
{
	netsnmp_session s, *ss, *as = NULL;
	netsnmp_transport *t;
	char peer[96];
	int rc = -1;

	if (usm_put(K.prov_eid, K.prov_eid_len, keys) != 0 || usm_put(K.eid, K.eid_len, keys) != 0)
		return -1;
	if (agent_spec != NULL) {
		t = netsnmp_transport_open_server("kmclient", agent_spec);
		if (t == NULL) {
			printf("kmclient: agent cannot listen on %s\n", agent_spec);
			return -1;
		}
		snmp_sess_init(&s);
		s.version = SNMP_DEFAULT_VERSION;
		s.callback = on_agent;
		s.isAuthoritative = SNMP_SESS_AUTHORITATIVE;
		as = snmp_add(&s, t, NULL, NULL);
		if (as == NULL)
			return -1;
	}
	snprintf(peer, sizeof(peer), strchr(prov, ':') ? "udp6:[%s]:162" : "udp:%s:162", prov);
	snmp_sess_init(&s);
	s.peername = peer;
	s.version = SNMP_VERSION_3;
	s.securityModel = SNMP_SEC_MODEL_USM;
	s.securityName = K.user;
	s.securityNameLen = strlen(K.user);
	s.securityLevel = K.cs.priv == KM_SNMP_PRIV_NULL ? SNMP_SEC_LEVEL_AUTHNOPRIV :
			  SNMP_SEC_LEVEL_AUTHPRIV;
	s.securityAuthProto = (oid *)(uintptr_t)(K.cs.auth == KM_SNMP_AUTH_MD5 ?
						 usmHMACMD5AuthProtocol : usmHMACSHA1AuthProtocol);
	s.securityAuthProtoLen = USM_AUTH_PROTO_SHA_LEN;
	s.securityPrivProto = (oid *)(uintptr_t)(K.cs.priv == KM_SNMP_PRIV_DES ? usmDESPrivProtocol :
						 K.cs.priv == KM_SNMP_PRIV_AES ? usmAESPrivProtocol :
						 usmNoPrivProtocol);
	s.securityPrivProtoLen = USM_PRIV_PROTO_DES_LEN;
	s.securityEngineID = K.prov_eid;        /* the INFORM's receiver is authoritative */
	s.securityEngineIDLen = K.prov_eid_len;
	s.retries = 2;
	s.timeout = 1000000;
	ss = snmp_open(&s);
	if (ss == NULL) {
		printf("kmclient: snmp_open %s failed\n", peer);
		goto out;
	}
	if (inform(ss, oid_enroll, OID_LENGTH(oid_enroll), mac, 0, "enroll", as != NULL, wait_ms) == 0 &&
	    inform(ss, oid_status, OID_LENGTH(oid_status), mac, 1, "status", 0, wait_ms) == 0)
		rc = 0;
	snmp_close(ss);
out:
	if (as != NULL)
		snmp_close(as);
	return rc;
}

/* ---------------------------------------------------------------- main */

static void kc_usage(void)
{
	fprintf(stderr,
		"usage: kmclient --kdc ADDR --client PRINC --service PRINC --cert F --key F --anchor F "
		"[--anchor F] [--chain F] [--kdc-hostname H] [--state-dir D] --prov ADDR [--km-port N] "
		"[--mac MAC] [--cs 22/22,22/21,21/21] [--agent SPEC] [--bad-hmac] [--bad-keys] [--resend] [--no-snmp] "
		"[--wait MS] [-d]\n");
}

static int kc_add(const char **list, unsigned max, const char *v)
{
	unsigned i;

	for (i = 0; i < max; i++)
		if (list[i] == NULL) {
			list[i] = v;
			return 0;
		}
	return -1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kdc", required_argument, NULL, 'k' },
		{ "client", required_argument, NULL, 'c' },
		{ "service", required_argument, NULL, 's' },
		{ "cert", required_argument, NULL, 'C' },
		{ "key", required_argument, NULL, 'K' },
		{ "chain", required_argument, NULL, 'i' },
		{ "anchor", required_argument, NULL, 'a' },
		{ "kdc-hostname", required_argument, NULL, 'H' },
		{ "state-dir", required_argument, NULL, 'S' },
		{ "prov", required_argument, NULL, 'p' },
		{ "km-port", required_argument, NULL, 'P' },
		{ "mac", required_argument, NULL, 'm' },
		{ "cs", required_argument, NULL, 'x' },
		{ "agent", required_argument, NULL, 'A' },
		{ "bad-hmac", no_argument, NULL, 'B' },
		{ "no-snmp", no_argument, NULL, 'N' },
		{ "bad-keys", no_argument, NULL, 'W' },
		{ "resend", no_argument, NULL, 'R' },
		{ "wait", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pkinit_config c;
	struct pkinit *p;
	struct km_usm_keys keys;
	const char *field = NULL, *at, *prov = NULL, *cs = "22/22,22/21,21/21", *agent = NULL;
	char realm[256], eh[2 * KM_ENGINEID_MAX + 1];
	unsigned mac_i[6], port = KM_PORT;
	uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x0e, 0x01 };
	long wait_ms = 8000;
	int ch, debug = 0, bad_hmac = 0, no_snmp = 0, bad_keys = 0, resend = 0, rc, i;

	memset(&c, 0, sizeof(c));
	memset(&keys, 0, sizeof(keys));
	c.state_dir = "/tmp";
	c.backoff = (struct pkinit_backoff){ .nominal_ms = 3000, .max_ms = 100000, .retries = 5 };
	while ((ch = getopt_long(argc, argv, "dh", opts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			if (net_addr_parse(optarg, &c.kdc) < 0) {
				fprintf(stderr, "kmclient: bad --kdc %s\n", optarg);
				return 2;
			}
			break;
		case 'c': c.client = optarg; break;
		case 's': c.service = optarg; break;
		case 'C': c.cert = optarg; break;
		case 'K': c.key = optarg; break;
		case 'H': c.kdc_hostname = optarg; break;
		case 'S': c.state_dir = optarg; break;
		case 'p': prov = optarg; break;
		case 'P': port = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'x': cs = optarg; break;
		case 'A': agent = optarg; break;
		case 'B': bad_hmac = 1; break;
		case 'N': no_snmp = 1; break;
		case 'W': bad_keys = 1; break;
		case 'R': resend = 1; break;
		case 'w': wait_ms = strtol(optarg, NULL, 10); break;
		case 'd': debug = 1; break;
		case 'm':
			if (sscanf(optarg, "%x:%x:%x:%x:%x:%x", &mac_i[0], &mac_i[1], &mac_i[2], &mac_i[3],
				   &mac_i[4], &mac_i[5]) != 6) {
				fprintf(stderr, "kmclient: bad --mac %s\n", optarg);
				return 2;
			}
			for (i = 0; i < 6; i++)
				mac[i] = (uint8_t)mac_i[i];
			break;
		case 'i':
			if (kc_add(c.chain, PKINIT_CHAIN_MAX, optarg) < 0)
				return 2;
			break;
		case 'a':
			if (kc_add(c.anchors, PKINIT_ANCHORS_MAX, optarg) < 0)
				return 2;
			break;
		default:
			kc_usage();
			return ch == 'h' ? 0 : 2;
		}
	}
	if (optind != argc || c.client == NULL || prov == NULL || port == 0 || port > 65535 ||
	    (at = strrchr(c.client, '@')) == NULL) {
		kc_usage();
		return 2;
	}
	snprintf(realm, sizeof(realm), "%s", at + 1);
	c.realm = realm;
	log_init("kmclient", debug ? LOG_LVL_DEBUG : LOG_LVL_INFO);
	if (pkinit_config_check(&c, &field) != 0) {
		fprintf(stderr, "kmclient: bad configuration: %s\n", field);
		return 2;
	}

	/* our SNMP engine: RFC 3411 format 3 (MAC) under CableLabs 4491, as eued's agent */
	setenv("MIBS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	snmp_disable_log();
	init_snmp("kmclient");
	K.eid[0] = 0x80;
	K.eid[1] = 0x00;
	K.eid[2] = 0x11;
	K.eid[3] = 0x8b;
	K.eid[4] = 3;
	memcpy(K.eid + 5, mac, 6);
	K.eid_len = 11;
	hex(mac, 6, K.user, sizeof(K.user));
	if (set_exact_engineID(K.eid, K.eid_len) != SNMPERR_SUCCESS ||
	    set_enginetime(K.eid, (u_int)K.eid_len, (u_int)snmpv3_local_snmpEngineBoots(),
			   (u_int)snmpv3_local_snmpEngineTime(), TRUE) != SNMPERR_SUCCESS) {
		fprintf(stderr, "kmclient: engine ID\n");
		return 1;
	}
	hex(K.eid, K.eid_len, eh, sizeof(eh));
	printf("kmclient: engine=%s user=%s\n", eh, K.user);

	/* eUE-9/10 */
	K.l = loop_new();
	p = pkinit_new();
	if (K.l == NULL || p == NULL)
		return 1;
	rc = pkinit_start(p, K.l, &c, kc_done, NULL);
	if (rc < 0) {
		fprintf(stderr, "kmclient: start: %s\n", err_str(rc));
		return 1;
	}
	if (loop_run(K.l) < 0 || K.t == NULL) {
		K.rc = 1;
		goto out;
	}
	/* eUE-13/14 */
	K.rc = key_management(prov, port, cs, bad_hmac, resend, &keys);
	/* eUE-15, 19, 25; --bad-keys: the INFORM with a wrong authentication key must be refused */
	if (K.rc == 0 && bad_keys) {
		keys.auth[0] ^= 0x01;
		printf("kmclient: using a wrong authentication key\n");
	}
	if (K.rc == 0 && !no_snmp && snmp_proof(prov, agent, mac, &keys, wait_ms) != 0)
		K.rc = 1;
out:
	km_usm_keys_clear(&keys);
	pkinit_free(p);
	loop_free(K.l);
	snmp_shutdown("kmclient");
	printf("kmclient: exit %d\n", K.rc);
	return K.rc;
}
