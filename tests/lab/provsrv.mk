# tests/lab/provsrv.mk: the lab's reference provisioning server (tests/lab/provsrv*.c), built as
# build/<board>/bin/provsrv by the default `make` on the host board (it needs Net-SNMP and
# OpenSSL), and by `make lab-bins`.  tests/lab/lab.sh starts it when the binary exists.

ifeq ($(BOARD)$(BOARD_HAS_LIBS),host1)
PROVSRV := $(O)/bin/provsrv
PROVSRV_OBJS := $(call obj,$(wildcard tests/lab/provsrv*.c))

all: $(PROVSRV)

.PHONY: lab-bins
lab-bins: $(PROVSRV)

# only the layers it uses, so a layer being rebuilt elsewhere (ecm, eue) never blocks it
PROVSRV_LIBS := $(call lib_of,tlv) $(O)/lib/libplatform.a $(LIB_OS)

$(PROVSRV): $(PROVSRV_OBJS) $(PROVSRV_LIBS)
	@mkdir -p $(@D)
	$(call LINK,$(PROVSRV_OBJS),$(PROVSRV_LIBS),-lnetsnmp -lssl -lcrypto)
endif
