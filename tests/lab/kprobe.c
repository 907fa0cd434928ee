/*
 * kprobe.c: runs kerberos/pkinit (eUE-9 .. eUE-12) once on an event loop
 * against a given KDC address and prints the outcome: a lab probe for the
 * module, before the flow engine wires it.  Prints names, enctype, end time
 * and lengths; never a key or a ticket.
 *
 *   kprobe --kdc ADDR --client P --service S --cert F --key F --anchor F
 *          [--chain F]... [--anchor F]... [--kdc-hostname H] [--ifname IF]
 *          [--state-dir D] [--backoff NOMINAL_MS,MAX_MS,RETRIES] [--tgt]
 *          [--repeat N]
 *
 * The realm is the client principal's.  Exit 0 ok, 1 failed, 2 usage.
 * --repeat N starts and stops the module N-1 times before the real run
 * (leak and life-cycle check under ASan against a live KDC).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kerberos/pkinit.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/loop.h"
#include "platform/net.h"

struct kp {
	struct loop *l;
	int rc;
};

static void kp_done(struct pkinit *p, const struct pkinit_result *r, void *arg)
{
	struct kp *k = arg;

	(void)p;
	if (r->reason == PKINIT_R_OK) {
		size_t klen = 0, tlen = 0;
		time_t end = (time_t)pkinit_ticket_endtime(r->ticket);
		char when[32];
		struct tm tm;

		(void)pkinit_ticket_key(r->ticket, &klen);
		(void)pkinit_ticket_der(r->ticket, &tlen);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&end, &tm));
		printf("kprobe: ok step=%s client=%s server=%s enctype=%d keylen=%zu ticketlen=%zu "
		       "endtime=%s as_sent=%u tgs_sent=%u\n",
		       r->step, pkinit_ticket_client(r->ticket), pkinit_ticket_server(r->ticket),
		       (int)pkinit_ticket_enctype(r->ticket), klen, tlen, when, r->as_sent,
		       r->tgs_sent);
		k->rc = 0;
	} else {
		printf("kprobe: failed step=%s reason=%s krb5=%ld kdc_error=%d as_sent=%u "
		       "tgs_sent=%u text=\"%s\"\n",
		       r->step, pkinit_reason_str(r->reason), (long)r->krb5_code, r->kdc_error,
		       r->as_sent, r->tgs_sent, r->text);
		k->rc = 1;
	}
	fflush(stdout);
	loop_stop(k->l);
}

static void kp_usage(void)
{
	fprintf(stderr,
		"usage: kprobe --kdc ADDR --client PRINC --service PRINC --cert F --key F "
		"--anchor F [--anchor F] [--chain F] [--kdc-hostname H] [--ifname IF] "
		"[--state-dir D] [--backoff NOM_MS,MAX_MS,RETRIES] [--tgt] [--repeat N] [-d]\n");
}

static int kp_add(const char **list, unsigned max, const char *v)
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
		{ "ifname", required_argument, NULL, 'I' },
		{ "state-dir", required_argument, NULL, 'S' },
		{ "backoff", required_argument, NULL, 'b' },
		{ "tgt", no_argument, NULL, 't' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pkinit_config c;
	struct kp k = { .rc = 1 };
	struct pkinit *p;
	const char *field = NULL, *at;
	char realm[256];
	unsigned long repeat = 1, i;
	int ch, debug = 0, rc;

	memset(&c, 0, sizeof(c));
	c.state_dir = "/tmp";
	c.backoff = (struct pkinit_backoff){ .nominal_ms = 3000, .max_ms = 100000, .retries = 5 };
	while ((ch = getopt_long(argc, argv, "dh", opts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			if (net_addr_parse(optarg, &c.kdc) < 0) {
				fprintf(stderr, "kprobe: bad --kdc %s\n", optarg);
				return 2;
			}
			break;
		case 'c': c.client = optarg; break;
		case 's': c.service = optarg; break;
		case 'C': c.cert = optarg; break;
		case 'K': c.key = optarg; break;
		case 'H': c.kdc_hostname = optarg; break;
		case 'I': c.ifname = optarg; break;
		case 'S': c.state_dir = optarg; break;
		case 't': c.tgt = 1; break;
		case 'd': debug = 1; break;
		case 'i':
			if (kp_add(c.chain, PKINIT_CHAIN_MAX, optarg) < 0)
				return 2;
			break;
		case 'a':
			if (kp_add(c.anchors, PKINIT_ANCHORS_MAX, optarg) < 0)
				return 2;
			break;
		case 'b':
			if (sscanf(optarg, "%u,%u,%u", &c.backoff.nominal_ms, &c.backoff.max_ms,
				   &c.backoff.retries) != 3) {
				fprintf(stderr, "kprobe: bad --backoff %s\n", optarg);
				return 2;
			}
			break;
		case 'r':
			repeat = strtoul(optarg, NULL, 10);
			if (repeat == 0)
				repeat = 1;
			break;
		default:
			kp_usage();
			return ch == 'h' ? 0 : 2;
		}
	}
	if (optind != argc || c.client == NULL || (at = strrchr(c.client, '@')) == NULL) {
		kp_usage();
		return 2;
	}
	snprintf(realm, sizeof(realm), "%s", at + 1);
	c.realm = realm;
	log_init("kprobe", debug ? LOG_LVL_DEBUG : LOG_LVL_INFO);
	if (pkinit_config_check(&c, &field) != 0) {
		fprintf(stderr, "kprobe: bad configuration: %s\n", field);
		return 2;
	}
	k.l = loop_new();
	p = pkinit_new();
	if (k.l == NULL || p == NULL)
		return 1;
	for (i = 1; i < repeat; i++) {   /* start + stop at once: nothing may stay */
		rc = pkinit_start(p, k.l, &c, kp_done, &k);
		if (rc < 0) {
			fprintf(stderr, "kprobe: start: %s\n", err_str(rc));
			return 1;
		}
		pkinit_stop(p);
	}
	rc = pkinit_start(p, k.l, &c, kp_done, &k);
	if (rc < 0) {
		fprintf(stderr, "kprobe: start: %s\n", err_str(rc));
		pkinit_free(p);
		loop_free(k.l);
		return 1;
	}
	if (loop_run(k.l) < 0)
		k.rc = 1;
	pkinit_free(p);
	loop_free(k.l);
	return k.rc;
}
