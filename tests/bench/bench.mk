# tests/bench/bench.mk: `make bench` (config-file codec and pktcfg figures).
# Builds tests/bench/cfgbench.c against the layer libraries; host board only.
.PHONY: bench
BENCH_CFG := $(O)/bench/cfgbench

$(BENCH_CFG): $(O)/obj/tests/bench/cfgbench.o $(LIBS_ALL)
	@mkdir -p $(@D)
	$(call LINK,$<,$(LIBS_ALL),$(EXT_LIBS))

bench: $(O)/bin/pktcfg $(BENCH_CFG)
	@sh tests/bench/cfgbench.sh $(O)
