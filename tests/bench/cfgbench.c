/*
 * cfgbench.c: in-process throughput of the config-file codec.
 * usage: cfgbench N_VARBINDS OUT.txt   (writes the generated text file too)
 * Prints one line per operation: name, file bytes, iterations, MB/s, us/file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tlv/cfgfile.h"
#include "tlv/cfgtext.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A file like operators write: realm/CMS rows, P-CSCF rows, scalars. */
static void gen(struct wr *t, int n)
{
	char line[256];
	int i, k;

	wr_bytes(t, "Main\n{\n\tMtaConfigDelimiter 1;\n", 30);
	for (i = 0; i < n; i++) {
		switch (i % 5) {
		case 0:
			k = snprintf(line, sizeof(line), "\tSnmpMibObject pktcMtaDevEnabled.0 Integer %d;\n", i & 1);
			break;
		case 1:
			k = snprintf(line, sizeof(line), "\tSnmpMibObject pktcMtaDevRealmOrgName.'REALM%d.COM' "
				     "String \"CableLabs, Inc.\";\n", i);
			break;
		case 2:
			k = snprintf(line, sizeof(line), "\tSnmpMibObject pktcEUEDevPCSCFSipPort.%d Gauge32 5060;\n", i);
			break;
		case 3:
			k = snprintf(line, sizeof(line), "\tSnmpMibObject pktcEUEDevDnsAddr.%d IPAddress 10.0.%d.%d;\n",
				     i, (i >> 8) & 255, i & 255);
			break;
		default:
			k = snprintf(line, sizeof(line), "\tSnmpMibObject pktcEUEDevPCSCFAddr.%d HexString "
				     "0x7063736366312e6578616d706c652e636f6d;\n", i);
			break;
		}
		wr_bytes(t, line, (size_t)k);
	}
	wr_bytes(t, "\tMtaConfigDelimiter 255;\n}\n", 27);
}

static void report(const char *what, size_t bytes, long iters, double secs)
{
	printf("%-8s %8zu bytes %7ld iters %9.1f MB/s %10.2f us/file\n", what, bytes, iters,
	       (double)bytes * (double)iters / secs / 1e6, secs / (double)iters * 1e6);
}

int main(int argc, char **argv)
{
	static struct cfg_item items[4096];
	struct cfgtext_err e;
	struct cfg_diag d;
	struct wr t, b, p;
	double t0, secs;
	long it, iters;
	int n;
	FILE *f;

	if (argc != 3 || (n = atoi(argv[1])) <= 0 || n > 4000) {
		fprintf(stderr, "usage: cfgbench N_VARBINDS OUT.txt\n");
		return 1;
	}
	wr_init_dyn(&t, 64u << 20);
	gen(&t, n);
	f = fopen(argv[2], "w");
	if (f == NULL || fwrite(t.buf, 1, t.len, f) != t.len || fclose(f) != 0) {
		perror(argv[2]);
		return 2;
	}
	wr_init_dyn(&b, 16u << 20);
	if (cfgtext_compile((char *)t.buf, t.len, NULL, &b, &e) != 0) {
		fprintf(stderr, "%u:%u: %s\n", e.line, e.col, e.msg);
		return 3;
	}
	iters = n > 100 ? 200 : 20000;

	t0 = now();
	for (it = 0; it < iters; it++) {
		b.len = 0;
		cfgtext_compile((char *)t.buf, t.len, NULL, &b, &e);
	}
	report("compile", t.len, iters, now() - t0);

	t0 = now();
	for (it = 0; it < iters * 10; it++)
		if (cfg_parse(b.buf, b.len, items, 4096, &d) < 0)
			return 4;
	report("decode", b.len, iters * 10, now() - t0);

	wr_init_dyn(&p, 16u << 20);
	t0 = now();
	for (it = 0; it < iters * 10; it++) {
		p.len = 0;
		cfg_encode(&p, items, (size_t)cfg_parse(b.buf, b.len, items, 4096, &d));
	}
	secs = now() - t0;
	report("reencode", b.len, iters * 10, secs);
	if (p.len != b.len || memcmp(p.buf, b.buf, b.len) != 0)
		return 5;

	t0 = now();
	for (it = 0; it < iters; it++) {
		p.len = 0;
		cfgtext_print(b.buf, b.len, NULL, &p, &d);
	}
	report("print", b.len, iters, now() - t0);
	wr_free(&t);
	wr_free(&b);
	wr_free(&p);
	return 0;
}
