# tests/lab/provsrv.mk: the lab's reference provisioning server (tests/lab/provsrv*.c), built as
# build/<board>/bin/provsrv by the default `make` on the host board (it needs Net-SNMP, MIT krb5
# and OpenSSL), and by `make lab-bins`.  tests/lab/lab.sh starts it when the binary exists.
# Also its test client kmclient (tests/lab/kmclient.c): PKINIT + key management + SNMPv3 as a
# stand-in Secure eUE, for the lab-provsrv-km*.scn scenarios.

ifeq ($(BOARD)$(BOARD_HAS_LIBS),host1)
PROVSRV := $(O)/bin/provsrv
PROVSRV_OBJS := $(call obj,$(wildcard tests/lab/provsrv*.c))
KMCLIENT := $(O)/bin/kmclient
KMCLIENT_OBJS := $(call obj,tests/lab/kmclient.c)

all: $(PROVSRV) $(KMCLIENT)

.PHONY: lab-bins
lab-bins: $(PROVSRV) $(KMCLIENT)

# only the layers it uses, so a layer being rebuilt elsewhere (ecm, eue) never blocks it
PROVSRV_LIBS := $(call lib_of,kerberos) $(call lib_of,tlv) $(O)/lib/libplatform.a $(LIB_OS)

$(PROVSRV): $(PROVSRV_OBJS) $(PROVSRV_LIBS)
	@mkdir -p $(@D)
	$(call LINK,$(PROVSRV_OBJS),$(PROVSRV_LIBS),-lnetsnmp -lkrb5 -lk5crypto -lcom_err -lssl -lcrypto)

$(KMCLIENT): $(KMCLIENT_OBJS) $(PROVSRV_LIBS)
	@mkdir -p $(@D)
	$(call LINK,$(KMCLIENT_OBJS),$(PROVSRV_LIBS),-lnetsnmp -lkrb5 -lk5crypto -lcom_err -lssl -lcrypto)
endif
