# tests/static/static.mk: source checks that need no build, part of `make check`.
#   make check-static    secrets compared in constant time (ct-compare.sh)
CHECK_TARGETS += check-static
.PHONY: check-static
check-static:
	@mkdir -p $(BUILD_ROOT)/results
	@sh tests/static/ct-compare.sh . $(BUILD_ROOT)/results/static
