# tests/bench/bench.mk: `make bench`, the performance and footprint table of issue 11.
#
#   make bench                      everything, lab rows BENCH_RUNS=3 times (as root: the lab)
#   make bench BENCH_RUNS=1         the quick mode
#   make bench DOCSIS=/path/docsis  the config-codec rows beside rlaager/docsis
#   make bench-cfg                  only the config codec's own figures (tests/bench/cfgbench.sh)
#
# Builds the host stack, tests/bench/cfgbench.c and tests/bench/benchwrap.c, then the armhf
# daemons (their sizes; a failing cross build leaves those rows n/a), and runs
# tests/bench/bench.py, which prints the table and writes build/bench/bench.txt.
# How each figure is measured: tests/bench/README.md.
.PHONY: bench bench-cfg
BENCH_RUNS ?= 3
BENCH_CFG := $(O)/bench/cfgbench
BENCH_WRAP := $(O)/bench/benchwrap

$(BENCH_CFG): $(O)/obj/tests/bench/cfgbench.o $(LIBS_ALL)
	@mkdir -p $(@D)
	$(call LINK,$<,$(LIBS_ALL),$(EXT_LIBS))

$(BENCH_WRAP): $(O)/obj/tests/bench/benchwrap.o
	@mkdir -p $(@D)
	$(call LINK,$<,,)

bench: all $(O)/bin/pktcfg $(BENCH_CFG) $(BENCH_WRAP)
	-@$(MAKE) --no-print-directory BOARD=armhf all
	@python3 tests/bench/bench.py --runs $(BENCH_RUNS) $(if $(DOCSIS),--docsis $(DOCSIS))

bench-cfg: $(O)/bin/pktcfg $(BENCH_CFG)
	@sh tests/bench/cfgbench.sh $(O)

# `make check-pktcfg` (part of `make check`): pktcfg end to end on tests/vectors/cfg.
CHECK_TARGETS += check-pktcfg
.PHONY: check-pktcfg
check-pktcfg: $(O)/bin/pktcfg
	@mkdir -p $(BUILD_ROOT)/results
	@sh tests/vectors/cfg/check.sh $(O)/bin/pktcfg $(BUILD_ROOT)/results/pktcfg
