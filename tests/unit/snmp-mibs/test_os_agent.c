/*
 * test_os_agent.c: the embedded agent (snmp-mibs/agent.c) on real loopback
 * sockets, with Net-SNMP's own command-line tools as the independent
 * oracle: snmpget / snmpgetnext / snmpwalk / snmpbulkwalk / snmpset run as
 * child processes while the parent runs our event loop, and snmptrapd
 * receives the INFORMs.  The model is a small fake (below) so the agent is
 * tested without snmp-mibs/mib.c.  SNMPv3: the tools take the Secure
 * flow's derived keys as localized keys (-3k / -3K), snmptrapd as
 * "createUser -e ENGINE user SHA -l KEY AES -l KEY" (the INFORM user under
 * snmptrapd's own engine ID, the trap user under ours).
 *
 * Needs the Debian packages snmp and snmptrapd (deps/); each test that
 * needs a tool is skipped, with a message, when the tool is absent.  Ports:
 * 16161 (agent), 16162 (snmptrapd), 16163 (a receiver that never answers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "platform/clock.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/loop.h"
#include "platform/net.h"
#include "snmp-mibs/agent.h"
#include "snmp-mibs/notify.h"

#define AGENT_PORT 16161
#define TRAPD_PORT 16162
#define SILENT_PORT 16163

/* ------------------------------------------------------------ fake model */

struct fobj {
	uint32_t oid[16];
	size_t n;
	uint8_t type;
	int writable;
	int64_t num, min, max;      /* INTEGER range when writable */
	uint8_t str[64];
	size_t len, maxlen;
};

struct fake {
	struct fobj o[20];
	size_t n;
	int open;
	struct { size_t idx; struct fobj val; } staged[8];
	size_t n_staged;
	unsigned begins, tests, commits, aborts, checks;
};

/* mib.h's struct mib is the real model; here it is only the handle. */
static struct fake fm;
static struct mib handle;

static void fm_add(const uint32_t *oid, size_t n, uint8_t type, int writable, int64_t num,
		   const void *str, size_t len)
{
	struct fobj *o = &fm.o[fm.n++];

	memset(o, 0, sizeof(*o));
	memcpy(o->oid, oid, n * sizeof(uint32_t));
	o->n = n;
	o->type = type;
	o->writable = writable;
	o->num = num;
	o->min = 1;
	o->max = 2;
	o->maxlen = 32;
	if (str != NULL)
		memcpy(o->str, str, len);
	o->len = len;
}

#define OIDA(...) ((const uint32_t[]){ __VA_ARGS__ }), \
	(sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t))
#define S(x) x, (sizeof(x) - 1)

/* sysObjectID value: BER contents of 1.3.6.1.4.1.4491 (4491 = 0xa3 0x0b). */
static const uint8_t clab_ber[] = { 0x2b, 6, 1, 4, 1, 0xa3, 0x0b };

/* Sorted; 1.3.6.1.2.1.4.1.0 lies in no registered subtree. */
static void fm_default(void)
{
	memset(&fm, 0, sizeof(fm));
	fm_add(OIDA(1, 3, 6, 1, 2, 1, 1, 1, 0), BER_OCTETS, 0, 0, S("eUE agent test"));
	fm_add(OIDA(1, 3, 6, 1, 2, 1, 1, 2, 0), BER_OID, 0, 0, clab_ber, sizeof(clab_ber));
	fm_add(OIDA(1, 3, 6, 1, 2, 1, 1, 3, 0), BER_TIMETICKS, 0, 4200, NULL, 0);
	fm_add(OIDA(1, 3, 6, 1, 2, 1, 1, 5, 0), BER_OCTETS, 1, 0, S("eue1"));
	fm_add(OIDA(1, 3, 6, 1, 2, 1, 4, 1, 0), BER_INTEGER, 0, 2, NULL, 0);
	fm_add(OIDA(1, 3, 6, 1, 2, 1, 140, 1, 1, 3, 0), BER_OCTETS, 0, 0, S("v9.1"));
	fm_add(OIDA(1, 3, 6, 1, 2, 1, 140, 1, 1, 6, 0), BER_INTEGER, 1, 1, NULL, 0);
	fm_add(OIDA(1, 3, 6, 1, 2, 1, 140, 1, 1, 7, 0), BER_OCTETS, 0, 0, S("EDVA"));
	fm_add(OIDA(1, 3, 6, 1, 2, 1, 140, 1, 1, 8, 0), BER_INTEGER, 0, 2, NULL, 0);
	fm_add(OIDA(1, 3, 6, 1, 2, 1, 140, 1, 1, 11, 0), BER_COUNTER32, 0, 5, NULL, 0);
	fm_add(OIDA(1, 3, 6, 1, 2, 1, 140, 1, 2, 9, 0), BER_OCTETS, 1, 0, NULL, 0);
	fm_add(OIDA(1, 3, 6, 1, 2, 1, 140, 1, 3, 3, 0), BER_INTEGER, 0, 77, NULL, 0);
	fm_add(OIDA(1, 3, 6, 1, 4, 1, 4491, 2, 2, 10, 5, 1, 1, 0), BER_OCTETS, 0, 0, S("1"));
	fm_add(OIDA(1, 3, 6, 1, 4, 1, 8072, 9999, 4491, 1, 1, 0), BER_INTEGER, 0, 1, NULL, 0);
}

static int oid_cmp(const uint32_t *a, size_t an, const uint32_t *b, size_t bn)
{
	for (size_t i = 0; i < an && i < bn; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return an < bn ? -1 : an > bn;
}

static struct fobj *fm_find(const uint32_t *oid, size_t n)
{
	for (size_t i = 0; i < fm.n; i++)
		if (oid_cmp(fm.o[i].oid, fm.o[i].n, oid, n) == 0)
			return &fm.o[i];
	return NULL;
}

static void fm_out(const struct fobj *o, struct mib_out *out)
{
	memset(&out->v, 0, sizeof(out->v));
	out->v.type = o->type;
	out->v.num = o->num;
	memcpy(out->buf, o->str, o->len);
	out->v.bytes = out->buf;
	out->v.len = o->len;
}

int mib_get(struct mib *m, const uint32_t *oid, size_t n, struct mib_out *out)
{
	const struct fobj *o;

	assert_ptr_equal(m, &handle);
	o = fm_find(oid, n);
	if (o != NULL) {
		fm_out(o, out);
		return MIB_GET_OK;
	}
	/* A scalar's name with another instance than .0: no such instance. */
	for (size_t i = 0; i < fm.n; i++)
		if (n > fm.o[i].n - 1 && oid_cmp(fm.o[i].oid, fm.o[i].n - 1, oid, fm.o[i].n - 1) == 0)
			return MIB_NO_SUCH_INSTANCE;
	return MIB_NO_SUCH_OBJECT;
}

int mib_getnext(struct mib *m, const uint32_t *oid, size_t n, uint32_t *next, size_t *nn,
		struct mib_out *out)
{
	const struct fobj *best = NULL;

	assert_ptr_equal(m, &handle);
	for (size_t i = 0; i < fm.n; i++)
		if (oid_cmp(fm.o[i].oid, fm.o[i].n, oid, n) > 0 &&
		    (best == NULL || oid_cmp(fm.o[i].oid, fm.o[i].n, best->oid, best->n) < 0))
			best = &fm.o[i];
	if (best == NULL)
		return MIB_END_OF_VIEW;
	memcpy(next, best->oid, best->n * sizeof(uint32_t));
	*nn = best->n;
	fm_out(best, out);
	return MIB_GET_OK;
}

void mib_set_begin(struct mib *m, enum mib_origin o)
{
	assert_ptr_equal(m, &handle);
	assert_int_equal(o, MIB_BY_SNMP);
	fm.open = 1;
	fm.n_staged = 0;
	fm.begins++;
}

int mib_set_test(struct mib *m, const uint32_t *oid, size_t n, const struct mib_val *v,
		 const char **why)
{
	struct fobj *o = fm_find(oid, n), val;

	assert_ptr_equal(m, &handle);
	assert_true(fm.open);
	fm.tests++;
	if (o == NULL)
		return MIB_E_NO_CREATION;
	if (!o->writable)
		return MIB_E_NOT_WRITABLE;
	if (v->type != o->type) {
		*why = "VALUE DOES NOT MATCH TYPE";
		return MIB_E_WRONG_TYPE;
	}
	val = *o;
	if (o->type == BER_INTEGER) {
		if (v->num < o->min || v->num > o->max)
			return MIB_E_WRONG_VALUE;
		val.num = v->num;
	} else {
		if (v->len > o->maxlen)
			return MIB_E_WRONG_LENGTH;
		memcpy(val.str, v->bytes, v->len);     /* staged values are copies */
		val.len = v->len;
	}
	assert_true(fm.n_staged < 8);
	fm.staged[fm.n_staged].idx = (size_t)(o - fm.o);
	fm.staged[fm.n_staged].val = val;
	fm.n_staged++;
	return MIB_E_OK;
}

/* The transaction's own rule: sysName "inconsistent" is refused as a whole. */
int mib_set_check(struct mib *m, uint32_t *oid, size_t *n, const char **why)
{
	(void)oid, (void)n;
	assert_ptr_equal(m, &handle);
	fm.checks++;
	for (size_t i = 0; i < fm.n_staged; i++)
		if (fm.staged[i].val.len == 12 && memcmp(fm.staged[i].val.str, "inconsistent", 12) == 0) {
			if (why != NULL)
				*why = "test rule";
			return MIB_E_INCONSISTENT_VALUE;
		}
	return MIB_E_OK;
}

void mib_set_commit(struct mib *m)
{
	assert_ptr_equal(m, &handle);
	assert_true(fm.open);
	for (size_t i = 0; i < fm.n_staged; i++)
		fm.o[fm.staged[i].idx] = fm.staged[i].val;
	fm.open = 0;
	fm.commits++;
}

void mib_set_abort(struct mib *m)
{
	assert_ptr_equal(m, &handle);
	fm.open = 0;
	fm.n_staged = 0;
	fm.aborts++;
}

/* ------------------------------------------------------------ helpers */

static char tmpdir[64];
static struct loop *lp;
static struct agent *cur;       /* stopped by teardown() when a test fails early */
static pid_t trapd = -1;        /* snmptrapd, likewise */
static char out[65536];

static int have_tool(const char *name)
{
	static const char *const dirs[] = { "/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/" };
	char p[128];

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", dirs[i], name);
		if (access(p, X_OK) == 0)
			return 1;
	}
	return 0;
}

#define NEED_TOOL(name) do { \
	if (!have_tool(name)) { \
		print_message("skipped: %s not installed (Debian packages snmp, snmptrapd)\n", name); \
		skip(); \
	} \
} while (0)

static void child_env(void)
{
	/* The tools must not read /etc/snmp, load MIB files or write /var/lib/snmp. */
	setenv("MIBS", "", 1);
	setenv("MIBDIRS", "", 1);
	setenv("SNMP_PERSISTENT_DIR", tmpdir, 1);
	setenv("SNMPCONFPATH", tmpdir, 1);
	setenv("HOME", tmpdir, 1);
}

static pid_t spawn(const char *const argv[], const char *outfile)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(outfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd < 0)
			_exit(126);
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
		child_env();
		execvp(argv[0], (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	return pid;
}

static size_t slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f != NULL) {
		n = fread(buf, 1, cap - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return n;
}

/* Run a tool while the loop serves the agent; its output lands in out[]. */
static int run(const char *const argv[])
{
	char path[128];
	uint64_t t0 = clock_mono_ms();
	int status = 0;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/tool.out", tmpdir);
	pid = spawn(argv, path);
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			break;
		assert_int_equal(r, 0);
		if (clock_mono_ms() - t0 > 20000) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail_msg("%s did not finish", argv[0]);
		}
		loop_run_once(lp, 5);
	}
	slurp(path, out, sizeof(out));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		print_message("note: %s exited with %d:\n%.1500s\n", argv[0],
			      WIFEXITED(status) ? WEXITSTATUS(status) : -1, out);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void run_loop_ms(unsigned ms)
{
	uint64_t t0 = clock_mono_ms();

	while (clock_mono_ms() - t0 < ms)
		loop_run_once(lp, 5);
}

static struct agent *start4(const char *ro, const char *rw)
{
	struct agent_config c;
	struct agent *a = NULL;

	memset(&c, 0, sizeof(c));
	assert_int_equal(net_addr_parse("127.0.0.1", &c.listen), 0);
	c.listen.port = AGENT_PORT;
	c.ro_community = ro;
	c.rw_community = rw;
	assert_int_equal(net_addr_parse("127.0.0.1", &c.managers[0]), 0);
	c.n_managers = 1;
	assert_int_equal(agent_start(&a, lp, &handle, &c), 0);
	assert_non_null(a);
	cur = a;
	return a;
}

/* The OIDs of the "OID = value" lines of out, in order, space-separated. */
static void oids_of(const char *text, char *buf, size_t cap)
{
	size_t used = 0;

	buf[0] = '\0';
	for (const char *p = text; *p != '\0';) {
		const char *eol = strchr(p, '\n'), *sp;

		if (eol == NULL)
			eol = p + strlen(p);
		sp = memchr(p, ' ', (size_t)(eol - p));
		if (p[0] == '.' && sp != NULL && strncmp(sp, " = ", 3) == 0 &&
		    strncmp(sp, " = No more variables", 20) != 0) {
			int k = snprintf(buf + used, cap - used, "%s%.*s", used ? " " : "",
					 (int)(sp - p), p);

			assert_true(k > 0 && (size_t)k < cap - used);
			used += (size_t)k;
		}
		p = *eol ? eol + 1 : eol;
	}
}

#define TOOL(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define V2C(tool, comm) tool, "-v2c", "-c", comm, "-r", "0", "-t", "1", "-On"
#define PEER4 "udp:127.0.0.1:16161"

static const char walk_all[] =
	".1.3.6.1.2.1.1.1.0 .1.3.6.1.2.1.1.2.0 .1.3.6.1.2.1.1.3.0 .1.3.6.1.2.1.1.5.0 "
	".1.3.6.1.2.1.140.1.1.3.0 .1.3.6.1.2.1.140.1.1.6.0 .1.3.6.1.2.1.140.1.1.7.0 "
	".1.3.6.1.2.1.140.1.1.8.0 .1.3.6.1.2.1.140.1.1.11.0 .1.3.6.1.2.1.140.1.2.9.0 "
	".1.3.6.1.2.1.140.1.3.3.0 .1.3.6.1.4.1.4491.2.2.10.5.1.1.0 "
	".1.3.6.1.4.1.8072.9999.4491.1.1.0 "
	/* RFC 3414 usmStats, the library's counters */
	".1.3.6.1.6.3.15.1.1.1.0 .1.3.6.1.6.3.15.1.1.2.0 .1.3.6.1.6.3.15.1.1.3.0 "
	".1.3.6.1.6.3.15.1.1.4.0 .1.3.6.1.6.3.15.1.1.5.0 .1.3.6.1.6.3.15.1.1.6.0";

static int fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

/* ------------------------------------------------------------ setup */

static int group_setup(void **state)
{
	(void)state;
	log_init("test_os_agent", getenv("TEST_DEBUG") ? LOG_LVL_DEBUG : LOG_LVL_WARN);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_os_agent.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static int setup(void **state)
{
	(void)state;
	fm_default();
	lp = loop_new();
	return lp != NULL ? 0 : -1;
}

static void stop(struct agent *a)
{
	agent_stop(a);
	if (a == cur)
		cur = NULL;
}

static int teardown(void **state)
{
	(void)state;
	if (cur != NULL)
		stop(cur);
	if (trapd > 0) {
		kill(trapd, SIGTERM);
		waitpid(trapd, NULL, 0);
		trapd = -1;
	}
	assert_int_equal(loop_fd_count(lp), 0);     /* the agent unwatched everything */
	loop_free(lp);
	lp = NULL;
	return 0;
}

/* ------------------------------------------------------------ GET family */

static void test_get(void **state)
{
	struct agent *a;
	struct agent_stats st;

	(void)state;
	NEED_TOOL("snmpget");
	a = start4(NULL, NULL);
	assert_int_equal(run(TOOL(V2C("snmpget", "public"), PEER4, "1.3.6.1.2.1.1.1.0",
				  "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.140.1.1.11.0",
				  "1.3.6.1.2.1.140.1.3.3.0")), 0);
	assert_non_null(strstr(out, ".1.3.6.1.2.1.1.1.0 = STRING: \"eUE agent test\""));
	assert_non_null(strstr(out, ".1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.4491\n"));
	assert_non_null(strstr(out, ".1.3.6.1.2.1.1.3.0 = Timeticks: (4200)"));
	assert_non_null(strstr(out, ".1.3.6.1.2.1.140.1.1.11.0 = Counter32: 5"));
	assert_non_null(strstr(out, ".1.3.6.1.2.1.140.1.3.3.0 = INTEGER: 77"));
	/* RFC 3416 exceptions: the model's two, and Net-SNMP's own outside our subtrees. */
	run(TOOL(V2C("snmpget", "public"), PEER4, "1.3.6.1.2.1.1.9.0", "1.3.6.1.2.1.1.1.7",
		 "1.3.6.1.2.1.4.1.0"));
	assert_non_null(strstr(out, ".1.3.6.1.2.1.1.9.0 = No Such Object"));
	assert_non_null(strstr(out, ".1.3.6.1.2.1.1.1.7 = No Such Instance"));
	assert_non_null(strstr(out, ".1.3.6.1.2.1.4.1.0 = No Such Object"));
	agent_get_stats(a, &st);
	assert_int_equal(st.requests, 2);
	assert_int_equal(st.bad_community, 0);
	stop(a);
}

static void test_getnext_walk_bulkwalk(void **state)
{
	static char got[4096];
	struct agent *a;

	(void)state;
	NEED_TOOL("snmpwalk");
	NEED_TOOL("snmpbulkwalk");
	NEED_TOOL("snmpgetnext");
	a = start4(NULL, NULL);
	/* GETNEXT from inside system jumps to 140 over the unregistered ip group;
	 * after the playpen module come the usmStats counters. */
	assert_int_equal(run(TOOL(V2C("snmpgetnext", "public"), PEER4, "1.3.6.1.2.1.1.5.0",
				  "1.3.6.1.2.1.140.1.3.3.0", "1.3.6.1.4.1.8072.9999.4491.1.1.0")), 0);
	oids_of(out, got, sizeof(got));
	assert_string_equal(got, ".1.3.6.1.2.1.140.1.1.3.0 .1.3.6.1.4.1.4491.2.2.10.5.1.1.0 "
				 ".1.3.6.1.6.3.15.1.1.1.0");
	assert_int_equal(run(TOOL(V2C("snmpgetnext", "public"), PEER4, "1.3.6.1.6.3.15.1.1.6.0")), 0);
	assert_non_null(strstr(out, ".1.3.6.1.6.3.15.1.1.6.0 = No more variables"));

	assert_int_equal(run(TOOL(V2C("snmpwalk", "public"), PEER4, "1.3.6.1")), 0);
	oids_of(out, got, sizeof(got));
	assert_string_equal(got, walk_all);
	assert_non_null(strstr(out, ".1.3.6.1.2.1.140.1.1.7.0 = STRING: \"EDVA\""));

	assert_int_equal(run(TOOL(V2C("snmpbulkwalk", "public"), "-Cr5", PEER4, "1.3.6.1")), 0);
	oids_of(out, got, sizeof(got));
	assert_string_equal(got, walk_all);

	/* A walk of one subtree stays in it. */
	assert_int_equal(run(TOOL(V2C("snmpbulkwalk", "public"), PEER4, "1.3.6.1.2.1.140")), 0);
	oids_of(out, got, sizeof(got));
	assert_string_equal(got, ".1.3.6.1.2.1.140.1.1.3.0 .1.3.6.1.2.1.140.1.1.6.0 "
			    ".1.3.6.1.2.1.140.1.1.7.0 .1.3.6.1.2.1.140.1.1.8.0 "
			    ".1.3.6.1.2.1.140.1.1.11.0 .1.3.6.1.2.1.140.1.2.9.0 .1.3.6.1.2.1.140.1.3.3.0");
	stop(a);
}

/* ------------------------------------------------------------ SET */

static void test_set_from_manager(void **state)
{
	struct agent *a;
	struct agent_stats st;

	(void)state;
	NEED_TOOL("snmpset");
	a = start4(NULL, "s3cret");
	/* eUE-19's shape: several objects in one PDU. */
	assert_int_equal(run(TOOL(V2C("snmpset", "s3cret"), PEER4,
				  "1.3.6.1.2.1.140.1.2.9.0", "s", "tftp://192.0.2.1/eue.bin",
				  "1.3.6.1.2.1.1.5.0", "s", "eue-new",
				  "1.3.6.1.2.1.140.1.1.6.0", "i", "2")), 0);
	assert_non_null(strstr(out, ".1.3.6.1.2.1.140.1.2.9.0 = STRING: \"tftp://192.0.2.1/eue.bin\""));
	assert_int_equal(fm.begins, 1);     /* one transaction for the PDU's three subtrees' VarBinds */
	assert_int_equal(fm.tests, 3);
	assert_int_equal(fm.checks, 1);
	assert_int_equal(fm.commits, 1);
	assert_int_equal(fm.aborts, 0);
	assert_int_equal(fm.o[10].len, strlen("tftp://192.0.2.1/eue.bin"));
	assert_int_equal(fm.o[6].num, 2);
	/* Read back through the agent. */
	assert_int_equal(run(TOOL(V2C("snmpget", "public"), PEER4, "1.3.6.1.2.1.1.5.0")), 0);
	assert_non_null(strstr(out, ".1.3.6.1.2.1.1.5.0 = STRING: \"eue-new\""));

	/* One bad VarBind: wrongValue at its index, and nothing applied (atomic). */
	run(TOOL(V2C("snmpset", "s3cret"), PEER4, "1.3.6.1.2.1.1.5.0", "s", "other",
		 "1.3.6.1.2.1.140.1.1.6.0", "i", "7"));
	assert_non_null(strstr(out, "wrongValue"));
	assert_non_null(strstr(out, "1.3.6.1.2.1.140.1.1.6.0"));
	assert_int_equal(fm.commits, 1);
	assert_int_equal(fm.aborts, 1);
	assert_memory_equal(fm.o[3].str, "eue-new", 7);
	/* Type, access and creation errors come from the model. */
	run(TOOL(V2C("snmpset", "s3cret"), PEER4, "1.3.6.1.2.1.1.5.0", "i", "1"));
	assert_non_null(strstr(out, "wrongType"));
	run(TOOL(V2C("snmpset", "s3cret"), PEER4, "1.3.6.1.2.1.1.1.0", "s", "x"));
	assert_non_null(strstr(out, "notWritable"));
	run(TOOL(V2C("snmpset", "s3cret"), PEER4, "1.3.6.1.2.1.1.77.0", "s", "x"));
	assert_non_null(strstr(out, "noCreation"));
	/* The whole-transaction check (mib_set_check) refuses before commit. */
	run(TOOL(V2C("snmpset", "s3cret"), PEER4, "1.3.6.1.2.1.1.5.0", "s", "inconsistent"));
	assert_non_null(strstr(out, "inconsistentValue"));
	assert_memory_equal(fm.o[3].str, "eue-new", 7);
	assert_int_equal(fm.commits, 1);
	agent_get_stats(a, &st);
	assert_int_equal(st.set_commits, 1);
	assert_int_equal(st.set_rejects, 5);
	assert_false(fm.open);
	stop(a);
}

/*
 * Access: the read-only community from anywhere (SET -> noAccess); the
 * read-write community only from a manager; anything else dropped and
 * counted.  127.0.0.2 is a second loopback source (--clientaddr).
 */
static void test_access_control(void **state)
{
	struct agent *a;
	struct agent_stats st;
	struct net_addr mgr[2];

	(void)state;
	NEED_TOOL("snmpset");
	NEED_TOOL("snmpget");
	a = start4("pub", "priv");
	run(TOOL(V2C("snmpset", "pub"), PEER4, "1.3.6.1.2.1.1.5.0", "s", "ro-write"));
	assert_non_null(strstr(out, "noAccess"));
	assert_int_equal(fm.begins, 0);
	/* The ro community is answered from another source too. */
	assert_int_equal(run(TOOL(V2C("snmpget", "pub"), "--clientaddr=127.0.0.2", PEER4,
				  "1.3.6.1.2.1.1.5.0")), 0);
	assert_non_null(strstr(out, "STRING: \"eue1\""));
	/* rw community from a non-manager: no answer at all. */
	assert_int_not_equal(run(TOOL(V2C("snmpset", "priv"), "--clientaddr=127.0.0.2", PEER4,
				      "1.3.6.1.2.1.1.5.0", "s", "intruder")), 0);
	assert_non_null(strstr(out, "Timeout"));
	assert_int_not_equal(run(TOOL(V2C("snmpget", "priv"), "--clientaddr=127.0.0.2", PEER4,
				      "1.3.6.1.2.1.1.5.0")), 0);
	assert_non_null(strstr(out, "Timeout"));
	/* Unknown community, and SNMPv1: dropped. */
	assert_int_not_equal(run(TOOL(V2C("snmpget", "public"), PEER4, "1.3.6.1.2.1.1.5.0")), 0);
	assert_non_null(strstr(out, "Timeout"));
	assert_int_not_equal(run(TOOL("snmpget", "-v1", "-c", "pub", "-r", "0", "-t", "1", PEER4,
				      "1.3.6.1.2.1.1.5.0")), 0);
	assert_non_null(strstr(out, "Timeout"));
	/* SNMPv3 (no USM user until the Secure flow): USM's own RFC 3414 report
	 * (usmStatsUnknownUserNames), nothing reaches the model. */
	assert_int_not_equal(run(TOOL("snmpget", "-v3", "-u", "nobody", "-l", "noAuthNoPriv", "-r", "0",
				      "-t", "1", PEER4, "1.3.6.1.2.1.1.5.0")), 0);
	assert_non_null(strstr(out, "Unknown user name"));
	assert_null(strstr(out, "eue1"));
	assert_int_equal(fm.begins, 0);
	assert_memory_equal(fm.o[3].str, "eue1", 4);
	agent_get_stats(a, &st);
	assert_int_equal(st.ro_set, 1);
	assert_int_equal(st.bad_source, 2);
	assert_int_equal(st.bad_community, 1);
	assert_int_equal(st.bad_version, 1);
	assert_int_equal(st.requests, 2);

	/* The caller adds 127.0.0.2 (a new SNMP entity): its SET now applies. */
	assert_int_equal(net_addr_parse("127.0.0.1", &mgr[0]), 0);
	assert_int_equal(net_addr_parse("127.0.0.2", &mgr[1]), 0);
	agent_set_managers(a, mgr, 2);
	assert_int_equal(run(TOOL(V2C("snmpset", "priv"), "--clientaddr=127.0.0.2", PEER4,
				  "1.3.6.1.2.1.1.5.0", "s", "by-entity")), 0);
	assert_memory_equal(fm.o[3].str, "by-entity", 9);
	/* ... and removing every manager closes the door again. */
	agent_set_managers(a, NULL, 0);
	assert_int_not_equal(run(TOOL(V2C("snmpset", "priv"), PEER4, "1.3.6.1.2.1.1.5.0", "s",
				      "x")), 0);
	assert_int_equal(fm.commits, 1);
	stop(a);
}

static int have_ipv6_loopback(void)
{
	struct sockaddr_in6 sin6;
	int fd = socket(AF_INET6, SOCK_DGRAM, 0), ok;

	if (fd < 0)
		return 0;
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	ok = bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) == 0;
	close(fd);
	return ok;
}

static void test_ipv6(void **state)
{
	struct agent_config c;
	struct agent *a = NULL;
	struct agent_stats st;
	static char got[4096];

	(void)state;
	NEED_TOOL("snmpwalk");
	NEED_TOOL("snmpset");
	NEED_TOOL("snmpget");
	if (!have_ipv6_loopback()) {
		print_message("skipped: no ::1 here\n");
		skip();
	}
	memset(&c, 0, sizeof(c));
	assert_int_equal(net_addr_parse("::1", &c.listen), 0);
	c.listen.port = AGENT_PORT;
	assert_int_equal(net_addr_parse("::1", &c.managers[0]), 0);
	c.n_managers = 1;
	assert_int_equal(agent_start(&a, lp, &handle, &c), 0);
	cur = a;
	assert_int_equal(run(TOOL(V2C("snmpwalk", "public"), "udp6:[::1]:16161", "1.3.6.1")), 0);
	oids_of(out, got, sizeof(got));
	assert_string_equal(got, walk_all);
	assert_int_equal(run(TOOL(V2C("snmpset", "private"), "udp6:[::1]:16161",
				  "1.3.6.1.2.1.1.5.0", "s", "v6")), 0);
	assert_memory_equal(fm.o[3].str, "v6", 2);
	/* Only ::1 listens: IPv4 gets nothing. */
	assert_int_not_equal(run(TOOL(V2C("snmpget", "public"), PEER4, "1.3.6.1.2.1.1.5.0")), 0);
	agent_get_stats(a, &st);
	assert_int_equal(st.requests, 21);  /* the walk: 19 objects + 1 GETNEXTs; the SET */
	stop(a);
}

/* ------------------------------------------------------------ notifications */

struct done {
	int calls;
	int acked;
};

static void on_done(void *arg, int acked)
{
	struct done *d = arg;

	d->calls++;
	d->acked = acked;
}

static void wait_done(struct done *d, int n, unsigned max_ms)
{
	uint64_t t0 = clock_mono_ms();

	while (d->calls < n && clock_mono_ms() - t0 < max_ms)
		loop_run_once(lp, 10);
}

static struct notify_dest dest4(uint16_t port, uint8_t type)
{
	struct notify_dest d;

	memset(&d, 0, sizeof(d));
	assert_int_equal(net_addr_parse("127.0.0.1", &d.addr), 0);
	d.addr.port = port;
	d.type = type;          /* timeout_ms 0: 1 s, 3 retries */
	return d;
}

static pid_t trapd_start(char *log, size_t cap)
{
	char conf[128], pidf[128];
	FILE *f;
	pid_t pid;

	snprintf(conf, sizeof(conf), "%s/snmptrapd.conf", tmpdir);
	snprintf(pidf, sizeof(pidf), "%s/snmptrapd.pid", tmpdir);
	snprintf(log, cap, "%s/snmptrapd.log", tmpdir);
	f = fopen(conf, "w");
	assert_non_null(f);
	fputs("authCommunity log public\n", f);
	fclose(f);
	unlink(pidf);
	pid = spawn(TOOL("snmptrapd", "-f", "-Lo", "-n", "-On", "-C", "-c", conf, "-p", pidf,
			 "udp:127.0.0.1:16162"), log);
	trapd = pid;
	/* Ready once it has written its pid file (after opening its socket). */
	for (int i = 0; i < 500 && access(pidf, F_OK) != 0; i++) {
		int status;

		if (waitpid(pid, &status, WNOHANG) == pid) {
			trapd = -1;
			slurp(log, out, sizeof(out));
			fail_msg("snmptrapd exited: %.500s", out);
		}
		usleep(10000);
	}
	assert_int_equal(access(pidf, F_OK), 0);
	return pid;
}

/* How many times s occurs in the file at path. */
static int count_of(const char *path, const char *s)
{
	static char buf[65536];
	int n = 0;

	slurp(path, buf, sizeof(buf));
	for (const char *p = strstr(buf, s); p != NULL; p = strstr(p + 1, s))
		n++;
	return n;
}

static void trapd_stop(pid_t pid, const char *log)
{
	int status;

	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	trapd = -1;
	slurp(log, out, sizeof(out));
}

static void test_informs_to_snmptrapd(void **state)
{
	char log[128];
	struct agent *a;
	struct agent_stats st;
	struct notify_dest d;
	struct done enr = { 0, -99 }, sta = { 0, -99 }, v2trap = { 0, -99 }, v1trap = { 0, -99 };
	pid_t pid;

	(void)state;
	NEED_TOOL("snmptrapd");
	a = start4(NULL, NULL);
	pid = trapd_start(log, sizeof(log));
	d = dest4(TRAPD_PORT, NOTIFY_V2C_INFORM);
	assert_int_equal(agent_notify(a, NOTIFY_ENROLLMENT, &d, on_done, &enr), 0);
	assert_int_equal(enr.calls, 0);     /* never from inside agent_notify */
	wait_done(&enr, 1, 10000);
	assert_int_equal(enr.calls, 1);
	assert_int_equal(enr.acked, 1);
	assert_int_equal(agent_notify(a, NOTIFY_STATUS, &d, on_done, &sta), 0);
	wait_done(&sta, 1, 10000);
	assert_int_equal(sta.acked, 1);
	/* TLV 38.3 types 2 and 1: traps, complete once sent. */
	d.type = NOTIFY_V2C_TRAP;
	assert_int_equal(agent_notify(a, NOTIFY_STATUS, &d, on_done, &v2trap), 0);
	d.type = NOTIFY_V1_TRAP;
	assert_int_equal(agent_notify(a, NOTIFY_STATUS, &d, on_done, &v1trap), 0);
	wait_done(&v1trap, 1, 2000);
	wait_done(&v2trap, 1, 2000);
	assert_int_equal(v2trap.acked, 1);
	assert_int_equal(v1trap.acked, 1);
	/* Let snmptrapd log all four: three SNMPv2 notifications, one v1 trap. */
	for (int i = 0; i < 100 && (count_of(log, ".1.3.6.1.6.3.1.1.4.1.0 = OID") < 3 ||
				    count_of(log, "Enterprise Specific Trap") < 1); i++)
		run_loop_ms(50);
	assert_int_equal(agent_notify_pending(a), 0);
	agent_get_stats(a, &st);
	assert_int_equal(st.notify_sent, 4);
	assert_int_equal(st.notify_acked, 4);
	stop(a);
	trapd_stop(pid, log);

	/* The enrollment: sysUpTime, snmpTrapOID, then its OBJECTS in order, from the model. */
	assert_non_null(strstr(out,
		".1.3.6.1.2.1.1.3.0 = Timeticks: (4200) 0:00:42.00\t"
		".1.3.6.1.6.3.1.1.4.1.0 = OID: .1.3.6.1.2.1.140.0.1\t"
		".1.3.6.1.2.1.1.1.0 = STRING: \"eUE agent test\"\t"
		".1.3.6.1.2.1.140.1.1.3.0 = STRING: \"v9.1\"\t"
		".1.3.6.1.2.1.140.1.1.7.0 = STRING: \"EDVA\"\t"
		".1.3.6.1.2.1.140.1.3.3.0 = INTEGER: 77\n"));
	/* The status, as INFORM and as v2c trap (no ifPhysAddress in this model). */
	assert_int_equal(count_of(log, ".1.3.6.1.6.3.1.1.4.1.0 = OID: .1.3.6.1.2.1.140.0.2\t"
					".1.3.6.1.2.1.140.1.3.3.0 = INTEGER: 77\t"
					".1.3.6.1.2.1.140.1.1.8.0 = INTEGER: 2\t"
					".1.3.6.1.4.1.8072.9999.4491.1.1.0 = INTEGER: 1\n"), 2);
	/* The v1 trap: RFC 3584 3.2 enterprise and specific trap, then the OBJECTS. */
	assert_non_null(strstr(out, "TRAP, SNMP v1, community public\n"
			    "\t.1.3.6.1.2.1.140 Enterprise Specific Trap (2) Uptime: 0:00:42.00\n"
			    "\t.1.3.6.1.2.1.140.1.3.3.0 = INTEGER: 77"
			    "\t.1.3.6.1.2.1.140.1.1.8.0 = INTEGER: 2"
			    "\t.1.3.6.1.4.1.8072.9999.4491.1.1.0 = INTEGER: 1\n"));
}

/* A receiver that never answers: every retry goes out, then "timed out". */
static void test_inform_timeout(void **state)
{
	struct sockaddr_in sin;
	struct agent *a;
	struct agent_stats st;
	struct notify_dest d;
	struct done dn = { 0, -99 };
	uint8_t buf[1500];
	uint64_t t0;
	int fd, got = 0;

	(void)state;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(SILENT_PORT);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	a = start4(NULL, NULL);
	d = dest4(SILENT_PORT, NOTIFY_V2C_INFORM);
	d.timeout_ms = 200;
	d.retries = 2;
	t0 = clock_mono_ms();
	assert_int_equal(agent_notify(a, NOTIFY_ENROLLMENT, &d, on_done, &dn), 0);
	wait_done(&dn, 1, 5000);
	assert_int_equal(dn.calls, 1);
	assert_int_equal(dn.acked, 0);
	/* 1 + 2 retries, 200 ms apart. */
	assert_true(clock_mono_ms() - t0 >= 550);
	assert_true(clock_mono_ms() - t0 < 2000);
	while (recv(fd, buf, sizeof(buf), 0) > 0)
		got++;
	assert_int_equal(got, 3);
	agent_get_stats(a, &st);
	assert_int_equal(st.notify_timeouts, 1);
	assert_int_equal(agent_notify_pending(a), 0);

	/* No 38.4 (timeout_ms 0): the defaults, 1 s per try, so 2 sends in 1.4 s. */
	dn.calls = 0;
	d.timeout_ms = 0;
	d.retries = 0;
	assert_int_equal(agent_notify(a, NOTIFY_STATUS, &d, on_done, &dn), 0);
	run_loop_ms(1400);
	got = 0;
	while (recv(fd, buf, sizeof(buf), 0) > 0)
		got++;
	assert_int_equal(got, 2);
	/* Stopping with an INFORM outstanding drops it: no callback afterwards. */
	assert_int_equal(agent_notify_pending(a), 1);
	stop(a);
	run_loop_ms(300);
	assert_int_equal(dn.calls, 0);
	close(fd);
}

/*
 * A callback that stops the agent (eUE-15 failed: the flow restarts at
 * eUE-1 and re-provisioning starts a new agent): the other INFORM that
 * timed out in the same pass is dropped, its callback never runs.
 */
static struct agent *stop_in_cb;

static void on_done_stop(void *arg, int acked)
{
	on_done(arg, acked);
	stop(stop_in_cb);
}

static void test_stop_from_callback(void **state)
{
	struct agent *a;
	struct notify_dest d;
	struct done d1 = { 0, -99 }, d2 = { 0, -99 };

	(void)state;
	a = start4(NULL, NULL);
	stop_in_cb = a;
	d = dest4(SILENT_PORT, NOTIFY_V2C_INFORM);     /* nobody listens: ICMP or silence */
	d.timeout_ms = 100;
	d.retries = 0;
	assert_int_equal(agent_notify(a, NOTIFY_ENROLLMENT, &d, on_done_stop, &d1), 0);
	assert_int_equal(agent_notify(a, NOTIFY_ENROLLMENT, &d, on_done_stop, &d2), 0);
	wait_done(&d1, 1, 3000);
	run_loop_ms(300);
	assert_null(cur);
	assert_int_equal(d1.calls + d2.calls, 1);
	assert_int_equal(loop_timer_count(lp), 0);
	/* A new agent starts at once. */
	a = start4(NULL, NULL);
	stop(a);
}

static void test_notify_errors(void **state)
{
	struct agent *a;
	struct notify_dest d;
	struct done dn = { 0, -99 };
	uint32_t corr[] = { 1, 3, 6, 1, 2, 1, 140, 1, 3, 3, 0 };
	struct fobj *o;

	(void)state;
	a = start4(NULL, NULL);
	/* SNMPv3 types before a USM user exists. */
	d = dest4(SILENT_PORT, NOTIFY_V3_INFORM);
	assert_int_equal(agent_notify(a, NOTIFY_ENROLLMENT, &d, on_done, &dn), E_STATE);
	d.type = NOTIFY_V3_TRAP;
	assert_int_equal(agent_notify(a, NOTIFY_STATUS, &d, on_done, &dn), E_STATE);
	d.type = 9;
	assert_int_equal(agent_notify(a, NOTIFY_STATUS, &d, on_done, &dn), E_INVAL);
	/* The model lacks a mandatory object (pktcMtaDevCorrelationId). */
	d.type = NOTIFY_V2C_INFORM;
	o = fm_find(corr, 11);
	if (o == NULL)
		fail_msg("no pktcMtaDevCorrelationId in the fake");
	else
		o->oid[9] = 99;     /* moved away: the model no longer has it */
	assert_int_equal(agent_notify(a, NOTIFY_STATUS, &d, on_done, &dn), E_NOTFOUND);
	run_loop_ms(50);
	assert_int_equal(dn.calls, 0);
	assert_int_equal(agent_notify_pending(a), 0);
	/* agent_set_usm_user(): lengths and codes as RFC 3414 / 3826 have them. */
	{
		uint8_t k[21] = { 1 };

		assert_int_equal(agent_set_usm_user(a, "u", 0, NULL, 0, 0, NULL, 0), E_INVAL);
		assert_int_equal(agent_set_usm_user(a, "u", AGENT_USM_AUTH_SHA, k, 16,
						    AGENT_USM_PRIV_AES, k, 16), E_INVAL);
		assert_int_equal(agent_set_usm_user(a, "u", AGENT_USM_AUTH_MD5, k, 20,
						    AGENT_USM_PRIV_AES, k, 16), E_INVAL);
		assert_int_equal(agent_set_usm_user(a, "u", AGENT_USM_AUTH_SHA, k, 20,
						    AGENT_USM_PRIV_DES, k, 8), E_INVAL);
		assert_int_equal(agent_set_usm_user(a, "u", AGENT_USM_AUTH_SHA, k, 20, 7, k, 16),
				 E_INVAL);
		assert_int_equal(agent_set_usm_user(a, "u", AGENT_USM_AUTH_SHA, k, 20,
						    AGENT_USM_PRIV_NONE, k, 16), E_INVAL);
		assert_int_equal(agent_set_usm_user(a, "", AGENT_USM_AUTH_SHA, k, 20,
						    AGENT_USM_PRIV_AES, k, 16), E_INVAL);
		assert_int_equal(agent_set_usm_user(a, "123456789012345678901234567890123",
						    AGENT_USM_AUTH_SHA, k, 20,
						    AGENT_USM_PRIV_AES, k, 16), E_INVAL);
		assert_int_equal(agent_set_usm_user(NULL, "u", AGENT_USM_AUTH_SHA, k, 20,
						    AGENT_USM_PRIV_AES, k, 16), E_INVAL);
		/* v2c mode takes a user too (it signs types 4/5 only). */
		assert_int_equal(agent_set_usm_user(a, "u", AGENT_USM_AUTH_MD5, k, 16,
						    AGENT_USM_PRIV_NONE, NULL, 0), 0);
	}
	stop(a);
}

/* ------------------------------------------------------------ lifecycle */

static void test_start_errors(void **state)
{
	struct agent_config c;
	struct agent *a = NULL, *b = NULL;
	int fds;

	(void)state;
	a = start4(NULL, NULL);
	memset(&c, 0, sizeof(c));
	assert_int_equal(net_addr_parse("127.0.0.1", &c.listen), 0);
	c.listen.port = AGENT_PORT + 10;
	assert_int_equal(agent_start(&b, lp, &handle, &c), E_STATE);   /* one per process */
	assert_null(b);
	stop(a);
	fds = fd_count();
	/* An address this host does not have (TEST-NET-1). */
	assert_int_equal(net_addr_parse("192.0.2.1", &c.listen), 0);
	assert_int_equal(agent_start(&b, lp, &handle, &c), E_IO);
	assert_null(b);
	assert_int_equal(fd_count(), fds);
	c.listen.family = AF_UNIX;
	assert_int_equal(agent_start(&b, lp, &handle, &c), E_INVAL);
	assert_int_equal(net_addr_parse("127.0.0.1", &c.listen), 0);
	c.ro_community = "";
	assert_int_equal(agent_start(&b, lp, &handle, &c), E_INVAL);
	/* After the failures a start works. */
	a = start4(NULL, NULL);
	stop(a);
	agent_stop(NULL);
}

/* A re-provisioning restarts the agent: nothing may pile up (ASan checks memory). */
static void test_start_stop_100(void **state)
{
	struct agent *a;
	int fds;
	unsigned watched;

	(void)state;
	a = start4(NULL, NULL);     /* the first start initialises Net-SNMP itself */
	stop(a);
	fds = fd_count();
	watched = loop_fd_count(lp);
	for (int i = 0; i < 100; i++) {
		a = start4(NULL, NULL);
		assert_true(loop_fd_count(lp) > watched);
		stop(a);
		assert_int_equal(loop_fd_count(lp), watched);
		assert_int_equal(loop_timer_count(lp), 0);
	}
	assert_int_equal(fd_count(), fds);
	/* The 101st still answers. */
	if (have_tool("snmpget")) {
		a = start4(NULL, NULL);
		assert_int_equal(run(TOOL(V2C("snmpget", "public"), PEER4, "1.3.6.1.2.1.1.1.0")), 0);
		assert_non_null(strstr(out, "eUE agent test"));
		stop(a);
	}
}

/* ------------------------------------------------------------ SNMPv3 USM */

static const uint8_t eue_mac[6] = { 0x00, 0x10, 0x95, 0xaa, 0xbb, 0xcc };
/* Localized keys as km_usm_derive() would give them (A1): SHA-1 20, AES 16. */
static const uint8_t k_sha[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
				   19, 20 };
static const uint8_t k_aes[16] = { 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a,
				   0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30 };
#define HEX_SHA "0x0102030405060708090a0b0c0d0e0f1011121314"
#define HEX_AES "0x2122232425262728292a2b2c2d2e2f30"
#define HEX_SHA_BAD "0x0102030405060708090a0b0c0d0e0f1011121315"
#define HEX_EID "0x800011" "8b03" "001095aabbcc"    /* RFC 3411 format 3: 4491, MAC */
/* MD5 / DES keys of a rekey */
static const uint8_t k_md5[16] = { 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a,
				   0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50 };
static const uint8_t k_des[16] = { 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a,
				   0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70 };
#define HEX_MD5 "0x4142434445464748494a4b4c4d4e4f50"
#define HEX_DES "0x6162636465666768696a6b6c6d6e6f70"

#define V3(tool, lvl, user, a, ak, x, xk) tool, "-v3", "-l", lvl, "-u", user, "-a", a, "-3k", ak, \
	"-x", x, "-3K", xk, "-r", "0", "-t", "1", "-On"
#define V3OK(tool) V3(tool, "authPriv", "eue", "SHA", HEX_SHA, "AES", HEX_AES)

static struct agent *start_mode(enum agent_snmp_mode mode)
{
	struct agent_config c;
	struct agent *a = NULL;

	memset(&c, 0, sizeof(c));
	assert_int_equal(net_addr_parse("127.0.0.1", &c.listen), 0);
	c.listen.port = AGENT_PORT;
	assert_int_equal(net_addr_parse("127.0.0.1", &c.managers[0]), 0);
	c.n_managers = 1;
	c.mode = mode;
	memcpy(c.mac, eue_mac, 6);
	c.engine_boots = 7;
	assert_int_equal(agent_start(&a, lp, &handle, &c), 0);
	cur = a;
	return a;
}

static void usm_user_sha_aes(struct agent *a)
{
	assert_int_equal(agent_set_usm_user(a, "eue", AGENT_USM_AUTH_SHA, k_sha, 20,
					    AGENT_USM_PRIV_AES, k_aes, 16), 0);
}

/* Secure: SNMPv3 only, the derived keys as -3k / -3K (localized keys). */
static void test_usm_requests(void **state)
{
	static const uint8_t want_eid[] = { 0x80, 0x00, 0x11, 0x8b, 0x03, 0x00, 0x10, 0x95, 0xaa,
					    0xbb, 0xcc };
	uint8_t eid[AGENT_ENGINE_ID_MAX], fmt[AGENT_ENGINE_ID_LEN];
	uint32_t boots = 0, t = 99999;
	struct agent *a;
	struct agent_stats st;

	(void)state;
	NEED_TOOL("snmpget");
	NEED_TOOL("snmpset");
	NEED_TOOL("snmpwalk");
	a = start_mode(AGENT_SNMP_USM);
	assert_int_equal(agent_engine_id(a, eid, sizeof(eid), &boots, &t), AGENT_ENGINE_ID_LEN);
	assert_memory_equal(eid, want_eid, sizeof(want_eid));
	agent_engine_id_mac(eue_mac, fmt);
	assert_memory_equal(fmt, want_eid, sizeof(want_eid));
	assert_int_equal(boots, 7);
	assert_true(t < 100000);
	assert_int_equal(agent_engine_id(a, eid, 5, NULL, NULL), E_INVAL);

	/* Before the keys: nothing but the engine-ID discovery (the tool
	 * learns the engine, then its GET goes unanswered); SNMPv2c gets
	 * nothing either. */
	assert_int_not_equal(run(TOOL(V3OK("snmpget"), PEER4, "1.3.6.1.2.1.1.5.0")), 0);
	assert_non_null(strstr(out, "Timeout"));
	agent_get_stats(a, &st);
	assert_int_equal(st.usm_discovery, 1);
	assert_int_equal(st.usm_unknown_user, 1);
	assert_int_equal(st.usm_reports_held, 1);
	assert_int_equal(st.requests, 0);
	assert_int_not_equal(run(TOOL(V2C("snmpget", "public"), PEER4, "1.3.6.1.2.1.1.5.0")), 0);
	assert_non_null(strstr(out, "Timeout"));

	usm_user_sha_aes(a);
	assert_int_equal(run(TOOL(V3OK("snmpget"), PEER4, "1.3.6.1.2.1.1.5.0")), 0);
	assert_non_null(strstr(out, ".1.3.6.1.2.1.1.5.0 = STRING: \"eue1\""));
	/* The engine ID the AP Request carries is the one the agent answers for. */
	assert_int_equal(run(TOOL(V3OK("snmpget"), "-e", HEX_EID, PEER4, "1.3.6.1.2.1.1.1.0")), 0);
	assert_non_null(strstr(out, "eUE agent test"));
	assert_int_equal(run(TOOL(V3OK("snmpwalk"), PEER4, "1.3.6.1")), 0);
	{
		static char got[4096];

		oids_of(out, got, sizeof(got));
		assert_string_equal(got, walk_all);
	}
	/* eUE-19: the SET of the file URL, authPriv. */
	assert_int_equal(run(TOOL(V3OK("snmpset"), PEER4, "1.3.6.1.2.1.140.1.2.9.0", "s",
				  "tftp://192.0.2.1/secure.bin")), 0);
	assert_int_equal(fm.commits, 1);
	assert_memory_equal(fm.o[10].str, "tftp://192.0.2.1/secure.bin", 27);
	agent_get_stats(a, &st);
	assert_int_equal(st.usm_requests, 1 + 1 + 20 + 1);
	assert_true(st.usm_discovery >= 4);     /* each tool run but the -e one discovers */

	/* Refused: a wrong auth key, an unknown user, noAuthNoPriv, authNoPriv, v2c. */
	assert_int_not_equal(run(TOOL(V3("snmpget", "authPriv", "eue", "SHA", HEX_SHA_BAD, "AES",
					 HEX_AES), PEER4, "1.3.6.1.2.1.1.5.0")), 0);
	assert_non_null(strstr(out, "Authentication failure"));
	/* The right auth key, a wrong priv key: nothing decrypts, no answer. */
	assert_int_not_equal(run(TOOL(V3("snmpset", "authPriv", "eue", "SHA", HEX_SHA, "AES",
					 HEX_DES), PEER4, "1.3.6.1.2.1.1.5.0", "s", "badpriv")), 0);
	agent_get_stats(a, &st);
	assert_int_equal(st.parse_errors + st.usm_decrypt_errors, 1);
	assert_int_equal(st.usm_requests, 23);
	assert_int_not_equal(run(TOOL(V3("snmpset", "authPriv", "intruder", "SHA", HEX_SHA, "AES",
					 HEX_AES), PEER4, "1.3.6.1.2.1.1.5.0", "s", "x")), 0);
	assert_non_null(strstr(out, "Unknown user name"));
	assert_int_not_equal(run(TOOL("snmpset", "-v3", "-l", "noAuthNoPriv", "-u", "eue",
				      "-r", "0", "-t", "1", PEER4, "1.3.6.1.2.1.1.5.0", "s",
				      "noauth")), 0);
	assert_non_null(strstr(out, "authorizationError"));
	assert_int_not_equal(run(TOOL("snmpget", "-v3", "-l", "authNoPriv", "-u", "eue",
				      "-a", "SHA", "-3k", HEX_SHA, "-r", "0", "-t", "1", PEER4,
				      "1.3.6.1.2.1.1.5.0")), 0);
	assert_non_null(strstr(out, "authorizationError"));
	assert_null(strstr(out, "eue1"));
	assert_int_not_equal(run(TOOL(V2C("snmpset", "private"), PEER4, "1.3.6.1.2.1.1.5.0", "s",
				      "v2c")), 0);
	assert_non_null(strstr(out, "Timeout"));
	assert_memory_equal(fm.o[3].str, "eue1", 4);
	assert_int_equal(fm.commits, 1);
	assert_int_equal(fm.begins, 1);
	agent_get_stats(a, &st);
	assert_int_equal(st.usm_wrong_digest, 1);
	assert_int_equal(st.usm_unknown_user, 2);  /* one before the keys, "intruder" */
	/* ... and the manager reads the refusals as usmStats (RFC 3414): wrong
	 * digests and unknown user names are not zero (the library's counters
	 * count since the process began, so other tests add to them) */
	assert_int_equal(run(TOOL(V3OK("snmpget"), PEER4, "1.3.6.1.6.3.15.1.1.5.0",
				  "1.3.6.1.6.3.15.1.1.3.0")), 0);
	assert_non_null(strstr(out, ".1.3.6.1.6.3.15.1.1.5.0 = Counter32: "));
	assert_null(strstr(out, ".1.3.6.1.6.3.15.1.1.5.0 = Counter32: 0\n"));
	assert_null(strstr(out, ".1.3.6.1.6.3.15.1.1.3.0 = Counter32: 0\n"));
	assert_int_not_equal(run(TOOL(V3OK("snmpset"), PEER4, "1.3.6.1.6.3.15.1.1.5.0", "c", "0")), 0);
	agent_get_stats(a, &st);
	assert_int_equal(st.usm_reports_held, 1);  /* only before the keys */
	assert_int_equal(st.usm_refused, 2);
	assert_int_equal(st.bad_version, 2);
	/* the walk's 20, the SETs, the usmStats GET and the refused SET of it */
	assert_int_equal(st.usm_requests, 24);
	assert_int_equal(st.requests, 24);

	/* A rekey (MD5 / DES): the old keys stop working, the new ones work. */
	assert_int_equal(agent_set_usm_user(a, "eue", AGENT_USM_AUTH_MD5, k_md5, 16,
					    AGENT_USM_PRIV_DES, k_des, 16), 0);
	assert_int_not_equal(run(TOOL(V3OK("snmpget"), PEER4, "1.3.6.1.2.1.1.5.0")), 0);
	assert_int_equal(run(TOOL(V3("snmpget", "authPriv", "eue", "MD5", HEX_MD5, "DES", HEX_DES),
				  PEER4, "1.3.6.1.2.1.1.5.0")), 0);
	assert_non_null(strstr(out, "STRING: \"eue1\""));
	/* ... and a new user name replaces the old one. */
	assert_int_equal(agent_set_usm_user(a, "eue2", AGENT_USM_AUTH_SHA, k_sha, 20,
					    AGENT_USM_PRIV_AES, k_aes, 16), 0);
	assert_int_not_equal(run(TOOL(V3("snmpget", "authPriv", "eue", "MD5", HEX_MD5, "DES",
					 HEX_DES), PEER4, "1.3.6.1.2.1.1.5.0")), 0);
	assert_non_null(strstr(out, "Unknown user name"));
	assert_int_equal(run(TOOL(V3("snmpget", "authPriv", "eue2", "SHA", HEX_SHA, "AES", HEX_AES),
				  PEER4, "1.3.6.1.2.1.1.5.0")), 0);
	stop(a);
}

/* Both: communities for v2c, USM for v3; v2c mode refuses v3 past USM. */
static void test_usm_modes(void **state)
{
	struct agent *a;
	struct agent_stats st;
	struct agent_config c;

	(void)state;
	NEED_TOOL("snmpget");
	a = start_mode(AGENT_SNMP_BOTH);
	usm_user_sha_aes(a);
	assert_int_equal(run(TOOL(V3OK("snmpget"), PEER4, "1.3.6.1.2.1.1.5.0")), 0);
	assert_int_equal(run(TOOL(V2C("snmpget", "public"), PEER4, "1.3.6.1.2.1.1.5.0")), 0);
	agent_get_stats(a, &st);
	assert_int_equal(st.requests, 2);
	assert_int_equal(st.usm_requests, 1);
	stop(a);

	a = start_mode(AGENT_SNMP_V2C);
	usm_user_sha_aes(a);    /* for notifications only */
	assert_int_not_equal(run(TOOL(V3OK("snmpget"), PEER4, "1.3.6.1.2.1.1.5.0")), 0);
	assert_non_null(strstr(out, "authorizationError"));
	assert_int_equal(run(TOOL(V2C("snmpget", "public"), PEER4, "1.3.6.1.2.1.1.5.0")), 0);
	agent_get_stats(a, &st);
	assert_int_equal(st.bad_version, 1);
	assert_int_equal(st.usm_requests, 0);
	stop(a);

	memset(&c, 0, sizeof(c));
	assert_int_equal(net_addr_parse("127.0.0.1", &c.listen), 0);
	c.mode = (enum agent_snmp_mode)3;
	assert_int_equal(agent_start(&a, lp, &handle, &c), E_INVAL);
}

/*
 * snmptrapd as the provisioning entity with USM: its own engine ID (set,
 * so the test knows it) and the user with the same LOCALIZED keys (-l)
 * under that engine ID for INFORMs, and under ours for traps (RFC 3414:
 * the authoritative engine of a trap is the sender).
 */
#define TRAPD_EID "0x80001f88047472617064"
static const uint8_t trapd_eid[] = { 0x80, 0x00, 0x1f, 0x88, 0x04, 't', 'r', 'a', 'p', 'd' };

static pid_t trapd_usm_start(char *log, size_t cap)
{
	char conf[128], pidf[128];
	FILE *f;
	pid_t pid;

	snprintf(conf, sizeof(conf), "%s/trapd-usm.conf", tmpdir);
	snprintf(pidf, sizeof(pidf), "%s/trapd-usm.pid", tmpdir);
	snprintf(log, cap, "%s/trapd-usm.log", tmpdir);
	f = fopen(conf, "w");
	assert_non_null(f);
	fputs("exactEngineID " TRAPD_EID "\n"
	      "createUser -e " TRAPD_EID " eue SHA -l " HEX_SHA " AES -l " HEX_AES "\n"
	      "createUser -e " HEX_EID " eue SHA -l " HEX_SHA " AES -l " HEX_AES "\n"
	      "authUser log eue priv\n", f);
	fclose(f);
	unlink(pidf);
	/* %P: "TRAP2/INFORM, SNMP v3, user U, context C" */
	pid = spawn(TOOL("snmptrapd", "-f", "-Lo", "-n", "-On", "-C", "-c", conf, "-p", pidf,
			 "-F", "%P:\n%v\n", "udp:127.0.0.1:16162"), log);
	trapd = pid;
	for (int i = 0; i < 500 && access(pidf, F_OK) != 0; i++) {
		int status;

		if (waitpid(pid, &status, WNOHANG) == pid) {
			trapd = -1;
			slurp(log, out, sizeof(out));
			fail_msg("snmptrapd exited: %.500s", out);
		}
		usleep(10000);
	}
	assert_int_equal(access(pidf, F_OK), 0);
	return pid;
}

static void test_usm_notifications(void **state)
{
	char log[128];
	struct agent *a;
	struct agent_stats st;
	struct notify_dest d;
	struct done disc = { 0, -99 }, known = { 0, -99 }, trap = { 0, -99 }, bad = { 0, -99 };
	struct done again = { 0, -99 };
	pid_t pid;

	(void)state;
	NEED_TOOL("snmptrapd");
	a = start_mode(AGENT_SNMP_USM);
	usm_user_sha_aes(a);
	pid = trapd_usm_start(log, sizeof(log));
	/* eUE-15 to an entity whose engine ID is discovered (RFC 3414 4) */
	d = dest4(TRAPD_PORT, NOTIFY_V3_INFORM);
	assert_int_equal(agent_notify(a, NOTIFY_ENROLLMENT, &d, on_done, &disc), 0);
	assert_int_equal(disc.calls, 0);
	wait_done(&disc, 1, 10000);
	assert_int_equal(disc.acked, 1);
	/* eUE-25 to an entity whose engine ID is known (the AP Reply's) */
	d.engine_id = trapd_eid;
	d.engine_id_len = sizeof(trapd_eid);
	assert_int_equal(agent_notify(a, NOTIFY_STATUS, &d, on_done, &known), 0);
	wait_done(&known, 1, 10000);
	assert_int_equal(known.acked, 1);
	/* TLV 38.3 type 4: a trap from our engine */
	d = dest4(TRAPD_PORT, NOTIFY_V3_TRAP);
	assert_int_equal(agent_notify(a, NOTIFY_STATUS, &d, on_done, &trap), 0);
	wait_done(&trap, 1, 2000);
	assert_int_equal(trap.acked, 1);
	for (int i = 0; i < 100 && count_of(log, ".1.3.6.1.6.3.1.1.4.1.0 = OID") < 3; i++)
		run_loop_ms(50);
	/* authUser ... priv: snmptrapd logs nothing below authPriv */
	assert_int_equal(count_of(log, "INFORM, SNMP v3, user eue, context"), 2);
	assert_int_equal(count_of(log, "TRAP2, SNMP v3, user eue, context"), 1);
	assert_int_equal(count_of(log, ".1.3.6.1.6.3.1.1.4.1.0 = OID: .1.3.6.1.2.1.140.0.1\t"), 1);
	assert_int_equal(count_of(log, ".1.3.6.1.6.3.1.1.4.1.0 = OID: .1.3.6.1.2.1.140.0.2\t"), 2);

	/* Keys the receiver does not have: its USM report ends the INFORM. */
	assert_int_equal(agent_set_usm_user(a, "eue", AGENT_USM_AUTH_MD5, k_md5, 16,
					    AGENT_USM_PRIV_DES, k_des, 16), 0);
	d = dest4(TRAPD_PORT, NOTIFY_V3_INFORM);
	d.timeout_ms = 300;
	d.retries = 1;
	assert_int_equal(agent_notify(a, NOTIFY_STATUS, &d, on_done, &bad), 0);
	wait_done(&bad, 1, 5000);
	assert_int_equal(bad.calls, 1);
	assert_int_equal(bad.acked, E_AUTH);       /* its usmStatsWrongDigests report */
	/* Back to the receiver's keys: delivered again (the rekey reaches the
	 * receiver's engine entry too). */
	usm_user_sha_aes(a);
	assert_int_equal(agent_notify(a, NOTIFY_STATUS, &d, on_done, &again), 0);
	wait_done(&again, 1, 5000);
	assert_int_equal(again.acked, 1);
	assert_int_equal(agent_notify_pending(a), 0);
	agent_get_stats(a, &st);
	assert_int_equal(st.notify_sent, 5);
	assert_int_equal(st.notify_acked, 4);
	stop(a);
	trapd_stop(pid, log);
}

/* An SNMPv3 INFORM to nobody: the discovery probe times out like an INFORM. */
static void test_usm_inform_timeout(void **state)
{
	struct agent *a;
	struct notify_dest d;
	struct done dn = { 0, -99 };
	uint64_t t0;

	(void)state;
	a = start_mode(AGENT_SNMP_USM);
	usm_user_sha_aes(a);
	d = dest4(SILENT_PORT, NOTIFY_V3_INFORM);
	d.timeout_ms = 200;
	d.retries = 1;
	t0 = clock_mono_ms();
	assert_int_equal(agent_notify(a, NOTIFY_ENROLLMENT, &d, on_done, &dn), 0);
	assert_true(clock_mono_ms() - t0 < 100);       /* never blocks */
	wait_done(&dn, 1, 5000);
	assert_int_equal(dn.calls, 1);
	assert_int_equal(dn.acked, 0);
	/* Stopping with a probe outstanding frees the held INFORM. */
	dn.calls = 0;
	assert_int_equal(agent_notify(a, NOTIFY_ENROLLMENT, &d, on_done, &dn), 0);
	stop(a);
	run_loop_ms(300);
	assert_int_equal(dn.calls, 0);
}

/* Re-provisioning with keys: the USM user and its keys go with the agent. */
static void test_usm_start_stop_100(void **state)
{
	struct agent *a;
	int fds;

	(void)state;
	a = start_mode(AGENT_SNMP_USM);
	usm_user_sha_aes(a);
	stop(a);
	fds = fd_count();
	for (int i = 0; i < 100; i++) {
		a = start_mode(AGENT_SNMP_USM);
		usm_user_sha_aes(a);
		usm_user_sha_aes(a);    /* and a rekey */
		stop(a);
		assert_int_equal(loop_timer_count(lp), 0);
	}
	assert_int_equal(fd_count(), fds);
	if (have_tool("snmpget")) {
		a = start_mode(AGENT_SNMP_BOTH);
		assert_int_not_equal(run(TOOL(V3OK("snmpget"), PEER4, "1.3.6.1.2.1.1.5.0")), 0);
		assert_non_null(strstr(out, "Unknown user name"));     /* the old user went */
		usm_user_sha_aes(a);
		assert_int_equal(run(TOOL(V3OK("snmpget"), PEER4, "1.3.6.1.2.1.1.5.0")), 0);
		stop(a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_getnext_walk_bulkwalk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_from_manager, setup, teardown),
		cmocka_unit_test_setup_teardown(test_access_control, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_informs_to_snmptrapd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inform_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_from_callback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notify_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_stop_100, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usm_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usm_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usm_notifications, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usm_inform_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usm_start_stop_100, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
