# tests/reliability/reliability.mk: `make reliability`, the reliability table of issue 9.
#
#   make reliability                      everything below, then one table
#   make reliability FUZZ_SECONDS=300 RELIABILITY_POWERCUTS=500 RELIABILITY_SOAK=200
#
# What it runs (each row of the table comes from this run; tests/reliability/README.md):
#   fuzz       every libFuzzer target for FUZZ_SECONDS (the executions from libFuzzer's final
#              stats; a crash, leak or sanitizer report fails the row)
#   faults     the fault scenarios (tests/atp/scenarios/fault-*.scn and the device scenarios
#              that inject a fault: RELIABILITY_FAULTS) through the ATP runner
#   power cuts RELIABILITY_POWERCUTS kill -9 of eued (then of ecmd + eued) at random instants of a provisioning,
#              each followed by a restart that must provision, nvram read back after each;
#              and as many kill -9 of an nvram writer (tests/reliability/powercut.sh)
#   soak       the soak scenario with RELIABILITY_SOAK re-provisionings by ResetNow and as many by
#              the eCM's re-initialisation (fds, RSS, timers before and after), and
#              RELIABILITY_VALGRIND_SOAK eCM re-inits with ecmd and eued under valgrind memcheck
#
# Needs root (the lab) and what deps/*.list and tests/reliability/deps.list name; installs what
# is missing first, the way `make deps` does.  Writes under build/reliability/.
.PHONY: reliability reliability-deps reliability-bins
RELIABILITY_POWERCUTS ?= 50
RELIABILITY_SOAK ?= 200
RELIABILITY_VALGRIND_SOAK ?= 20
RELIABILITY_FAULTS ?= fault-* device-hybrid2-ipv4-tftp-down device-secure-kdc-down \
	device-eue-ipv6-rogue-dss device-eue-ipv6-dad-conflict device-eue-ipv6-no-mbit \
	device-hybrid2-ipv6-badhash device-basic2-ipv4-noend device-hybrid2-ipv6-createandwait \
	device-secure-ipv6-km-error lab-provsrv-km-refused lab-provsrv-robust
RELIABILITY_NVRAMCHECK := $(O)/reliability/nvramcheck

$(RELIABILITY_NVRAMCHECK): $(O)/obj/tests/reliability/nvramcheck.o $(LIBS_ALL) $(LIB_OS)
	@mkdir -p $(@D)
	$(call LINK,$<,$(LIBS_ALL) $(LIB_OS),$(EXT_LIBS))

reliability-deps:
	@sh mk/deps.sh deps/*.list tests/reliability/deps.list

reliability-bins: all $(RELIABILITY_NVRAMCHECK)

# A fuzz target that does not build is a failed row, not the end of the run (-k: the others
# are built and fuzzed; reliability.sh reads the log for the ones that failed).
# The same for the host build: reliability.sh then skips the lab parts (never runs old daemons).
reliability: reliability-deps
	@mkdir -p $(BUILD_ROOT)/reliability
	@$(MAKE) --no-print-directory BOARD=host reliability-bins > $(BUILD_ROOT)/reliability/build.log 2>&1; \
		echo $$? > $(BUILD_ROOT)/reliability/build.rc; tail -n 3 $(BUILD_ROOT)/reliability/build.log
	@$(MAKE) --no-print-directory -k fuzz-build > $(BUILD_ROOT)/reliability/fuzz-build.log 2>&1; \
		echo $$? > $(BUILD_ROOT)/reliability/fuzz-build.rc; tail -n 3 $(BUILD_ROOT)/reliability/fuzz-build.log
	@sh tests/reliability/reliability.sh "$(BUILD_ROOT)" "$(FUZZ_SECONDS)" \
		"$(RELIABILITY_POWERCUTS)" "$(RELIABILITY_SOAK)" "$(RELIABILITY_VALGRIND_SOAK)" \
		"$(RELIABILITY_FAULTS)"
