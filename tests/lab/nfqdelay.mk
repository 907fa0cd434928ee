# tests/lab/nfqdelay.mk: the lab's packet delayer (tests/lab/nfqdelay.c) for kernels without
# sch_netem, built as build/<board>/bin/nfqdelay by the default `make` on the host board and by
# `make lab-bins`; it needs libnetfilter-queue (deps/lab.list).  tests/lab/lab.sh starts it in
# the cmts namespace for LAB_DELAY.  Built only where the library is installed, so a machine
# without it keeps building everything else (lab.sh then refuses LAB_DELAY with the fix).

ifeq ($(BOARD),host)
ifneq ($(wildcard /usr/include/libnetfilter_queue/libnetfilter_queue.h),)
NFQDELAY := $(O)/bin/nfqdelay
NFQDELAY_OBJS := $(call obj,tests/lab/nfqdelay.c)

all: $(NFQDELAY)

.PHONY: lab-bins
lab-bins: $(NFQDELAY)

$(NFQDELAY): $(NFQDELAY_OBJS)
	@mkdir -p $(@D)
	$(call LINK,$(NFQDELAY_OBJS),,-lnetfilter_queue -lnfnetlink)
endif
endif
