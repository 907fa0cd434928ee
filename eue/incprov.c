/* incprov.c: 6.3.6 incremental provisioning: SNMP AdminStat changes kept and re-applied (incprov.h). */
#include "eue/incprov.h"

#include <stdio.h>
#include <string.h>

#include "platform/err.h"
#include "platform/log.h"

static const uint8_t magic[4] = { 'I', 'N', 'C', '1' };

size_t incprov_encode(const struct incprov_cell *c, size_t n, uint8_t *buf, size_t cap)
{
	size_t i, len = sizeof(magic) + 1 + 3 * n;

	if (n > 255 || len > cap)
		return 0;
	memcpy(buf, magic, sizeof(magic));
	buf[4] = (uint8_t)n;
	for (i = 0; i < n; i++) {
		buf[5 + 3 * i] = c[i].impu;
		buf[6 + 3 * i] = c[i].app;
		buf[7 + 3 * i] = c[i].admin;
	}
	return len;
}

int incprov_decode(const uint8_t *buf, size_t len, struct incprov_cell *c, size_t cap, size_t *n)
{
	size_t i, k;

	*n = 0;
	if (len < 5 || memcmp(buf, magic, sizeof(magic)) != 0)
		return E_PROTO;
	k = buf[4];
	if (len != 5 + 3 * k || k > cap)
		return E_PROTO;
	for (i = 0; i < k; i++) {
		c[i].impu = buf[5 + 3 * i];
		c[i].app = buf[6 + 3 * i];
		c[i].admin = buf[7 + 3 * i];
		/* the index ranges and AdminStat values of mib.c */
		if (c[i].impu < 1 || c[i].impu > 63 || c[i].app < 1 || c[i].app > 31 ||
		    (c[i].admin != 1 && c[i].admin != 2))
			return E_PROTO;
	}
	*n = k;
	return 0;
}

static struct incprov_cell *cell_find(struct incprov_cell *c, size_t n, unsigned impu, unsigned app)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i].impu == impu && c[i].app == app)
			return &c[i];
	return NULL;
}

static void snapshot(struct incprov *ip)
{
	size_t i;

	ip->n_seen = 0;
	for (i = 0; i < ip->m->run.n_apps && i < MIB_APPS_MAX; i++) {
		ip->seen[i].impu = (uint8_t)ip->m->run.apps[i].impu;
		ip->seen[i].app = (uint8_t)ip->m->run.apps[i].app;
		ip->seen[i].admin = ip->m->run.apps[i].admin;
		ip->n_seen++;
	}
}

static void save(struct incprov *ip)
{
	uint8_t buf[5 + 3 * MIB_APPS_MAX];
	size_t len = incprov_encode(ip->ov, ip->n_ov, buf, sizeof(buf));
	int rc;

	if (ip->nv == NULL)
		return;
	rc = len ? nvram_put(ip->nv, INCPROV_NV_KEY, buf, len) : E_OVERFLOW;
	if (rc < 0) {
		ip->save_errors++;
		log_warnx("incremental provisioning: nvram %s: %s", INCPROV_NV_KEY, err_str(rc));
		return;
	}
	ip->saves++;
}

/* The overrides, as one SNMP transaction, on the rows the file made. */
static void replay(struct incprov *ip)
{
	struct mib *m = ip->m;
	struct mib_val v;
	uint32_t oid[] = { 1, 3, 6, 1, 4, 1, 4491, 2, 2, 10, 4, 1, 1, 4, 1, 5, 0, 0 };
	const size_t n = sizeof(oid) / sizeof(oid[0]);
	size_t i, staged = 0;

	if (ip->n_ov == 0)
		return;
	ip->replaying = 1;
	mib_set_begin(m, MIB_BY_SNMP);
	for (i = 0; i < ip->n_ov; i++) {
		struct mib_out out;

		oid[n - 2] = ip->ov[i].impu;
		oid[n - 1] = ip->ov[i].app;
		if (mib_get(m, oid, n, &out) != MIB_GET_OK)
			continue;       /* the file has no such row now: nothing is created */
		memset(&v, 0, sizeof(v));
		v.type = BER_INTEGER;
		v.num = ip->ov[i].admin;
		if (mib_set_test(m, oid, n, &v, NULL) == MIB_E_OK)
			staged++;
	}
	if (staged)
		mib_set_commit(m);
	else
		mib_set_abort(m);
	ip->replaying = 0;
	if (staged)
		log_kv("incprov", "reapplied=%zu kept=%zu", staged, ip->n_ov);
}

/* An SNMP commit changed the table: record, persist and report each change. */
static void snmp_changed(struct incprov *ip)
{
	const struct mib_cfg *c = &ip->m->run;
	struct incprov_cell *o, *s;
	char detail[48];
	int dirty = 0;
	size_t i;

	for (i = 0; i < c->n_apps; i++) {
		const struct mib_app *a = &c->apps[i];

		s = cell_find(ip->seen, ip->n_seen, a->impu, a->app);
		if (s && s->admin == a->admin)
			continue;
		o = cell_find(ip->ov, ip->n_ov, a->impu, a->app);
		if (o == NULL && ip->n_ov < MIB_APPS_MAX) {
			o = &ip->ov[ip->n_ov++];
			o->impu = (uint8_t)a->impu;
			o->app = (uint8_t)a->app;
		}
		if (o) {
			o->admin = a->admin;
			dirty = 1;
		}
		snprintf(detail, sizeof(detail), "IMPU=%u APP=%u", (unsigned)a->impu, (unsigned)a->app);
		log_kv("incprov", "impu=%u app=%u admin=%s", (unsigned)a->impu, (unsigned)a->app,
		       a->admin == 1 ? "active" : "inactive");
		if (ip->ev) {
			ev_raise(ip->ev, a->admin == 1 ? EV_APP_ACTIVATED : EV_APP_DEACTIVATED, detail);
			ip->raised++;
		}
	}
	/* rows SNMP destroyed: their overrides go */
	for (i = 0; i < ip->n_ov;) {
		unsigned impu = ip->ov[i].impu, app = ip->ov[i].app;
		size_t k;
		int there = 0;

		for (k = 0; k < c->n_apps; k++)
			there |= c->apps[k].impu == impu && c->apps[k].app == app;
		if (!there && cell_find(ip->seen, ip->n_seen, impu, app)) {
			ip->ov[i] = ip->ov[--ip->n_ov];
			dirty = 1;
			continue;
		}
		i++;
	}
	if (dirty)
		save(ip);
}

static void on_commit(void *arg, unsigned changes, enum mib_origin o)
{
	struct incprov *ip = arg;

	if (o == MIB_BY_FILE) {
		snapshot(ip);
		replay(ip);     /* commits again: seen is refreshed by that call */
		snapshot(ip);
		return;
	}
	if ((changes & MIB_CH_APPS) && !ip->replaying)
		snmp_changed(ip);
	snapshot(ip);
}

int incprov_init(struct incprov *ip, struct mib *m, struct nvram *nv, struct events *ev)
{
	uint8_t buf[5 + 3 * MIB_APPS_MAX];
	size_t len = 0;
	int rc = 0;

	memset(ip, 0, sizeof(*ip));
	ip->m = m;
	ip->nv = nv;
	ip->ev = ev;
	if (nv) {
		rc = nvram_get(nv, INCPROV_NV_KEY, buf, sizeof(buf), &len);
		if (rc == 0)
			rc = incprov_decode(buf, len, ip->ov, MIB_APPS_MAX, &ip->n_ov);
		if (rc == E_NOTFOUND)
			rc = 0;
		if (rc < 0) {
			log_warnx("incremental provisioning: nvram %s: %s: none kept", INCPROV_NV_KEY,
				  err_str(rc));
			ip->n_ov = 0;
		}
	}
	snapshot(ip);
	mib_on_commit(m, on_commit, ip);
	return rc;
}
