# tests/lab/lab.mk: the ATP lab targets; included by the top-level Makefile from the repo root.
#
#   make check-lab              every ATP scenario (lab self-tests now, device flows later);
#                               non-zero exit on any failure. Part of `make check`.
#   make atp SCENARIO=name      one scenario, verbose; keeps and prints where its artefacts are
#   make demo-lab               lab up, every scenario verbosely (what each step talks to), ladder
#                               SVGs, a summary table, and which device flows do not exist yet
#   make lab-up / lab-status / lab-down   a lab to poke at by hand (tests/lab/lab.sh)
#   make lab-clean              down orphaned labs (their owner died), remove old run directories
#
# Artefacts: build/atp/<HHMMSS-pid>/<scenario>/ (unique per run, so parallel runs never share)
#
# Needs root (network namespaces) and the packages of deps/lab.list (`make deps`). Depends on
# nothing else of the Makefile. Everything is written under build/ (and /etc/netns/lab*, removed
# again at teardown).

ATP_PY   := tests/atp/atp.py
LAB_SH   := tests/lab/lab.sh

CHECK_TARGETS += check-lab
DEMO_TARGETS  += demo-lab

.PHONY: check-lab atp demo-lab lab-up lab-status lab-down lab-clean

# build/results/lab: "PASSED FAILED SKIPPED" for the `make check` summary (mk/summary.sh)
check-lab:
	@python3 $(ATP_PY) --results $(or $(BUILD_ROOT),build)/results/lab

atp:
	@if [ -z "$(SCENARIO)" ]; then \
		echo "usage: make atp SCENARIO=<name>   (tests/atp/scenarios/<name>.scn)"; \
		python3 $(ATP_PY) --list; exit 2; fi
	@python3 $(ATP_PY) -v --ladder $(SCENARIO); rc=$$?; \
	echo "kept: the 'artefacts:' directory above holds $(SCENARIO)/ with eue.pcapng and oss.pcapng"; \
	echo "  (dumpcap), steps.log, result.txt, ladder.svg, trace.log; the servers' logs are in the"; \
	echo "  lab run directory printed on the 'lab up' line (build/lab/<runid>/log/)"; \
	exit $$rc

demo-lab:
	@echo "== ATP lab demo: real Debian servers in namespaces oss / cmts / eue (tests/lab/README.md)"
	@python3 $(ATP_PY) -v --summary --ladder; rc=$$?; \
	echo "Per scenario, under the 'artefacts:' directory above: <scenario>/{eue,oss}.pcapng, ladder.svg,"; \
	echo "steps.log, result.txt"; \
	exit $$rc

lab-up:
	@LAB_OWNER_PID=manual $(LAB_SH) up

lab-status:
	@$(LAB_SH) status

lab-down:
	@$(LAB_SH) down

lab-clean:
	@$(LAB_SH) clean
