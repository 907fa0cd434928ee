# tests/lab/kprobe.mk: the lab probe of kerberos/pkinit (tests/lab/kprobe.c), built as
# build/<board>/bin/kprobe by the default `make` on boards with libraries (it needs libkrb5);
# the lab-kprobe-*.scn scenarios run it in the eue namespace against the lab's krb5kdc.

ifeq ($(BOARD_HAS_LIBS),1)
KPROBE := $(O)/bin/kprobe
KPROBE_OBJS := $(call obj,tests/lab/kprobe.c)

all: $(KPROBE)

.PHONY: lab-bins
lab-bins: $(KPROBE)

# only the layers it uses
KPROBE_LIBS := $(call lib_of,kerberos) $(call lib_of,tlv) $(O)/lib/libplatform.a $(LIB_OS)

$(KPROBE): $(KPROBE_OBJS) $(KPROBE_LIBS)
	@mkdir -p $(@D)
	$(call LINK,$(KPROBE_OBJS),$(KPROBE_LIBS),$(EXT_LIBS))
endif
