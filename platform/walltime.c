/* walltime.c: the ToD-set wall clock of walltime.h (pure; no OS calls). */
#include "platform/walltime.h"

#include "platform/err.h"

void walltime_init(struct walltime *w)
{
	w->known = 0;
	w->base_unix_ms = 0;
	w->base_mono_ms = 0;
	w->offset_s = 0;
}

int64_t walltime_set(struct walltime *w, int64_t unix_ms, uint64_t mono_ms)
{
	int64_t before, step = 0;

	if (walltime_now(w, mono_ms, &before) == 0)
		step = unix_ms - before;
	w->known = 1;
	w->base_unix_ms = unix_ms;
	w->base_mono_ms = mono_ms;
	return step;
}

int walltime_now(const struct walltime *w, uint64_t mono_ms, int64_t *unix_ms)
{
	if (!w->known)
		return E_AGAIN;
	*unix_ms = w->base_unix_ms + (int64_t)(mono_ms - w->base_mono_ms);
	return 0;
}
