# tests/bench/bench.mk: `make bench` (config-file codec and pktcfg figures).
# Builds tests/bench/cfgbench.c against the layer libraries; host board only.
.PHONY: bench
BENCH_CFG := $(O)/bench/cfgbench

$(BENCH_CFG): $(O)/obj/tests/bench/cfgbench.o $(LIBS_ALL)
	@mkdir -p $(@D)
	$(call LINK,$<,$(LIBS_ALL),$(EXT_LIBS))

bench: $(O)/bin/pktcfg $(BENCH_CFG)
	@sh tests/bench/cfgbench.sh $(O)

# `make check-pktcfg` (part of `make check`): pktcfg end to end on tests/vectors/cfg.
CHECK_TARGETS += check-pktcfg
.PHONY: check-pktcfg
check-pktcfg: $(O)/bin/pktcfg
	@mkdir -p $(BUILD_ROOT)/results
	@sh tests/vectors/cfg/check.sh $(O)/bin/pktcfg $(BUILD_ROOT)/results/pktcfg
